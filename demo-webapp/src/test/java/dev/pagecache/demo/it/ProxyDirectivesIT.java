package dev.pagecache.demo.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pagecache.demo.server.DemoOptions;
import dev.pagecache.demo.server.DemoServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Proxy mode and what the origin says in fields: values reach the client byte for byte, on a miss
 * and on a hit; targeted cache control (RFC 9213) decides and {@code Pagecache-Control} stays with
 * the cache; the first member of an {@code Age} list counts. Each test uses its own paths.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyDirectivesIT {
  /** Field lines the origin sends as written, with the spacing proxies tend to "tidy". */
  private static final List<String[]> VERBATIM = List.of(
      new String[] {"X-XSS-Protection", "1; mode=block"},
      new String[] {"Content-Disposition", "attachment; filename=x"},
      new String[] {"Content-Disposition-Quoted", "attachment; filename=\"a, b; c.txt\""},
      new String[] {"X-Quoted", "a; b=\"c, d\";  e"},
      new String[] {"Link", "</a>; rel=preload, </b>;rel=\"next\""},
      new String[] {"Strict-Transport-Security", "max-age=31536000; includeSubDomains"},
      new String[] {"X-Multi", "one, two"},
      new String[] {"X-Multi", "three;  four"});

  private HttpServer origin;
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private DemoServer proxy;

  @BeforeAll
  void start() throws Exception {
    origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    origin.setExecutor(Executors.newCachedThreadPool());
    origin.createContext("/", this::handle);
    origin.start();
    proxy = DemoServer.start(DemoOptions.parse("--port", "0", "--proxy-to",
        "http://127.0.0.1:" + origin.getAddress().getPort()));
  }

  @AfterAll
  void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    origin.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    int n = counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    Headers out = exchange.getResponseHeaders();
    out.set("Content-Type", "text/plain;charset=utf-8");
    String kind = path.split("/")[1];
    switch (kind) {
      case "verbatim" -> {
        out.set("Cache-Control", "max-age=60");
        for (String[] field : VERBATIM) {
          out.add(field[0], field[1]);
        }
      }
      case "cdn-no-store" -> {
        out.set("Cache-Control", "max-age=60");
        out.set("CDN-Cache-Control", "no-store");
      }
      case "pagecache-control" -> {
        out.set("Cache-Control", "no-cache");
        out.set("Pagecache-Control", "max-age=60");
        out.set("CDN-Cache-Control", "max-age=30");
      }
      case "age-list" -> {
        out.set("Cache-Control", "max-age=3600");
        out.set("Age", "7200, 0");
      }
      default -> { }
    }
    byte[] body = (path + " #" + n + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream stream = exchange.getResponseBody()) {
      stream.write(body);
    }
  }

  /** A response as it came off the wire: its field lines exactly as sent, and its body. */
  private record Raw(List<String> fieldLines, String body) {
    /** The values of every line of the field, in order, exactly as sent (names compare ignoring case). */
    List<String> values(String name) {
      List<String> values = new ArrayList<>();
      for (String line : fieldLines) {
        if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
          values.add(line.substring(name.length() + 1).replaceFirst("^[ \t]+", "").replaceFirst("[ \t]+$", ""));
        }
      }
      return values;
    }

    String field(String name) {
      for (String line : fieldLines) {
        if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
          return line.substring(name.length() + 1).trim();
        }
      }
      return null;
    }
  }

  private Raw get(String path) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      int end = response.indexOf("\r\n\r\n");
      List<String> lines = new ArrayList<>(List.of(response.substring(0, end).split("\r\n")));
      lines.remove(0); // the status line
      return new Raw(lines, response.substring(end + 4));
    }
  }

  @Test
  void fieldValuesReachTheClientByteForByteOnMissAndHit() throws Exception {
    Raw miss = get("/verbatim/a");
    Raw hit = get("/verbatim/a");

    assertThat(miss.field("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; stored");
    assertThat(hit.field("Cache-Status")).isEqualTo("pagecache; hit");
    assertThat(hit.body()).isEqualTo(miss.body()).isEqualTo("/verbatim/a #1\n");
    for (Raw response : List.of(miss, hit)) {
      Map<String, List<String>> expected = new java.util.LinkedHashMap<>();
      for (String[] field : VERBATIM) {
        expected.computeIfAbsent(field[0], name -> new ArrayList<>()).add(field[1]);
      }
      expected.forEach((name, values) ->
          assertThat(response.values(name)).as(name + " on " + response.field("Cache-Status")).isEqualTo(values));
    }
  }

  @Test
  void cdnNoStoreIsNotStoredWhateverCacheControlSays() throws Exception {
    Raw first = get("/cdn-no-store/a");
    Raw second = get("/cdn-no-store/a");

    assertThat(first.field("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; detail=no-store");
    assertThat(second.body()).isEqualTo("/cdn-no-store/a #2\n");
    assertThat(second.field("CDN-Cache-Control")).as("passed on for a CDN in front").isEqualTo("no-store");
  }

  @Test
  void pagecacheControlDecidesForTheCacheAndStaysWithIt() throws Exception {
    Raw miss = get("/pagecache-control/a");
    Raw hit = get("/pagecache-control/a");

    assertThat(miss.field("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; stored");
    assertThat(hit.field("Cache-Status")).isEqualTo("pagecache; hit");
    for (Raw response : List.of(miss, hit)) {
      assertThat(response.field("Pagecache-Control")).as(response.field("Cache-Status")).isNull();
      assertThat(response.field("CDN-Cache-Control")).isEqualTo("max-age=30");
      assertThat(response.field("Cache-Control")).as("the browser's word is the origin's").isEqualTo("no-cache");
    }
  }

  @Test
  void ofAnAgeListTheFirstMemberCounts() throws Exception {
    Raw first = get("/age-list/a");
    Raw second = get("/age-list/a");

    assertThat(first.field("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; detail=not-fresh");
    assertThat(second.body()).isEqualTo("/age-list/a #2\n");
  }
}
