package dev.pagecache.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.memcached.MemcachedSettings;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two servlet containers, each with its own JVM-memory layer, sharing memcached: what one renders,
 * the other serves without rendering, and losing memcached (or one node of several) fails nothing.
 */
class SharedLayerIT {
  private static final Map<String, AtomicInteger> RENDERS_BY_SERVER = new ConcurrentHashMap<>();

  private static PageCacheFilter filter(MemcachedSettings shared, long memoryBytes) {
    return new PageCacheFilter(PageCacheConfig.builder()
        .rule(CacheRule.forPath("/page").ttl(Duration.ofMinutes(5)).build())
        .maxCacheBytes(memoryBytes)
        .sharedStore(shared)
        .build());
  }

  private static Container jetty(String name, PageCacheFilter filter) throws Exception {
    Endpoint page = (req, res, n) -> {
      RENDERS_BY_SERVER.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      if (req.getQueryString() != null && req.getQueryString().startsWith("slow")) {
        Thread.sleep(500);
      }
      res.setContentType("text/html;charset=UTF-8");
      res.getWriter().print("<p>" + req.getQueryString() + " rendered by " + name + "</p>" + "x".repeat(20_000));
    };
    return JettyContainer.start(new Container.App("", List.of(filter), Map.of("/page", page.asServlet("shared-" + name))));
  }

  /** Behind a load balancer every JVM of a fleet sees the site's own Host, not its own port. */
  private static Response get(Container container, String query) {
    return given().port(container.port()).header("Host", "shop.example").get("http://127.0.0.1/page?" + query);
  }

  private static int renders(String name) {
    AtomicInteger count = RENDERS_BY_SERVER.get(name);
    return count == null ? 0 : count.get();
  }

