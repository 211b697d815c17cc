package dev.pagecache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.memcached.MemcachedSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * memcached unusable from start-up, in each way a network fails: refused, black-holed, accepting
 * but silent. Requests arrive from the moment the container's port is bound, while the filter is
 * still starting, as they do behind a load balancer. No request fails, and none waits much longer
 * than the configured timeout: "much longer" is measured against the same requests without
 * memcached, in the same run, so a loaded machine slows both sides alike.
 */
class SharedLayerOutageIT {
  private static final Duration TIMEOUT = Duration.ofMillis(50);
  private static final int REQUESTS = 200;
  private static final int CONCURRENCY = 8;

  /**
   * Latencies of one run, sorted; the requests that did not come back whole; and how long the
   * container took to start once its port was bound (the first requests wait that long).
   */
  record Run(String name, long[] millis, int errors, long startMillis) {
    long p99() {
      return millis[(int) Math.ceil(millis.length * 0.99) - 1];
    }

    long max() {
      return millis[millis.length - 1];
    }

    long median() {
      return millis[millis.length / 2];
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%-10s p50 %4d ms  p99 %4d ms  max %4d ms  errors %d  (started %d ms after bound)",
          name, median(), p99(), max(), errors, startMillis);
    }
  }

  private static PageCacheFilter filter(MemcachedSettings shared) {
    PageCacheConfig.Builder config = PageCacheConfig.builder()
        .rule(CacheRule.forPath("/page").ttl(Duration.ofMinutes(5)).build())
        .maxCacheBytes(16 << 20);
    if (shared != null) {
      config.sharedStore(shared);
    }
    return new PageCacheFilter(config.build());
  }

  /**
   * Starts a container with {@code shared} behind the filter and sends it {@value #REQUESTS}
   * requests, {@value #CONCURRENCY} at a time, from the moment its port is bound. Each is for a
   * page no one has rendered yet: a miss that asks the shared layer (entry, lease) before it renders.
   */
  private static Run run(String name, MemcachedSettings shared, HttpClient client) throws Exception {
    int port = freePort();
    Endpoint page = (req, res, n) -> {
      res.setContentType("text/html;charset=UTF-8");
      res.getWriter().print("<p>" + req.getQueryString() + "</p>");
    };
    Container.App app = new Container.App("", List.of(filter(shared)), Map.of("/page", page.asServlet("outage-" + name)));
    CompletableFuture<Container> starting = CompletableFuture.supplyAsync(() -> {
      try {
        return JettyContainer.start(app, port);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      awaitBound(port, starting);
      long bound = System.nanoTime();
      CompletableFuture<Long> startMillis = starting.thenApply(started -> (System.nanoTime() - bound) / 1_000_000);
      long[] millis = new long[REQUESTS];
      int errors = requests(name, port, client, millis);
      return new Run(name, millis, errors, startMillis.get(30, TimeUnit.SECONDS));
    } finally {
      starting.get(30, TimeUnit.SECONDS).close();
    }
  }

  /** Fills {@code millis} with the sorted latencies; returns how many requests failed. */
  private static int requests(String name, int port, HttpClient client, long[] millis) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CONCURRENCY);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < CONCURRENCY; w++) {
        workers.add(clients.submit(() -> {
          for (int i = next.getAndIncrement(); i < REQUESTS; i = next.getAndIncrement()) {
            String query = name + "-" + i + "-" + System.nanoTime();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/page?" + query))
                .timeout(Duration.ofSeconds(20)).build();
            long started = System.nanoTime();
            try {
              HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
              if (response.statusCode() != 200 || !response.body().equals("<p>" + query + "</p>")) {
                errors.incrementAndGet();
              }
            } catch (IOException e) {
              errors.incrementAndGet();
            }
            millis[i] = (System.nanoTime() - started) / 1_000_000;
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get(2, TimeUnit.MINUTES);
      }
    } finally {
      clients.shutdownNow();
    }
    Arrays.sort(millis);
    return errors.get();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Returns once a connect to {@code port} succeeds: the container is bound, maybe not started. */
  private static void awaitBound(int port, CompletableFuture<Container> starting) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (starting.isCompletedExceptionally()) {
        starting.get();
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 100);
        return;
      } catch (IOException notYet) {
        Thread.sleep(2);
      }
    }
    throw new IllegalStateException("port " + port + " not bound within 20 s");
  }

  @Test
  void memcachedRefusedBlackHoledOrSilentAtStartUpFailsNoRequestAndCostsAtMostAFewTimeouts() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    List<Run> baselines = new ArrayList<>();
    List<Run> broken = new ArrayList<>();
    try (BrokenMemcached refused = BrokenMemcached.refused();
        BrokenMemcached blackHole = BrokenMemcached.blackHole();
        BrokenMemcached silent = BrokenMemcached.silent()) {
      // Class loading and JIT, of the container and of the memcached client, for every run after it alike.
      run("warm-up", MemcachedSettings.servers(refused.address()).withTimeout(TIMEOUT), client);
      baselines.add(run("baseline", null, client));
      for (BrokenMemcached memcached : List.of(refused, blackHole, silent)) {
        broken.add(run(memcached.toString(), MemcachedSettings.servers(memcached.address()).withTimeout(TIMEOUT), client));
      }
      baselines.add(run("baseline", null, client));
    }

    // The slower baseline: the machine's load may change during the run.
    Run baseline = baselines.stream().max(Comparator.comparingLong(Run::p99)).orElseThrow();
    long bound = 3 * TIMEOUT.toMillis() + baseline.p99();
    StringBuilder report = new StringBuilder("timeout " + TIMEOUT.toMillis() + " ms, bound on p99 " + bound + " ms\n");
    baselines.forEach(run -> report.append(run).append('\n'));
    broken.forEach(run -> report.append(run).append('\n'));
    System.out.print(report);
    for (Run run : broken) {
      assertThat(run.errors()).as(report.toString()).isZero();
      assertThat(run.p99()).as(report.toString()).isLessThanOrEqualTo(bound);
    }
  }
}
