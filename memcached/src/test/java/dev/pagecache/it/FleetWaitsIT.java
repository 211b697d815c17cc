package dev.pagecache.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.PageCacheStats;
import dev.pagecache.internal.policy.CacheStatus;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.memcached.MemcachedSettings;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two containers sharing one memcached, behind one Host: container A renders pages slowly (its
 * servlet blocks until the test lets it go), container B gets requests for the same pages
 * meanwhile and waits for A's renders. What B's waiting costs memcached, and how each wait ends:
 * A's page, a holder that never stores, a lease that expires, memcached lost.
 */
class FleetWaitsIT {
  private static final int PAGES = 20;
  private static final String FLEET_WAITS_THREAD = "pagecache-fleet-waits";

  private final Map<String, AtomicInteger> renders = new ConcurrentHashMap<>();
  private final CountDownLatch letARender = new CountDownLatch(1);
  private ExecutorService clients;
  private MemcachedServer memcached;
  private MemcachedSettings shared;

  @BeforeEach
  void start() throws Exception {
    clients = Executors.newFixedThreadPool(2 * PAGES + 4);
    memcached = MemcachedServer.start();
    shared = MemcachedSettings.servers(memcached.address()).withTimeout(Duration.ofMillis(500))
        .withNamespace("w" + Long.toHexString(new Random().nextLong()));
  }

  @AfterEach
  void stop() throws Exception {
    letARender.countDown();
    clients.shutdownNow();
    memcached.close();
  }

  private static PageCacheFilter filter(MemcachedSettings shared, Duration coalesceWait) {
    return new PageCacheFilter(PageCacheConfig.builder()
        .rule(CacheRule.forPath("/page").ttl(Duration.ofMinutes(5)).coalesceWait(coalesceWait).build())
        .sharedStore(shared)
        .build());
  }

  /** A's servlet blocks until {@link #letARender}; B's answers at once. */
  private Container container(String name, PageCacheFilter filter) throws Exception {
    Endpoint page = (req, res, n) -> {
      renders.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      if (name.equals("a")) {
        letARender.await(30, TimeUnit.SECONDS);
      }
      res.setContentType("text/html;charset=UTF-8");
      res.getWriter().print("<p>" + req.getQueryString() + " rendered by " + name + "</p>");
    };
    return JettyContainer.start(new Container.App("", List.of(filter), Map.of("/page", page.asServlet("fleet-waits-" + name))));
  }

  /** Behind a load balancer every JVM of a fleet sees the site's own Host. */
  private Future<Response> get(Container container, String query) {
    return clients.submit(() -> given().port(container.port()).header("Host", "shop.example")
        .get("http://127.0.0.1/page?" + query));
  }

  private int renders(String name) {
    AtomicInteger count = renders.get(name);
    return count == null ? 0 : count.get();
  }

  private static PageCacheStats stats(PageCacheFilter filter) {
    return filter.pageCache().orElseThrow().stats();
  }

