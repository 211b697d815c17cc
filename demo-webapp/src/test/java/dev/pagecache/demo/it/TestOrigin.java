package dev.pagecache.demo.it;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP origin (the JDK's own server) for the reverse-proxy tests. Every path counts the
 * requests it receives and keeps the last one's header fields, so a test can tell whether a
 * response came from the cache (the count did not move) and what the proxy forwarded.
 *
 * <p>Paths: {@code /fresh/*} max-age=60; {@code /expires/*} an Expires a minute ahead;
 * {@code /private/*}, {@code /nostore/*}, {@code /nocache/*}, {@code /cookie/*} max-age=60 but
 * private, no-store, no-cache or Set-Cookie; {@code /nolifetime/*} no freshness at all;
 * {@code /vary/*} max-age=60 and Vary: Accept-Language; {@code /echo/*} echoes the request;
 * {@code /redirect/*} a 302 to an absolute URL on the origin.
 */
final class TestOrigin implements AutoCloseable {
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  /** A request as the origin received it. */
  record Received(String method, String uri, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null ? null : String.join(", ", values);
    }
  }

  private final HttpServer server;
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final Map<String, Received> last = new ConcurrentHashMap<>();

  private TestOrigin(HttpServer server) {
    this.server = server;
  }

  static TestOrigin start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    TestOrigin origin = new TestOrigin(server);
    server.createContext("/", origin::handle);
    server.start();
    return origin;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** How many requests {@code path} (with its query, as the origin saw it) has received. */
  int count(String pathAndQuery) {
    AtomicInteger count = counts.get(pathAndQuery);
    return count == null ? 0 : count.get();
  }

  Received last(String pathAndQuery) {
    return last.get(pathAndQuery);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String uri = exchange.getRequestURI().toString();
    int n = counts.computeIfAbsent(uri, u -> new AtomicInteger()).incrementAndGet();
    String requestBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, List<String>> requestHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    exchange.getRequestHeaders().forEach((name, values) -> requestHeaders.put(name, List.copyOf(values)));
    last.put(uri, new Received(exchange.getRequestMethod(), uri, requestHeaders, requestBody));

    String path = exchange.getRequestURI().getPath();
    String kind = path.split("/").length > 1 ? path.split("/")[1] : "";
    Headers out = exchange.getResponseHeaders();
    out.set("Content-Type", "text/plain;charset=utf-8");
    out.set("X-Origin-Custom", "from the origin");
    int status = 200;
    String body = exchange.getRequestMethod() + " " + uri + " #" + n + "\n";
    switch (kind) {
      case "fresh" -> out.set("Cache-Control", "max-age=60");
      case "expires" -> out.set("Expires", HTTP_DATE.format(Instant.now().plusSeconds(60)));
      case "private" -> out.set("Cache-Control", "private, max-age=60");
      case "nostore" -> out.set("Cache-Control", "no-store, max-age=60");
      case "nocache" -> out.set("Cache-Control", "no-cache, max-age=60");
      case "cookie" -> {
        out.set("Cache-Control", "max-age=60");
        out.set("Set-Cookie", "session=s" + n + "; Path=/");
      }
      case "nolifetime" -> out.set("Last-Modified", HTTP_DATE.format(Instant.now().minusSeconds(3600)));
      case "vary" -> {
        out.set("Cache-Control", "max-age=60");
        out.set("Vary", "Accept-Language");
        body = "lang=" + exchange.getRequestHeaders().getFirst("Accept-Language") + " #" + n + "\n";
      }
      case "echo" -> {
        out.set("Cache-Control", "max-age=60");
        out.set("X-Echo-Trace", String.valueOf(exchange.getRequestHeaders().getFirst("X-Trace")));
        out.add("X-Origin-Multi", "one");
        out.add("X-Origin-Multi", "two");
        body = body + "body=" + requestBody + "\n";
      }
      case "redirect" -> {
        status = 302;
        out.set("Cache-Control", "max-age=60");
        out.set("Location", url() + "/fresh/target?x=1");
      }
      case "steer" -> {
        // An origin that honours method overrides (CPDoS) and URL overrides.
        out.set("Cache-Control", "max-age=60");
        if (exchange.getRequestHeaders().containsKey("X-HTTP-Method-Override")) {
          status = 405;
          body = "";
        } else {
          body = body + "original-url=" + exchange.getRequestHeaders().getFirst("X-Original-URL") + "\n";
        }
      }
      case "reflect-cookie" -> {
        // Greets whoever the cookie says, without Vary: Cookie.
        out.set("Cache-Control", "max-age=60");
        body = body + "cookie=" + exchange.getRequestHeaders().getFirst("Cookie") + "\n";
      }
      case "public-cookie" -> {
        out.set("Cache-Control", "public, max-age=60");
        body = body + "same for everyone\n";
      }
      case "hop" -> {
        out.set("Cache-Control", "max-age=60");
        out.set("Connection", "X-Hop-Secret");
        out.set("X-Hop-Secret", "for this connection only");
      }
      case "big" -> {
        out.set("Cache-Control", "max-age=60");
        body = body + "x".repeat(300_000) + "\n";
      }
      default -> status = 404;
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    try (OutputStream response = exchange.getResponseBody()) {
      if (!head) {
        response.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
