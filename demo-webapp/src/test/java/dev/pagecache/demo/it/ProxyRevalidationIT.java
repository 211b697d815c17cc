package dev.pagecache.demo.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Reverse-proxy mode with an origin that answers conditional requests: once a page expires, the
 * proxy asks the origin {@code If-None-Match} and is answered 304, so the origin sends the body
 * once, however many clients come. The jar runs in its own process, on real time: pages are fresh
 * for 2 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyRevalidationIT {
  private static final String REVALIDATED = "pagecache; fwd=stale; fwd-status=304; stored";
  private static final String HIT = "pagecache; hit";

  private final AtomicInteger fullResponses = new AtomicInteger();
  private final AtomicInteger notModified = new AtomicInteger();
  private final AtomicReference<String> lastIfNoneMatch = new AtomicReference<>();
  private JarInFrontOfOrigin proxied;
  private DemoJar proxy;

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

  /** Version 1 of every page, forever: a matching If-None-Match gets a 304 without a body. */
  private void answer(HttpExchange exchange) throws IOException {
    String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
    lastIfNoneMatch.set(ifNoneMatch);
    exchange.getResponseHeaders().set("Cache-Control", "max-age=2");
    exchange.getResponseHeaders().set("ETag", "\"v1\"");
    exchange.getResponseHeaders().set("X-Origin-Custom", "kept as sent");
    if ("\"v1\"".equals(ifNoneMatch)) {
      notModified.incrementAndGet();
      exchange.sendResponseHeaders(304, -1);
      exchange.close();
      return;
    }
    fullResponses.incrementAndGet();
    byte[] body = ("version 1 of " + exchange.getRequestURI() + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain;charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private Response get(String path) throws Exception {
    return given().baseUri("http://127.0.0.1").port(proxy.port()).get(path);
  }

  @Test
  void anExpiredPageCostsTheOriginOneConditionalRequestAndNoFullFetch() throws Exception {
    Response first = get("/rev/a");
    Thread.sleep(2_500); // past max-age=2

    List<Response> after = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      after.add(get("/rev/a"));
    }

    assertThat(first.header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; stored");
    assertThat(fullResponses).as("bodies the origin sent").hasValue(1);
    assertThat(lastIfNoneMatch.get()).isEqualTo("\"v1\"");
    assertThat(after.get(0).header("Cache-Status")).isEqualTo(REVALIDATED);
    assertThat(after).allSatisfy(response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.asString()).isEqualTo(first.asString());
      assertThat(response.header("X-Origin-Custom")).isEqualTo("kept as sent");
      assertThat(response.header("Cache-Status")).isIn(REVALIDATED, HIT);
    });
    // Each 304 freshens the page for 2 s more: a slow machine may need another one, never a body.
    assertThat(notModified.get()).isEqualTo(
        (int) after.stream().filter(response -> REVALIDATED.equals(response.header("Cache-Status"))).count());
  }
}