  private static long sharedLayer(PageCacheStats stats, String counter) {
    return stats.sharedLayer().getOrDefault(counter, 0L);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  /** A holds the leases of {@code queries}, each render blocked in its servlet. */
  private List<Future<Response>> aRenders(Container a, List<String> queries) throws InterruptedException {
    List<Future<Response>> responses = new ArrayList<>();
    for (String query : queries) {
      responses.add(get(a, query));
    }
    await("A's renders to start", () -> renders("a") == queries.size());
    return responses;
  }

  /** Lets A's blocked renders end, so that its container stops at once. */
  private void letAFinish(List<Future<Response>> fromA) throws Exception {
    letARender.countDown();
    for (Future<Response> response : fromA) {
      assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  private static List<String> pages(int count) {
    List<String> queries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      queries.add("p=" + i);
    }
    return queries;
  }

  @Test
  void twentyPagesAwaitedFromAnotherJvmCostOneLeaseCheckPerTickAndArriveWhenItStoresThem() throws Exception {
    PageCacheFilter filterA = filter(shared, Duration.ofSeconds(30));
    PageCacheFilter filterB = filter(shared, Duration.ofSeconds(30));
    try (Container a = container("a", filterA); Container b = container("b", filterB)) {
      List<String> queries = pages(PAGES);
      List<Future<Response>> fromA = aRenders(a, queries);
      List<Future<Response>> fromB = new ArrayList<>();
      for (String query : queries) {
        fromB.add(get(b, query));
      }
      await("B's requests to wait", () -> stats(filterB).coalescedWaits() == PAGES);

      // Over a fixed time, what B sends memcached while its 20 requests wait.
      PageCacheStats before = stats(filterB);
      long started = System.nanoTime();
      Thread.sleep(1000);
      PageCacheStats after = stats(filterB);
      long waitedMillis = (System.nanoTime() - started) / 1_000_000;
      long ticks = waitedMillis / 25;
      long pageLookups = sharedLayer(after, "gets") - sharedLayer(before, "gets");
      long leaseChecks = sharedLayer(after, "leaseChecks") - sharedLayer(before, "leaseChecks");

      String report = "over " + waitedMillis + " ms (" + ticks + " ticks): " + pageLookups + " page lookups, "
          + leaseChecks + " lease checks";
      System.out.println("B, 20 pages awaited " + report);
      assertThat(pageLookups).as("no page is looked up before its lease is gone; " + report).isZero();
      assertThat(leaseChecks).as("at most one multi-get per tick, whatever the number of pages; " + report)
          .isBetween(1L, ticks + 1);
      assertThat(renders("b")).as("B renders nothing meanwhile").isZero();
      assertThat(threadsNamed(FLEET_WAITS_THREAD)).as("B's watch; A waits for nothing").hasSize(1);

      letARender.countDown();
      for (Future<Response> response : fromA) {
        assertThat(response.get(10, TimeUnit.SECONDS).header("Cache-Status")).isEqualTo(CacheStatus.URI_MISS_STORED);
      }
      // Each wait lasts 30 s at most: an answer within 10 s is one woken by A's release.
      for (int i = 0; i < PAGES; i++) {
        Response response = fromB.get(i).get(10, TimeUnit.SECONDS);
        assertThat(response.header("Cache-Status")).isEqualTo(CacheStatus.HIT_COLLAPSED_SHARED);
        assertThat(response.asString()).isEqualTo("<p>" + queries.get(i) + " rendered by a</p>");
      }
      assertThat(renders("b")).as("B's servlet").isZero();
      assertThat(stats(filterB).coalescedHits()).isEqualTo(PAGES);
      assertThat(stats(filterB).coalesceTimeouts()).isZero();
    }
    assertThat(threadsNamed(FLEET_WAITS_THREAD)).as("after both containers stopped").isEmpty();
  }

  @Test
  void aWaiterWhoseHolderNeverStoresRendersForItselfAfterTheRulesCoalesceWait() throws Exception {
    PageCacheFilter filterA = filter(shared, Duration.ofSeconds(1));
    PageCacheFilter filterB = filter(shared, Duration.ofSeconds(1));
    try (Container a = container("a", filterA); Container b = container("b", filterB)) {
      List<Future<Response>> fromA = aRenders(a, List.of("stuck=1"));

      Response response = get(b, "stuck=1").get(10, TimeUnit.SECONDS);

      assertThat(response.header("Cache-Status")).isEqualTo(CacheStatus.URI_MISS_STORED);
      assertThat(response.asString()).isEqualTo("<p>stuck=1 rendered by b</p>");
      assertThat(stats(filterB).coalescedWaits()).isEqualTo(1);
      assertThat(stats(filterB).coalesceTimeouts()).as("it waited the whole coalesceWait").isEqualTo(1);
      letAFinish(fromA);
    }
  }

  @Test
  void aWaiterWakesWhenTheHoldersLeaseExpiresAndRendersForItself() throws Exception {
    // A's rule waits 1 s, so its leases last 2 s; B's would wait 30 s for a render.
    PageCacheFilter filterA = filter(shared, Duration.ofSeconds(1));
    PageCacheFilter filterB = filter(shared, Duration.ofSeconds(30));
    try (Container a = container("a", filterA); Container b = container("b", filterB)) {
      List<Future<Response>> fromA = aRenders(a, List.of("dead=1"));

      Response response = get(b, "dead=1").get(10, TimeUnit.SECONDS);

      assertThat(response.header("Cache-Status")).isEqualTo(CacheStatus.URI_MISS_STORED);
      assertThat(response.asString()).isEqualTo("<p>dead=1 rendered by b</p>");
      assertThat(stats(filterB).coalesceTimeouts()).as("woken by the lease's end, not by its own deadline").isZero();
      letAFinish(fromA);
    }
  }

  @Test
  void waitersRenderForThemselvesAsSoonAsMemcachedIsLost() throws Exception {
    PageCacheFilter filterA = filter(shared, Duration.ofSeconds(30));
    PageCacheFilter filterB = filter(shared, Duration.ofSeconds(30));
    try (Container a = container("a", filterA); Container b = container("b", filterB)) {
      List<String> queries = pages(3);
      List<Future<Response>> fromA = aRenders(a, queries);
      List<Future<Response>> fromB = new ArrayList<>();
      for (String query : queries) {
        fromB.add(get(b, query));
      }
      await("B's requests to wait", () -> stats(filterB).coalescedWaits() == queries.size());

      memcached.kill();

      for (int i = 0; i < queries.size(); i++) {
        Response response = fromB.get(i).get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.asString()).isEqualTo("<p>" + queries.get(i) + " rendered by b</p>");
      }
      assertThat(stats(filterB).coalesceTimeouts()).as("woken by the failure, not by their deadlines").isZero();
      letAFinish(fromA);
    }
  }

  private static List<String> threadsNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(name::equals).toList();
  }
}
