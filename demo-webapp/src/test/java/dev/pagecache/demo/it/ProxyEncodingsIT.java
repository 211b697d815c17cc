package dev.pagecache.demo.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Stored encodings in reverse-proxy mode: the built jar (with brotli4j) in front of an origin of
 * this test's own. A page the origin sends plain is compressed once by the cache and each client
 * gets the form it asks for; a page the origin gzips itself is passed on as the origin sent it, and
 * only to clients that take gzip. The client here never decompresses: it sees the wire bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyEncodingsIT {
  private static final byte[] PAGE = page();

  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final HttpClient client = HttpClient.newHttpClient();
  private JarInFrontOfOrigin proxied;
  private DemoJar proxy;

  private static byte[] page() {
    StringBuilder html = new StringBuilder("<!doctype html><ul>\n");
    for (int i = 0; html.length() < 20_000; i++) {
      html.append("<li><a href=\"/item/").append(i).append("\">Item ").append(i).append("</a></li>\n");
    }
    return html.toString().getBytes(StandardCharsets.UTF_8);
  }

  @BeforeAll
  void start() throws Exception {
    proxied = JarInFrontOfOrigin.start(this::handle);
    proxy = proxied.proxy();
  }

  @AfterAll
  void stop() throws Exception {
    if (proxied != null) {
      proxied.close();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    exchange.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "max-age=60");
    exchange.getResponseHeaders().set("ETag", "\"p1\"");
    byte[] body = PAGE;
    String accepted = exchange.getRequestHeaders().getFirst("Accept-Encoding");
    if (path.startsWith("/origin-gzip/")) {
      exchange.getResponseHeaders().set("Vary", "Accept-Encoding");
      if (accepted != null && accepted.contains("gzip")) {
        exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        body = gzip(PAGE);
      }
    }
    exchange.sendResponseHeaders(200, exchange.getRequestMethod().equals("HEAD") ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!exchange.getRequestMethod().equals("HEAD")) {
        out.write(body);
      }
    }
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(body);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] gzip) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return in.readAllBytes();
    }
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  @Test
  void aPlainOriginPageIsCompressedOnceAndEachClientGetsItsForm() throws Exception {
    HttpResponse<byte[]> miss = get("/plain/a", "Accept-Encoding", "gzip, br");
    HttpResponse<byte[]> gzip = get("/plain/a", "Accept-Encoding", "gzip");
    HttpResponse<byte[]> br = get("/plain/a", "Accept-Encoding", "gzip, deflate, br");
    HttpResponse<byte[]> identity = get("/plain/a");
    HttpResponse<byte[]> notModified = get("/plain/a", "Accept-Encoding", "gzip", "If-None-Match", "\"p1-gz\"");

    assertThat(header(miss, "Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; stored");
    assertThat(header(gzip, "Cache-Status")).isEqualTo("pagecache; hit");
    assertThat(header(gzip, "Content-Encoding")).isEqualTo("gzip");
    assertThat(header(gzip, "ETag")).isEqualTo("\"p1-gz\"");
    assertThat(header(gzip, "Vary")).isEqualTo("Accept-Encoding");
    assertThat(header(gzip, "Content-Length")).isEqualTo(Integer.toString(gzip.body().length));
    assertThat(gunzip(gzip.body())).isEqualTo(PAGE);
    assertThat(header(br, "Content-Encoding")).as("the demo ships brotli4j").isEqualTo("br");
    assertThat(header(br, "ETag")).isEqualTo("\"p1-br\"");
    assertThat(br.body().length).isLessThan(gzip.body().length + 100);
    assertThat(header(identity, "Content-Encoding")).isNull();
    assertThat(header(identity, "ETag")).isEqualTo("\"p1\"");
    assertThat(identity.body()).isEqualTo(PAGE);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(counts.get("/plain/a").get()).isEqualTo(1);
  }

  @Test
  void aPageTheOriginGzipsIsPassedOnAsSentAndOnlyToGzipClients() throws Exception {
    HttpResponse<byte[]> gzipMiss = get("/origin-gzip/a", "Accept-Encoding", "gzip");
    HttpResponse<byte[]> gzipHit = get("/origin-gzip/a", "Accept-Encoding", "gzip");
    HttpResponse<byte[]> identity = get("/origin-gzip/a");
    HttpResponse<byte[]> identityAgain = get("/origin-gzip/a");

    assertThat(header(gzipMiss, "Content-Encoding")).isEqualTo("gzip");
    assertThat(header(gzipHit, "Cache-Status")).isEqualTo("pagecache; hit");
    assertThat(header(gzipHit, "Content-Encoding")).isEqualTo("gzip");
    assertThat(header(gzipHit, "ETag")).as("the origin's, untouched").isEqualTo("\"p1\"");
    assertThat(gunzip(gzipHit.body())).isEqualTo(PAGE);
    // The origin varies on Accept-Encoding: the plain client's page is a variant of its own.
    assertThat(header(identity, "Content-Encoding")).isNull();
    assertThat(identity.body()).isEqualTo(PAGE);
    assertThat(header(identityAgain, "Cache-Status")).isEqualTo("pagecache; hit");
    assertThat(identityAgain.body()).isEqualTo(PAGE);
    assertThat(counts.get("/origin-gzip/a").get()).isEqualTo(2);
  }
}
