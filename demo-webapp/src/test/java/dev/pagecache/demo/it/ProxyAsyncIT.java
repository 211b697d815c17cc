package dev.pagecache.demo.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reverse proxy waits for the origin without a thread per request, and an origin that fails
 * to answer gets the client a quick 502 or 504 whose {@code Proxy-Status} (RFC 9209) names why.
 *
 * <p>The proxy here runs a rules file that caches only {@code /cached/*}: every other path passes
 * the cache by; {@code /cached/*} is proxied asynchronously too, and held and stored by the filter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyAsyncIT {
  /** How long the origin's slow pages take; far longer than the proxy's origin timeout. */
  private static final Duration SLOW = Duration.ofSeconds(1);
  private static final Duration ORIGIN_TIMEOUT = Duration.ofMillis(300);
  private static final Duration VERY_SLOW = Duration.ofSeconds(5);

  @TempDir
  static Path dir;

  private JarInFrontOfOrigin proxied;
  private DemoJar proxy;
  private final AtomicInteger originRequests = new AtomicInteger();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  void start() throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.conf"), "rules = [ { path = \"/cached/*\", ttl = origin } ]\n");
    // The origin timeout is short so the 504 test is quick; the 1 s pages are then too slow for it
    // and are only used by the test that sets its own proxy.
    proxied = JarInFrontOfOrigin.start(this::answer, "--rules", rules.toString(),
        "--origin-timeout", ORIGIN_TIMEOUT.toMillis() + "ms");
    proxy = proxied.proxy();
  }

  @AfterAll
  void stop() throws Exception {
    if (proxied != null) {
      proxied.close();
    }
  }

  /** {@code /.../slow/...} answers after {@link #SLOW}, {@code /.../hang/...} after {@link #VERY_SLOW}; never stored. */
  private void answer(HttpExchange exchange) throws IOException {
    originRequests.incrementAndGet();
    String path = exchange.getRequestURI().getPath();
    exchange.getRequestBody().readAllBytes();
    try {
      if (path.contains("/hang/")) {
        Thread.sleep(VERY_SLOW.toMillis());
      } else if (path.contains("/slow/")) {
        Thread.sleep(SLOW.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] body = ("answer to " + path + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain");
    exchange.getResponseHeaders().set("Cache-Control", path.startsWith("/cached/") ? "max-age=60" : "no-store");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    } catch (IOException clientGone) {
      // the proxy gave up waiting (its timeout): nobody reads this
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anOriginThatTakesLongerThanTheTimeoutIsA504NamingTheTimeout() throws Exception {
    for (String path : List.of("/passing/hang/a", "/cached/hang/a")) {
      long started = System.nanoTime();
      HttpResponse<String> response = get(proxy.port(), path);
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(response.statusCode()).as(path).isEqualTo(504);
      assertThat(response.headers().firstValue("Proxy-Status")).as(path)
          .contains("pagecache; error=http_response_timeout");
      assertThat(response.headers().firstValue("Cache-Control")).as(path).contains("no-store");
      assertThat(response.body()).as(path).isEqualTo("504 Gateway Timeout: the origin did not answer in time\n");
      assertThat(took).as(path + ": answered at the origin timeout, not when the origin finally answers")
          .isLessThan(VERY_SLOW.minusSeconds(1));
    }
  }

  @Test
  void theSameRequestAfterATimeoutIsAnsweredNormally() throws Exception {
    assertThat(get(proxy.port(), "/passing/hang/b").statusCode()).isEqualTo(504);
    HttpResponse<String> fast = get(proxy.port(), "/passing/fast/b");

    assertThat(fast.statusCode()).isEqualTo(200);
    assertThat(fast.body()).isEqualTo("answer to /passing/fast/b\n");
    assertThat(fast.headers().firstValue("Proxy-Status")).isEmpty();
  }

  @Test
  void anOriginThatRefusesConnectionsIsA502NamingTheRefusal() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort(); // free once closed: nothing listens there
    }
    try (DemoJar refused = DemoJar.start("--port", "0", "--proxy-to", "http://127.0.0.1:" + closedPort,
        "--rules", dir.resolve("rules.conf").toString())) {
      for (String path : List.of("/passing/a", "/cached/a")) {
        HttpResponse<String> response = get(refused.port(), path);

        assertThat(response.statusCode()).as(path).isEqualTo(502);
        assertThat(response.headers().firstValue("Proxy-Status")).as(path)
            .contains("pagecache; error=connection_refused");
        assertThat(response.body()).as(path).isEqualTo("502 Bad Gateway: the origin refused the connection\n");
      }
    }
  }

  /**
   * More clients waiting for a slow origin at once than the server has threads (200): each is
   * answered, and the proxy's JVM does not grow a thread per waiting client. Before, each waited on
   * a thread of its own and the HTTP client needed the same threads to deliver the answers: past
   * 200 clients some got 504s and some no answer at all.
   */
  @Test
  void moreWaitingClientsThanServerThreadsAreAllAnsweredWithoutAThreadEach() throws Exception {
    int clients = 400;
    try (JarInFrontOfOrigin slow = JarInFrontOfOrigin.start(this::answer, "--rules",
        dir.resolve("rules.conf").toString())) {
      DemoJar slowProxy = slow.proxy();
      int port = slowProxy.port();
      ThreadSampler threads = ThreadSampler.start(slowProxy.pid());
      List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        responses.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/passing/slow/" + i))
            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).join();
      int peak = threads.stop();

      for (int i = 0; i < clients; i++) {
        HttpResponse<String> response = responses.get(i).get();
        assertThat(response.statusCode()).as("client " + i).isEqualTo(200);
        assertThat(response.body()).isEqualTo("answer to /passing/slow/" + i + "\n");
      }
      // The server's pool may grow to its 200 threads for the burst of arrivals, the HTTP client's
      // to its 64: bounded pools, whatever the number of clients waiting.
      assertThat(peak).as("peak threads of the proxy's JVM with %d clients waiting", clients).isLessThan(clients);
    }
  }

  /** The highest {@code Threads:} of {@code /proc/<pid>/status}, sampled every 50 ms. */
  static final class ThreadSampler {
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile int peak;

    private ThreadSampler(long pid) {
      Path status = Path.of("/proc/" + pid + "/status");
      sampler = new Thread(() -> {
        while (running) {
          try {
            for (String line : Files.readAllLines(status)) {
              if (line.startsWith("Threads:")) {
                peak = Math.max(peak, Integer.parseInt(line.substring("Threads:".length()).trim()));
              }
            }
            Thread.sleep(50);
          } catch (IOException | InterruptedException | NumberFormatException e) {
            return;
          }
        }
      }, "thread-sampler");
      sampler.setDaemon(true);
      sampler.start();
    }

    static ThreadSampler start(long pid) {
      return new ThreadSampler(pid);
    }

    /** Stops sampling; the peak seen. */
    int stop() throws InterruptedException {
      running = false;
      sampler.join(1000);
      return peak;
    }
  }
}
