package dev.pagecache.demo.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Byte ranges through the reverse-proxy mode (RFC 9110 §14), in front of an origin that answers
 * ranges itself: on a miss that may be stored the origin must not see {@code Range} (its 206
 * could not be stored), the cache stores the whole page and answers the client's range from it.
 * Each test uses its own path, so the tests share one cache.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyRangesIT {
  private static final String HIT = "pagecache; hit";
  private static final String STORED = "pagecache; fwd=uri-miss; stored";
  private static final int LENGTH = 10_000;
  private static final byte[] BYTES = pattern(LENGTH);
  private static final Pattern FIRST_LAST = Pattern.compile("bytes=(\\d+)-(\\d+)");

  private JarInFrontOfOrigin proxied;
  /** Per request the origin received: its path and the Range it carried ("-" for none). */
  private final List<String> received = new CopyOnWriteArrayList<>();
  private DemoJar proxy;

  private static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return bytes;
  }

  @BeforeAll
  void start() throws Exception {
    proxied = JarInFrontOfOrigin.start(this::answer);
    proxy = proxied.proxy();
  }

  @AfterAll
  void stop() throws Exception {
    if (proxied != null) {
      proxied.close();
    }
  }

  /** A ranging origin, as a static file server is: {@code bytes=first-last} gets a 206. */
  private void answer(HttpExchange exchange) throws IOException {
    String range = exchange.getRequestHeaders().getFirst("Range");
    received.add(exchange.getRequestURI().getPath() + " " + (range == null ? "-" : range));
    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
    exchange.getResponseHeaders().set("Cache-Control", "max-age=60");
    exchange.getResponseHeaders().set("ETag", "\"r1\"");
    exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
    Matcher firstLast = range == null ? null : FIRST_LAST.matcher(range);
    byte[] body = BYTES;
    int status = 200;
    if (firstLast != null && firstLast.matches()) {
      int first = Integer.parseInt(firstLast.group(1));
      int last = Math.min(Integer.parseInt(firstLast.group(2)), LENGTH - 1);
      body = Arrays.copyOfRange(BYTES, first, last + 1);
      status = 206;
      exchange.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + LENGTH);
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private RequestSpecification http() throws Exception {
    return given().baseUri("http://127.0.0.1").port(proxy.port());
  }

  private List<String> receivedFor(String path) {
    return received.stream().filter(line -> line.startsWith(path + " ")).toList();
  }

  private static void assertPartial(Response response, int first, int last) {
    assertThat(response.statusCode()).as("status").isEqualTo(206);
    assertThat(response.header("Content-Range")).isEqualTo("bytes " + first + "-" + last + "/" + LENGTH);
    assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(last - first + 1));
    assertThat(response.asByteArray()).isEqualTo(Arrays.copyOfRange(BYTES, first, last + 1));
  }

  @Test
  void aStorableMissAsksTheOriginForTheWholePageAndAnswersTheRangeFromIt() throws Exception {
    Response miss = http().header("Range", "bytes=100-199").get("/video/a");
    Response hit = http().header("Range", "bytes=9000-9999").get("/video/a");
    Response whole = http().get("/video/a");

    assertPartial(miss, 100, 199);
    assertThat(miss.header("Cache-Status")).isEqualTo(STORED);
    assertPartial(hit, 9000, 9999);
    assertThat(hit.header("Cache-Status")).isEqualTo(HIT);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.asByteArray()).isEqualTo(BYTES);
    assertThat(whole.header("Cache-Status")).isEqualTo(HIT);
    assertThat(receivedFor("/video/a")).containsExactly("/video/a -");
  }

  @Test
  void hitsAnswerIfRangeAnd416FromTheStoredCopy() throws Exception {
    http().get("/video/b");

    assertPartial(http().header("Range", "bytes=0-9").header("If-Range", "\"r1\"").get("/video/b"), 0, 9);
    Response otherVersion = http().header("Range", "bytes=0-9").header("If-Range", "\"r0\"").get("/video/b");
    Response pastTheEnd = http().header("Range", "bytes=10000-").get("/video/b");

    assertThat(otherVersion.statusCode()).isEqualTo(200);
    assertThat(otherVersion.asByteArray()).isEqualTo(BYTES);
    assertThat(pastTheEnd.statusCode()).isEqualTo(416);
    assertThat(pastTheEnd.header("Content-Range")).isEqualTo("bytes */10000");
    assertThat(receivedFor("/video/b")).containsExactly("/video/b -");
  }

  @Test
  void aRequestThatMayNotStoreGetsTheOriginsOwn206WhichIsNeverStored() throws Exception {
    Response partial = http().header("Range", "bytes=0-9").header("Cache-Control", "no-store").get("/video/c");
    Response next = http().get("/video/c");

    assertPartial(partial, 0, 9);
    assertThat(partial.header("Cache-Status")).startsWith("pagecache; fwd=uri-miss; detail=");
    assertThat(next.header("Cache-Status")).isEqualTo(STORED);
    assertThat(receivedFor("/video/c")).containsExactly("/video/c bytes=0-9", "/video/c -");
  }
}
