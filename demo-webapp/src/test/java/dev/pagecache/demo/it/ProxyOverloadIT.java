package dev.pagecache.demo.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More clients than a deliberately small proxy takes on ({@code --max-requests 4 --max-queued 4
 * --queue-wait 300ms}) in front of an origin that takes 3 s: the ones beyond the limit are turned
 * away quickly with 503 and Retry-After, long before the origin could have answered them, and the
 * proxy serves normally once the crowd is gone, without a restart.
 */
class ProxyOverloadIT {
  private static final Duration ORIGIN_DELAY = Duration.ofSeconds(3);
  private static final int MAX_REQUESTS = 4;
  private static final int MAX_QUEUED = 4;
  private static final int CLIENTS = 20;

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private static void answerSlowly(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    try {
      if (path.startsWith("/slow/")) {
        Thread.sleep(ORIGIN_DELAY.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] body = ("answer to " + path + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** A response and how long after the crowd started it came. */
  record Answer(HttpResponse<String> response, Duration after) {}

  @Test
  void clientsBeyondTheLimitsAreRefusedQuicklyWith503AndServiceResumesAfterwards(@TempDir Path dir) throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.conf"), "rules = [ { path = \"/cached/*\", ttl = origin } ]\n");
    try (JarInFrontOfOrigin proxied = JarInFrontOfOrigin.start(ProxyOverloadIT::answerSlowly, "--rules", rules.toString(),
        "--max-requests", Integer.toString(MAX_REQUESTS), "--max-queued", Integer.toString(MAX_QUEUED),
        "--queue-wait", "300ms")) {
      int port = proxied.proxy().port();
      assertThat(proxied.proxy().startLine()).contains("limits: 4 requests at once, 4 more may wait up to 300ms");

      // Warm: the first requests of a fresh JVM load classes, which is not what is measured here.
      for (int i = 0; i < 3; i++) {
        assertThat(client.send(request(port, "/fast/warm"), HttpResponse.BodyHandlers.ofString()).statusCode())
            .isEqualTo(200);
      }

      long start = System.nanoTime();
      List<CompletableFuture<Answer>> crowd = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        crowd.add(client.sendAsync(request(port, "/slow/" + i), HttpResponse.BodyHandlers.ofString())
            .thenApply(response -> new Answer(response, Duration.ofNanos(System.nanoTime() - start))));
      }
      CompletableFuture.allOf(crowd.toArray(CompletableFuture[]::new)).join();

      List<Answer> refused = new ArrayList<>();
      for (CompletableFuture<Answer> future : crowd) {
        Answer answer = future.get();
        int status = answer.response().statusCode();
        assertThat(status).isIn(200, 503);
        if (status == 503) {
          refused.add(answer);
        } else {
          assertThat(answer.response().body()).startsWith("answer to /slow/");
        }
      }
      assertThat(refused).as("at most %d in progress and %d waiting", MAX_REQUESTS, MAX_QUEUED)
          .hasSizeGreaterThanOrEqualTo(CLIENTS - MAX_REQUESTS - MAX_QUEUED);
      for (Answer answer : refused) {
        assertThat(answer.response().headers().firstValue("Retry-After")).contains("1");
        assertThat(answer.after()).as("refused before the origin could have answered")
            .isLessThan(ORIGIN_DELAY.minusSeconds(1));
      }

      // The crowd is gone: the proxy serves as before.
      HttpResponse<String> after = client.send(request(port, "/slow/after"), HttpResponse.BodyHandlers.ofString());
      assertThat(after.statusCode()).isEqualTo(200);
      assertThat(after.body()).isEqualTo("answer to /slow/after\n");
      assertThat(client.send(request(port, "/fast/after"), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
    }
  }

  private static HttpRequest request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build();
  }
}
