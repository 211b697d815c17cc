package dev.pagecache.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.memcached.MemcachedSettings;
import io.restassured.response.Response;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three servlet containers sharing one memcached, behind one site name as behind a load balancer:
 * an edit or a purge on one is seen on the others within the sync interval, whatever each holds in
 * its own memory, and also while memcached is down. Each container's pages are read from its
 * memory layer before the purge (a {@code hit}), so nothing but the purge can change what it serves.
 */
class FleetPurgeIT {
  private static final Duration SYNC = MemcachedSettings.DEFAULT_SYNC_INTERVAL;
  /** Our own polling every 10 ms, and the sending of one request on a loaded 2-core machine. */
  private static final Duration MARGIN = Duration.ofMillis(300);
  private static final String HOST = "wiki.example";
  /** The "database" every container renders from, as a fleet's JVMs share one. */
  private static final Map<String, String> ARTICLES = new ConcurrentHashMap<>();
  private static final AtomicInteger EDITS = new AtomicInteger();
  /** A render of a page under /slow/ waits on this, when set, after it read the database. */
  private static volatile CountDownLatch slowRenders;
  private static volatile CountDownLatch slowRenderStarted;

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private static final String TOKEN = "fleet-purge-token-0123456789";

  private static PageCacheFilter filter(MemcachedSettings shared) {
    return new PageCacheFilter(PageCacheConfig.builder()
        .purgeToken(TOKEN)
        .rule(CacheRule.forPath("/wiki/*").ttl(Duration.ofMinutes(10)).tags(List.of("wiki")).build())
        .rule(CacheRule.forPath("/slow/*").ttl(Duration.ofMinutes(10)).build())
        .maxCacheBytes(16 << 20)
        .sharedStore(shared)
        .build());
  }

  private Container container(PageCacheFilter filter) throws Exception {
    Endpoint article = (req, res, n) -> {
      String name = req.getPathInfo();
      if (req.getMethod().equals("POST")) {
        ARTICLES.put(name, req.getParameter("text"));
        res.setStatus(303);
        res.setHeader("Location", req.getRequestURI());
        return;
      }
      String text = ARTICLES.getOrDefault(name, "(empty)");
      CountDownLatch gate = slowRenders;
      if (req.getServletPath().equals("/slow") && gate != null) {
        slowRenderStarted.countDown();
        gate.await(30, TimeUnit.SECONDS); // the render read the old text and is slow to finish
      }
      res.setContentType("text/html;charset=UTF-8");
      res.getWriter().print("<article>" + text + "</article>");
    };
    Container container = JettyContainer.start(new Container.App("", List.of(filter),
        Map.of("/wiki/*", article.asServlet("fleet-wiki"), "/slow/*", article.asServlet("fleet-slow"))));
    open.add(container);
    return container;
  }

  private record Fleet(List<Container> containers, List<PageCacheFilter> filters) {
    PageCache cache(int i) {
      return filters.get(i).pageCache().orElseThrow();
    }
  }

