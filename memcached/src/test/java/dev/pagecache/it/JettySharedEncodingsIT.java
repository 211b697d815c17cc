package dev.pagecache.it;

import static org.assertj.core.api.Assertions.assertThat;
import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.rules.RulesFileParser;
import jakarta.servlet.http.HttpServlet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import dev.pagecache.memcached.MemcachedSettings;

/** The encodings contract in Jetty, and what a second JVM serves from the gzip form alone in memcached. */
class JettySharedEncodingsIT extends JettyEncodingsIT {

  /** Two containers sharing memcached: the second serves gzip and identity from what the first stored. */
  @Test
  void aSecondCacheServesBothFormsFromMemcached() throws Exception {
    try (MemcachedServer memcached = MemcachedServer.start()) {
      MemcachedSettings shared = MemcachedSettings.servers(memcached.address()).withTimeout(Duration.ofMillis(500));
      PageCacheFilter filterA = filter(shared);
      PageCacheFilter filterB = filter(shared);
      try (Container a = start(new Container.App(contextPath(), List.of(filterA), servlets("enc-shared-a")));
          Container b = start(new Container.App(contextPath(), List.of(filterB), servlets("enc-shared-b")))) {
        // Behind a balancer both see the site's Host, so both key the page alike.
        assertThat(raw(a, "").status()).isEqualTo(200);
        awaitSharedWrites(filterA);

        Raw gzip = raw(b, "Accept-Encoding: gzip\r\n");
        Raw identity = raw(b, "");

        assertThat(gzip.header("Cache-Status")).isEqualTo("pagecache; hit; detail=shared");
        assertThat(gzip.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(gzip.header("ETag")).isEqualTo("\"abc-gz\"");
        assertThat(gzip.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(gzip.header("Content-Length")).isEqualTo(Integer.toString(gzip.body().length));
        assertThat(gunzip(gzip.body())).isEqualTo(HTML);
        assertThat(identity.header("Content-Encoding")).isNull();
        assertThat(identity.header("ETag")).isEqualTo("\"abc\"");
        assertThat(identity.body()).isEqualTo(HTML);
        assertThat(Endpoint.renders("enc-shared-b/page")).isZero();
        long written = filterA.pageCache().orElseThrow().stats().sharedLayer().get("writeBytes");
        assertThat(written).as("the gzip form alone").isLessThan(gzip.body().length + 2_000);
      }
    }
  }
}