  /** Waits for the background writer to have sent {@code writes} values to memcached. */
  private static void awaitSharedWrites(PageCacheFilter filter, long writes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (filter.pageCache().orElseThrow().stats().sharedLayer().getOrDefault("writes", 0L) < writes
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  @Test
  void aPageRenderedByOneContainerIsServedByTheOtherFromMemcached() throws Exception {
    try (MemcachedServer memcached = MemcachedServer.start()) {
      MemcachedSettings shared = MemcachedSettings.servers(memcached.address()).withTimeout(Duration.ofMillis(500));
      PageCacheFilter filterA = filter(shared, 16 << 20);
      PageCacheFilter filterB = filter(shared, 16 << 20);
      try (Container a = jetty("a", filterA); Container b = jetty("b", filterB)) {
        Response rendered = get(a, "id=1");
        awaitSharedWrites(filterA, 1);
        Response fromShared = get(b, "id=1");
        Response fromMemory = get(b, "id=1");

        assertThat(rendered.header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; stored");
        assertThat(fromShared.header("Cache-Status")).isEqualTo("pagecache; hit; detail=shared");
        assertThat(fromShared.asString()).isEqualTo(rendered.asString()).contains("rendered by a");
        assertThat(fromMemory.header("Cache-Status")).isEqualTo("pagecache; hit");
        assertThat(renders("b")).as("B's servlet").isZero();
        assertThat(filterB.pageCache().orElseThrow().stats().sharedHits()).isEqualTo(1);
        long sentBytes = filterA.pageCache().orElseThrow().stats().sharedLayer().get("writeBytes");
        assertThat(sentBytes).as("20 KB of repetitive HTML, deflated on the way").isLessThan(2_000);
      }
    }
  }

  @Test
  void aColdPageRequestedOnTwoJvmsAtOnceRendersOnceInTheFleet() throws Exception {
    try (MemcachedServer memcached = MemcachedServer.start()) {
      MemcachedSettings shared = MemcachedSettings.servers(memcached.address()).withTimeout(Duration.ofMillis(500));
      PageCacheFilter filterA = filter(shared, 16 << 20);
      PageCacheFilter filterB = filter(shared, 16 << 20);
      ExecutorService clients = Executors.newFixedThreadPool(20);
      try (Container a = jetty("fleet-a", filterA); Container b = jetty("fleet-b", filterB)) {
        for (int round = 0; round < 3; round++) {
          String query = "slow-" + round;
          int before = renders("fleet-a") + renders("fleet-b");
          java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
          List<Future<Response>> responses = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            Container target = i % 2 == 0 ? a : b;
            responses.add(clients.submit(() -> {
              start.await();
              return get(target, query);
            }));
          }
          start.countDown();
          for (Future<Response> response : responses) {
            assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
          }
          assertThat(renders("fleet-a") + renders("fleet-b")).as("round " + round).isEqualTo(before + 1);
        }
        long won = filterA.pageCache().orElseThrow().stats().sharedLayer().get("leasesWon")
            + filterB.pageCache().orElseThrow().stats().sharedLayer().get("leasesWon");
        assertThat(won).isEqualTo(3);
      } finally {
        clients.shutdownNow();
      }
    }
  }

  @Test
  void destroyingTheFilterLeavesNoThreadBehind() throws Exception {
    try (MemcachedServer memcached = MemcachedServer.start()) {
      PageCacheFilter filter = filter(MemcachedSettings.servers(memcached.address()), 1 << 20);
      try (Container a = jetty("redeployed", filter)) {
        get(a, "x=1");
        assertThat(threadsOfTheSharedLayer()).as("running").isNotEmpty();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!threadsOfTheSharedLayer().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(threadsOfTheSharedLayer()).as("after the container stopped (Filter.destroy)").isEmpty();
    }
  }

  private static List<String> threadsOfTheSharedLayer() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(name -> name.startsWith("Memcached IO") || name.startsWith("pagecache-shared-")).toList();
  }

  @Test
  void memcachedStoppedMidRunFailsNoRequestAndIsUsedAgainWhenItReturns() throws Exception {
    try (MemcachedServer memcached = MemcachedServer.start()) {
      MemcachedSettings shared = MemcachedSettings.servers(memcached.address()).withTimeout(Duration.ofMillis(50))
          .withBreaker(3, Duration.ofMillis(500));
      PageCacheFilter filter = filter(shared, 16 << 20);
      PageCacheFilter other = filter(shared, 16 << 20);
      try (Container a = jetty("down", filter); Container b = jetty("down-b", other)) {
        assertThat(get(a, "before=1").statusCode()).isEqualTo(200);
        memcached.kill();

        long slowest = 0;
        for (int i = 0; i < 30; i++) {
          long started = System.nanoTime();
          Response response = get(a, "down=" + i);
          slowest = Math.max(slowest, (System.nanoTime() - started) / 1_000_000);
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.asString()).contains("down=" + i);
        }
        var stats = filter.pageCache().orElseThrow().stats().sharedLayer();
        // Whether calls were then skipped depends on how far apart they came (under load, further than a cool-down).
        assertThat(stats.get("breakerOpenings")).as("the breaker opened").isGreaterThan(0L);
        assertThat(slowest).as("no request waits much longer than one timeout").isLessThan(1_000);

        memcached.restart();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        boolean recovered = false;
        for (int i = 0; !recovered && System.nanoTime() < deadline; i++) {
          // Each URL is new to both JVMs: B can only get A's page from memcached, and only once
          // A's writes reach it again.
          assertThat(get(a, "back=" + i).statusCode()).isEqualTo(200);
          Thread.sleep(100);
          Response fromB = get(b, "back=" + i);
          assertThat(fromB.statusCode()).isEqualTo(200);
          recovered = "pagecache; hit; detail=shared".equals(fromB.header("Cache-Status"));
        }
        assertThat(recovered).as("memcached answers again once it is back").isTrue();
      }
    }
  }

  @Test
  void losingOneNodeOfThreeUnderLoadFailsNoRequestAndTheHitRatioRecovers() throws Exception {
    List<MemcachedServer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(MemcachedServer.start());
      }
      String servers = String.join(",", nodes.stream().map(MemcachedServer::address).toList());
      MemcachedSettings shared = MemcachedSettings.servers(servers).withTimeout(Duration.ofMillis(200))
          .withBreaker(50, Duration.ofMillis(200));
      // Reader B keeps next to nothing in memory, so its hits are memcached's.
      PageCacheFilter writer = filter(shared, 16 << 20);
      PageCacheFilter reader = filter(shared, 32 * 1024);
      ExecutorService load = Executors.newFixedThreadPool(4);
      try (Container a = jetty("writer", writer); Container b = jetty("reader", reader)) {
        int keys = 60;
        for (int k = 0; k < keys; k++) {
          get(a, "k=" + k);
        }
        awaitSharedWrites(writer, keys);

        List<Double> sharedHitRatios = new ArrayList<>();
        int failures = 0;
        for (int round = 0; round < 8; round++) {
          if (round == 2) {
            nodes.get(1).kill();
          }
          List<Future<Response>> responses = new ArrayList<>();
          for (int k = 0; k < keys; k++) {
            String query = "k=" + k;
            responses.add(load.submit(() -> get(b, query)));
          }
          int sharedHits = 0;
          for (Future<Response> future : responses) {
            Response response = future.get(30, TimeUnit.SECONDS);
            if (response.statusCode() != 200) {
              failures++;
            } else if ("pagecache; hit; detail=shared".equals(response.header("Cache-Status"))) {
              sharedHits++;
            }
          }
          sharedHitRatios.add((double) sharedHits / keys);
          Thread.sleep(200); // let the reader's own writes (for keys that moved) reach memcached
        }
        assertThat(failures).isZero();
        assertThat(sharedHitRatios.get(1)).as("before the loss: " + sharedHitRatios).isGreaterThan(0.8);
        assertThat(sharedHitRatios.get(2)).as("right after the loss: " + sharedHitRatios).isLessThan(0.9);
        assertThat(sharedHitRatios.get(7)).as("recovered: " + sharedHitRatios).isGreaterThan(0.8);
      } finally {
        load.shutdownNow();
      }
    } finally {
      for (MemcachedServer node : nodes) {
        node.close();
      }
    }
  }
}