  private Fleet fleet(MemcachedServer memcached, int size) throws Exception {
    MemcachedSettings shared = MemcachedSettings.servers(memcached.address()).withTimeout(Duration.ofMillis(200))
        .withBreaker(3, Duration.ofMillis(300));
    List<Container> containers = new ArrayList<>();
    List<PageCacheFilter> filters = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      PageCacheFilter filter = filter(shared);
      filters.add(filter);
      containers.add(container(filter));
    }
    return new Fleet(containers, filters);
  }

  private static Response get(Container container, String path) {
    return given().port(container.port()).header("Host", HOST).redirects().follow(false).get("http://127.0.0.1" + path);
  }

  private static void edit(Container container, String path, String text) {
    Response posted = given().port(container.port()).header("Host", HOST).redirects().follow(false)
        .formParam("text", text).post("http://127.0.0.1" + path);
    assertThat(posted.statusCode()).isEqualTo(303);
  }

  /** Makes each container hold the page in its own memory: the second request is a memory hit. */
  private static void holdInMemory(Fleet fleet, String path, String expected) throws InterruptedException {
    for (Container container : fleet.containers()) {
      // Only a precondition: on a starved machine a JVM out of step with the log may take a while.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      Response response = get(container, path);
      while (!("pagecache; hit".equals(response.header("Cache-Status")) && response.asString().contains(expected))) {
        assertThat(System.nanoTime()).as("waiting for a memory hit of " + path + " on port " + container.port()
            + ", last " + response.header("Cache-Status") + " " + response.asString()).isLessThan(deadline);
        Thread.sleep(10);
        response = get(container, path);
      }
    }
  }

  /**
   * Polls every container until each serves {@code expected}. Returns, over all containers, how
   * long after {@code sinceNanos} the last request that still got the old page was sent: the
   * promise is about requests sent more than the interval after a purge, however late a loaded
   * machine delivers their answers.
   */
  private static Duration awaitEverywhere(Fleet fleet, String path, String expected, long sinceNanos)
      throws InterruptedException {
    long lastStaleSent = sinceNanos;
    for (Container container : fleet.containers()) {
      long deadline = sinceNanos + TimeUnit.SECONDS.toNanos(20);
      while (true) {
        long sent = System.nanoTime();
        Response response = get(container, path);
        assertThat(response.statusCode()).as("every request answers").isEqualTo(200);
        if (response.asString().contains(expected)) {
          break;
        }
        lastStaleSent = Math.max(lastStaleSent, sent);
        assertThat(System.nanoTime()).as(path + " on port " + container.port() + " still " + response.asString())
            .isLessThan(deadline);
        Thread.sleep(10);
      }
    }
    return Duration.ofNanos(lastStaleSent - sinceNanos);
  }

  private static String text(String what) {
    return what + "-" + EDITS.incrementAndGet();
  }

  @Test
  void anEditOnOneJvmIsSeenOnEveryOtherWithinTheSyncInterval() throws Exception {
    try (MemcachedServer memcached = MemcachedServer.start()) {
      Fleet fleet = fleet(memcached, 3);
      Duration worst = Duration.ZERO;
      List<String> delays = new ArrayList<>();
      for (int round = 0; round < 6; round++) {
        String before = text("before");
        ARTICLES.put("/Edited", before);
        fleet.cache(0).purge(URI.create("http://" + HOST + "/wiki/Edited"));
        holdInMemory(fleet, "/wiki/Edited", before);

        String after = text("after");
        Container editor = fleet.containers().get(round % 3);
        edit(editor, "/wiki/Edited", after);
        long edited = System.nanoTime();
        assertThat(get(editor, "/wiki/Edited").asString()).as("the editor's own JVM, at once").contains(after);
        Duration delay = awaitEverywhere(fleet, "/wiki/Edited", after, edited);
        worst = delay.compareTo(worst) > 0 ? delay : worst;
        delays.add(delay.toMillis() + " ms");
      }
      assertThat(worst).as("worst delay over 6 edits, against the sync interval: " + delays)
          .isLessThan(SYNC.plus(MARGIN));
    }
  }

  @Test
  void prefixTagAndEverythingPurgesReachEveryJvmWithinTheSyncInterval() throws Exception {
    try (MemcachedServer memcached = MemcachedServer.start()) {
      Fleet fleet = fleet(memcached, 3);
      List<Consumer<PageCache>> purges = List.of(
          cache -> cache.purgePrefix(URI.create("http://" + HOST + "/wiki/")),
          cache -> cache.purgeTag("wiki"),
          PageCache::purgeAll,
          cache -> cache.purgePrefix(URI.create("http://" + HOST + "/wiki")));
      Duration worst = Duration.ZERO;
      List<String> delays = new ArrayList<>();
      for (int round = 0; round < purges.size() * 2; round++) {
        String before = text("old");
        ARTICLES.put("/One", before);
        ARTICLES.put("/Two", before);
        fleet.cache(0).purgeAll();
        holdInMemory(fleet, "/wiki/One", before);
        holdInMemory(fleet, "/wiki/Two", before);

        String after = text("new");
        ARTICLES.put("/One", after);
        ARTICLES.put("/Two", after);
        purges.get(round % purges.size()).accept(fleet.cache(round % 3));
        long purged = System.nanoTime();
        Duration one = awaitEverywhere(fleet, "/wiki/One", after, purged);
        Duration two = awaitEverywhere(fleet, "/wiki/Two", after, purged);
        worst = one.compareTo(worst) > 0 ? one : worst;
        worst = two.compareTo(worst) > 0 ? two : worst;
        delays.add(round + ": " + one.toMillis() + "/" + two.toMillis() + " ms");
      }
      assertThat(worst).as("worst delay over 8 purges, against the sync interval: " + delays)
          .isLessThan(SYNC.plus(MARGIN));
      long received = fleet.cache(1).stats().purges().get("received") + fleet.cache(2).stats().purges().get("received");
      assertThat(received).as("purges heard from the log").isPositive();
    }
  }

  @Test
  void aPrefixPurgeLeavesOtherPrefixesAlone() throws Exception {
    try (MemcachedServer memcached = MemcachedServer.start()) {
      Fleet fleet = fleet(memcached, 2);
      ARTICLES.put("/Kept", "kept");
      holdInMemory(fleet, "/slow/Kept", "kept");
      holdInMemory(fleet, "/wiki/Kept", "kept");
      fleet.cache(0).purgePrefix(URI.create("http://" + HOST + "/wiki/"));
      Thread.sleep(SYNC.plus(MARGIN).toMillis());

      assertThat(get(fleet.containers().get(1), "/slow/Kept").header("Cache-Status")).isEqualTo("pagecache; hit");
      assertThat(get(fleet.containers().get(1), "/wiki/Kept").header("Cache-Status"))
          .isEqualTo("pagecache; fwd=stale; stored; detail=purged");
    }
  }

  @Test
  void aRenderThatBeganBeforeAPurgeOnAnotherJvmDoesNotUndoIt() throws Exception {
    try (MemcachedServer memcached = MemcachedServer.start()) {
      Fleet fleet = fleet(memcached, 3);
      String before = text("before");
      ARTICLES.put("/Raced", before);
      slowRenders = new CountDownLatch(1);
      slowRenderStarted = new CountDownLatch(1);
      ExecutorService client = Executors.newSingleThreadExecutor();
      try {
        Future<Response> slow = client.submit(() -> get(fleet.containers().get(0), "/slow/Raced"));
        assertThat(slowRenderStarted.await(10, TimeUnit.SECONDS)).isTrue();

        String after = text("after");
        edit(fleet.containers().get(1), "/slow/Raced", after);
        long edited = System.nanoTime();
        slowRenders.countDown(); // A's render, which read the old text, now finishes and files its page
        assertThat(slow.get(10, TimeUnit.SECONDS).asString()).contains(before);
        slowRenders = null;

        Duration delay = awaitEverywhere(fleet, "/slow/Raced", after, edited);
        assertThat(delay).isLessThan(SYNC.plus(MARGIN));
        // And it stays so: the old render is stored nowhere that any JVM would serve it from.
        Thread.sleep(SYNC.toMillis());
        for (Container container : fleet.containers()) {
          assertThat(get(container, "/slow/Raced").asString()).contains(after);
        }
      } finally {
        slowRenders = null;
        client.shutdownNow();
      }
    }
  }

  @Test
  void withMemcachedDownNoRequestFailsAndNoMemoryCopyOutlivesTheBoundThenPurgesFlowAgain() throws Exception {
    try (MemcachedServer memcached = MemcachedServer.start()) {
      Fleet fleet = fleet(memcached, 2);
      String before = text("before");
      ARTICLES.put("/Outage", before);
      holdInMemory(fleet, "/wiki/Outage", before);

      memcached.kill();
      // The data changes without any purge the other JVM could hear of: its copy may live one interval.
      String during = text("during");
      edit(fleet.containers().get(0), "/wiki/Outage", during);
      long edited = System.nanoTime();
      Duration delay = awaitEverywhere(fleet, "/wiki/Outage", during, edited);
      assertThat(delay).as("memory copies while memcached is down").isLessThan(SYNC.plus(MARGIN));
      assertThat(fleet.cache(1).stats().purges().get("inSync")).isZero();

      memcached.restart();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (fleet.cache(0).stats().purges().get("inSync") == 0 || fleet.cache(1).stats().purges().get("inSync") == 0
          || fleet.cache(0).stats().purges().get("pending") > 0) {
        assertThat(System.nanoTime()).as("back in step with the log").isLessThan(deadline);
        Thread.sleep(20);
      }
      String back = text("back");
      ARTICLES.put("/Outage", back);
      fleet.cache(0).purgeAll();
      holdInMemory(fleet, "/wiki/Outage", back);
      String again = text("again");
      edit(fleet.containers().get(0), "/wiki/Outage", again);
      long editedAgain = System.nanoTime();
      assertThat(awaitEverywhere(fleet, "/wiki/Outage", again, editedAgain)).as("after memcached returned")
          .isLessThan(SYNC.plus(MARGIN));
    }
  }

  @Test
  void aLostNamespaceVersionNeverBringsBackPagesFromBeforeAPurgeOfEverything() throws Exception {
    try (MemcachedServer memcached = MemcachedServer.start()) {
      Fleet fleet = fleet(memcached, 2);
      String before = text("before");
      ARTICLES.put("/Namespace", before);
      assertThat(get(fleet.containers().get(0), "/wiki/Namespace").asString()).contains(before);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (fleet.cache(0).stats().sharedLayer().getOrDefault("writes", 0L) == 0) {
        assertThat(System.nanoTime()).as("the page reached memcached").isLessThan(deadline);
        Thread.sleep(5);
      }
      fleet.cache(0).purgeAll(); // a new namespace version: the old page stays under the old one
      String after = text("after");
      ARTICLES.put("/Namespace", after);

      assertThat(memcachedCommand(memcached, "delete pagecache:version")).as("evicted: every JVM reads the first version again").isEqualTo("DELETED");
      Thread.sleep(1500); // the namespace version is re-read every second

      Response fromB = get(fleet.containers().get(1), "/wiki/Namespace");
      assertThat(fromB.asString()).contains(after);
      assertThat(fromB.header("Cache-Status")).isEqualTo("pagecache; fwd=stale; stored; detail=purged");
    }
  }

  /** One command in memcached's text protocol, as an operator (or an eviction) would. */
  private static String memcachedCommand(MemcachedServer memcached, String command) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", memcached.port())) {
      socket.getOutputStream().write((command + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          java.nio.charset.StandardCharsets.US_ASCII)).readLine();
    }
  }

  @Test
  void thePurgeEndpointOnOneJvmPurgesEveryJvmAndAWrongTokenPurgesNone() throws Exception {
    try (MemcachedServer memcached = MemcachedServer.start()) {
      Fleet fleet = fleet(memcached, 3);
      String before = text("before");
      ARTICLES.put("/Endpoint", before);
      holdInMemory(fleet, "/wiki/Endpoint", before);
      String after = text("after");
      ARTICLES.put("/Endpoint", after);

      Response refused = given().port(fleet.containers().get(0).port()).header("Host", HOST)
          .header("Authorization", "Bearer not-the-fleet-token-at-all").formParam("prefix", "/wiki/")
          .post("http://127.0.0.1/pagecache/purge");
      assertThat(refused.statusCode()).isEqualTo(401);
      Thread.sleep(SYNC.plus(MARGIN).toMillis());
      for (Container container : fleet.containers()) {
        assertThat(get(container, "/wiki/Endpoint").header("Cache-Status")).as("nothing purged").isEqualTo("pagecache; hit");
      }

      Response purged = given().port(fleet.containers().get(0).port()).header("Host", HOST)
          .header("Authorization", "Bearer " + TOKEN).formParam("prefix", "/wiki/")
          .post("http://127.0.0.1/pagecache/purge");
      long sent = System.nanoTime();
      assertThat(purged.statusCode()).isEqualTo(200);
      assertThat(awaitEverywhere(fleet, "/wiki/Endpoint", after, sent)).isLessThan(SYNC.plus(MARGIN));
    }
  }
}
