package dev.pagecache.bench;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.PageCacheStats;
import dev.pagecache.internal.policy.CacheKeys;
import dev.pagecache.internal.purge.FleetPurges;
import dev.pagecache.internal.purge.GroupVersions;
import dev.pagecache.internal.purge.PurgeGroups;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.TagTemplate;
import dev.pagecache.store.CacheEntry;
import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.internal.store.CaffeinePageStore;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 10's claim: a purge by tag costs the same whether 1 page or 100,000 carry the tag, because
 * it moves one version group's number on and touches no page ({@code dev.pagecache.internal.purge}). Each
 * page finds out when it is next looked up, so the benchmark also prices that lookup.
 *
 * <p>Setup runs one embedded Jetty 12 (ee10) with {@link PageCacheFilter} in front of a servlet and
 * fills the cache through the filter, with real requests on Jetty's in-memory
 * {@link LocalConnector} (as {@link HitPathBenchmark}): {@link #taggedPages} pages under
 * {@code /news/2026/11/} whose response says {@code Surrogate-Key: news}, and
 * {@value #UNTAGGED_PAGES} pages under {@code /articles/2026/11/} with no tag. The two pages
 * requested while measuring, {@link #TAGGED_PAGE} (one of the tagged ones) and
 * {@link #UNTAGGED_PAGE}, are 20,480 bytes like every other benchmark's page; the rest are
 * {@value #SMALL_BODY_LENGTH} bytes, so that 100,000 of them fit in a 2 GB heap. Setup fails unless
 * every page is stored and none was evicted.
 *
 * <p>Measured, with the same pages stored for both values of {@link #taggedPages}:
 * <ul>
 *   <li>{@link #purgeTag}: {@code PageCache.purgeTag("news")}, again and again (each is a new number).
 *       Its trial fails at the end unless the first, a middle and the last tagged page are then
 *       answered as purged and the untagged page still as a hit.</li>
 *   <li>{@link #hitNoPurgeSince}: {@code GET} of the untagged page, no purge made since it was
 *       stored: {@code GroupVersions.check} answers at its first comparison (the fast path).</li>
 *   <li>{@link #hitAfterPurge}: the same request after one purge of the tag, made once in setup:
 *       the page began before that purge, so every hit looks up each of its groups (the slow path),
 *       finds none purged and serves it.</li>
 *   <li>{@link #purgeThenFirstLookup}: a purge of the tag, then {@code GET} of the tagged page:
 *       the lookup finds it purged, and the request renders and stores it again (a miss:
 *       {@code Cache-Status: pagecache; fwd=stale; stored; detail=purged}).</li>
 *   <li>{@code check*}: the decision alone, {@link FleetPurges#check} (which the filter calls on each
 *       lookup), given the groups the filter recorded for the two stored pages: fast path, slow
 *       path answering current, slow path answering purged; and the slow path at its longest, for
 *       a page with the most groups the filter records (83), none purged.</li>
 * </ul>
 *
 * <p>Every measured request is checked: an iteration fails if a hit benchmark saw a miss or a
 * purged page, or if the first-lookup benchmark saw anything but one purged page and one store
 * per operation. Setup proves that the page the slow-path benchmark requests began before the
 * last purge and the fast-path one did not.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 15, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Threads(1)
public class TagPurgeBenchmark {
  static final String TAG = "news";
  static final int UNTAGGED_PAGES = 1_000;
  static final int SMALL_BODY_LENGTH = 1_024;
  static final String TAGGED_PREFIX = "/news/2026/11/story-";
  static final String UNTAGGED_PREFIX = "/articles/2026/11/story-";
  /** The tagged page requested while measuring: the first one stored. */
  static final String TAGGED_PAGE = TAGGED_PREFIX + 0;
  static final String UNTAGGED_PAGE = UNTAGGED_PREFIX + 0;
  static final String HIT = "pagecache; hit";
  static final String PURGED_THEN_STORED = "pagecache; fwd=stale; stored; detail=purged";

  /** How many stored pages carry the tag that is purged. */
  @Param({"1", "100000"})
  public int taggedPages;

  private Server server;
  private LocalConnector connector;
  private CaffeinePageStore store;
  private PageCache cache;
  private CacheRule rule;

  ByteBuffer taggedGet;
  ByteBuffer untaggedGet;

  /** A keep-alive connection per benchmark thread. */
  @State(Scope.Thread)
  public static class Connection {
    LocalExchange exchange;

    @Setup(Level.Trial)
    public void open(TagPurgeBenchmark site) {
      exchange = new LocalExchange(site.connector);
    }

    @TearDown(Level.Trial)
    public void close() {
      exchange.close();
    }
  }

  @Setup(Level.Trial)
  public void start() throws Exception {
    rule = CacheRule.forPath("/*").ttl(Duration.ofDays(1)).build();
    // The store the filter would make itself; handed in only so that setup can read what it recorded.
    store = new CaffeinePageStore(1L << 30, InstantSource.system());
    PageCacheFilter filter = new PageCacheFilter(PageCacheConfig.builder().rule(rule).store(store).build());
    server = new Server();
    connector = new LocalConnector(server);
    connector.setIdleTimeout(TimeUnit.MINUTES.toMillis(10));
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
    context.addServlet(new ServletHolder("pages", new TaggedPagesServlet()), "/*");
    context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
    try {
      cache = filter.pageCache().orElseThrow(() -> new IllegalStateException("filter not started"));
      taggedGet = LocalExchange.request("GET", TAGGED_PAGE);
      untaggedGet = LocalExchange.request("GET", UNTAGGED_PAGE);
      fill();
    } catch (Exception | Error e) {
      server.stop(); // or the forked JVM waits on Jetty's threads
      throw e;
    }
  }

  /** Stores every page through the filter, then proves they are all there and answered as hits. */
  private void fill() throws Exception {
    LocalExchange client = new LocalExchange(connector);
    try {
      for (int i = 0; i < taggedPages; i++) {
        store(client, TAGGED_PREFIX + i);
      }
      for (int i = 0; i < UNTAGGED_PAGES; i++) {
        store(client, UNTAGGED_PREFIX + i);
      }
      requireAnswer(client, taggedGet, HIT, Pages.BODY_LENGTH, "tagged page before any purge");
      requireAnswer(client, untaggedGet, HIT, Pages.BODY_LENGTH, "untagged page before any purge");
    } finally {
      client.close();
    }
    PageCacheStats stats = cache.stats();
    long expected = (long) taggedPages + UNTAGGED_PAGES;
    if (stats.stores() != expected || stats.entries() != expected || stats.evictions() != 0) {
      throw new IllegalStateException("expected " + expected + " pages stored and none evicted; stats: "
          + stats.toJson());
    }
    List<String> groups = storedPage(TAGGED_PAGE).purgeGroups();
    if (!groups.contains("t:" + TAG)) {
      throw new IllegalStateException(TAGGED_PAGE + " is not in the tag's group: " + groups);
    }
  }

  private static void store(LocalExchange client, String target) throws Exception {
    LocalExchange.Response response = client.fetch(LocalExchange.request("GET", target), false);
    if (response.status() != 200 || !response.header("Cache-Status").orElse("").endsWith("; stored")) {
      throw new IllegalStateException(target + " was not stored:\n" + response);
    }
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    System.out.println("\n# pagecache stats at the end of the trial: " + cache.stats().toJson());
    server.stop();
  }

  /** The page the filter stored for {@code target}, read from the store. */
  CachedPage storedPage(String target) {
    String key = CacheKeys.primary(new BenchRequest("GET", target, BenchRequest.browserHeaders()), rule);
    Optional<CacheEntry> entry = store.get(key);
    if (entry.isEmpty() || !(entry.get() instanceof CachedPage page)) {
      throw new IllegalStateException("no page stored under " + key + ": " + entry);
    }
    return page;
  }

  long purgeSequence() {
    return cache.stats().purges().get("sequence");
  }

  static LocalExchange.Response requireAnswer(LocalExchange client, ByteBuffer request, String cacheStatus,
      int bodyLength, String what) throws Exception {
    LocalExchange.Response response = client.fetch(request, false);
    if (response.status() != 200 || response.bodyLength() != bodyLength
        || !response.header("Cache-Status").equals(Optional.of(cacheStatus))) {
      throw new IllegalStateException(what + ": expected Cache-Status '" + cacheStatus + "' and "
          + bodyLength + " body bytes; got:\n" + response);
    }
    return response;
  }

  // ---- The purge ----

  /** After the purges: the tag's pages, wherever they are in the order they were stored, are purged. */
  @State(Scope.Benchmark)
  public static class PurgeCheck {
    @TearDown(Level.Trial)
    public void requirePurged(TagPurgeBenchmark site) throws Exception {
      LocalExchange client = new LocalExchange(site.connector);
      try {
        for (int i : java.util.stream.IntStream.of(0, site.taggedPages / 2, site.taggedPages - 1).distinct().toArray()) {
          int length = i == 0 ? Pages.BODY_LENGTH : SMALL_BODY_LENGTH;
          requireAnswer(client, LocalExchange.request("GET", TAGGED_PREFIX + i), PURGED_THEN_STORED, length,
              "tagged page " + i + " after the purges");
        }
        requireAnswer(client, site.untaggedGet, HIT, Pages.BODY_LENGTH, "untagged page after the purges");
      } finally {
        client.close();
      }
    }
  }

  @Benchmark
  public void purgeTag(PurgeCheck check) {
    cache.purgeTag(TAG);
  }

  // ---- Hits on a page the purges do not reach ----

  /** Counters at the start of an iteration; the iteration fails if any request was not a plain hit. */
  @State(Scope.Benchmark)
  public static class HitsOnly {
    private long misses;
    private long purgedHits;

    @Setup(Level.Iteration)
    public void mark(TagPurgeBenchmark site) {
      PageCacheStats stats = site.cache.stats();
      misses = stats.misses();
      purgedHits = stats.purges().get("purgedHits");
    }

    @TearDown(Level.Iteration)
    public void requireOnlyHits(TagPurgeBenchmark site) {
      PageCacheStats stats = site.cache.stats();
      if (stats.misses() != misses || stats.purges().get("purgedHits") != purgedHits) {
        throw new IllegalStateException("misses or purged pages during the iteration: not a hit-path measurement; "
            + stats.toJson());
      }
    }
  }

  /** The untagged page was stored after the last purge (here: there was none). */
  @State(Scope.Benchmark)
  public static class NoPurgeSince {
    @Setup(Level.Trial)
    public void requireFastPath(TagPurgeBenchmark site) {
      long recorded = site.storedPage(UNTAGGED_PAGE).purgeSequence();
      if (recorded < site.purgeSequence()) {
        throw new IllegalStateException("the page began before a purge: this would be the slow path");
      }
    }
  }

  /** One purge of the tag after every page was stored: the untagged page began before it. */
  @State(Scope.Benchmark)
  public static class PurgedSince {
    @Setup(Level.Trial)
    public void purgeOnce(TagPurgeBenchmark site) throws Exception {
      site.cache.purgeTag(TAG);
      long recorded = site.storedPage(UNTAGGED_PAGE).purgeSequence();
      if (recorded >= site.purgeSequence()) {
        throw new IllegalStateException("the page does not predate the purge: this would be the fast path");
      }
      LocalExchange client = new LocalExchange(site.connector);
      try {
        requireAnswer(client, site.untaggedGet, HIT, Pages.BODY_LENGTH, "untagged page after a purge");
      } finally {
        client.close();
      }
    }
  }

  @Benchmark
  public int hitNoPurgeSince(Connection connection, NoPurgeSince fastPath, HitsOnly check) throws Exception {
    return connection.exchange.exchange(untaggedGet, false);
  }

  @Benchmark
  public int hitAfterPurge(Connection connection, PurgedSince slowPath, HitsOnly check) throws Exception {
    return connection.exchange.exchange(untaggedGet, false);
  }

  // ---- The first lookup of a purged page ----

  /**
   * Counts operations; an iteration fails unless each was a miss that stored the page again and
   * found it purged. The filter checks a purged page twice per such request (on the lookup, and
   * again when its render takes the lead: the page may have been stored meanwhile), so
   * {@code purgedHits} grows by two per operation, not one.
   */
  @State(Scope.Benchmark)
  public static class PurgedLookups {
    long operations;
    private long purgedHits;
    private long misses;
    private long stores;
    private long hits;

    @Setup(Level.Trial)
    public void requirePurgedAnswer(TagPurgeBenchmark site) throws Exception {
      LocalExchange client = new LocalExchange(site.connector);
      try {
        site.cache.purgeTag(TAG);
        requireAnswer(client, site.taggedGet, PURGED_THEN_STORED, Pages.BODY_LENGTH, "tagged page after a purge");
        requireAnswer(client, site.taggedGet, HIT, Pages.BODY_LENGTH, "tagged page, stored again");
      } finally {
        client.close();
      }
    }

    @Setup(Level.Iteration)
    public void mark(TagPurgeBenchmark site) {
      PageCacheStats stats = site.cache.stats();
      operations = 0;
      purgedHits = stats.purges().get("purgedHits");
      misses = stats.misses();
      stores = stats.stores();
      hits = stats.hits();
    }

    @TearDown(Level.Iteration)
    public void requireEachPurged(TagPurgeBenchmark site) {
      PageCacheStats stats = site.cache.stats();
      if (stats.misses() - misses != operations || stats.stores() - stores != operations || stats.hits() != hits
          || stats.purges().get("purgedHits") - purgedHits < operations) {
        throw new IllegalStateException(operations + " operations, but not each one a purged page stored again; "
            + stats.toJson());
      }
    }
  }

  @Benchmark
  public int purgeThenFirstLookup(Connection connection, PurgedLookups lookups) throws Exception {
    cache.purgeTag(TAG);
    lookups.operations++;
    return connection.exchange.exchange(taggedGet, false);
  }

  // ---- The decision alone ----

  /**
   * A {@link FleetPurges} of a JVM alone, as the filter has without memcached, with the tag purged
   * once; and the sequence numbers and groups the filter recorded for the two pages.
   */
  @State(Scope.Benchmark)
  public static class GroupCheck {
    FleetPurges purges;
    List<String> taggedGroups;
    List<String> untaggedGroups;
    /** The most groups the filter records for a page, none of them purged. */
    List<String> mostGroups;
    long beforePurge;
    long afterPurge;

    @Setup(Level.Trial)
    public void purgeOnce(TagPurgeBenchmark site) {
      taggedGroups = site.storedPage(TAGGED_PAGE).purgeGroups();
      untaggedGroups = site.storedPage(UNTAGGED_PAGE).purgeGroups();
      mostGroups = mostGroups();
      purges = FleetPurges.local();
      beforePurge = purges.sequence();
      purges.purge("t:" + TAG);
      afterPurge = purges.sequence();
      require(purges.check(afterPurge, untaggedGroups), GroupVersions.Verdict.CURRENT, "page begun after the purge");
      require(purges.check(beforePurge, untaggedGroups), GroupVersions.Verdict.CURRENT, "untagged page");
      require(purges.check(beforePurge, taggedGroups), GroupVersions.Verdict.PURGED, "tagged page");
      require(purges.check(beforePurge, mostGroups), GroupVersions.Verdict.CURRENT, "page with the most groups");
    }

    /**
     * Everything, the URL, the root and {@value PurgeGroups#MAX_PREFIX_DEPTH} path prefixes, and
     * {@value TagTemplate#MAX_TAGS_PER_PAGE} tags: what a page 20 segments deep with every tag it
     * may keep records.
     */
    private static List<String> mostGroups() {
      String origin = "http://www.example.com:80";
      StringBuilder path = new StringBuilder();
      for (int i = 0; i < PurgeGroups.MAX_PREFIX_DEPTH + 4; i++) {
        path.append("/section-").append(i);
      }
      List<String> tags = new ArrayList<>();
      for (int i = 0; i < TagTemplate.MAX_TAGS_PER_PAGE; i++) {
        tags.add("product-" + i);
      }
      List<String> groups = List.copyOf(PurgeGroups.of(origin, path.toString(), origin + path, tags));
      int most = 3 + PurgeGroups.MAX_PREFIX_DEPTH + TagTemplate.MAX_TAGS_PER_PAGE;
      if (groups.size() != most) {
        throw new IllegalStateException(groups.size() + " groups, expected " + most + ": " + groups);
      }
      return groups;
    }

    private static void require(GroupVersions.Verdict got, GroupVersions.Verdict expected, String what) {
      if (got != expected) {
        throw new IllegalStateException(what + ": " + got + ", expected " + expected);
      }
    }
  }

  /** A page begun after the last purge: one comparison. */
  @Benchmark
  public GroupVersions.Verdict checkNoPurgeSince(GroupCheck decision) {
    return decision.purges.check(decision.afterPurge, decision.untaggedGroups);
  }

  /** A page begun before a purge that does not reach it: each group looked up. */
  @Benchmark
  public GroupVersions.Verdict checkAfterPurge(GroupCheck decision) {
    return decision.purges.check(decision.beforePurge, decision.untaggedGroups);
  }

  /** The slow path at its longest: a page with the most groups a page records, none purged. */
  @Benchmark
  public GroupVersions.Verdict checkAfterPurgeMostGroups(GroupCheck decision) {
    return decision.purges.check(decision.beforePurge, decision.mostGroups);
  }

  /** A page the purge reaches: groups looked up until the tag's. */
  @Benchmark
  public GroupVersions.Verdict checkPurged(GroupCheck decision) {
    return decision.purges.check(decision.beforePurge, decision.taggedGroups);
  }

  /**
   * Pages under {@value #TAGGED_PREFIX}N carry {@code Surrogate-Key: news}; the two measured pages
   * are 20,480 bytes, the others {@value #SMALL_BODY_LENGTH}.
   */
  static final class TaggedPagesServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient byte[] page = Pages.html(Pages.BODY_LENGTH);
    private final transient byte[] smallPage = Pages.html(SMALL_BODY_LENGTH);

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      String path = request.getRequestURI();
      byte[] body = path.equals(TAGGED_PAGE) || path.equals(UNTAGGED_PAGE) ? page : smallPage;
      response.setContentType(Pages.CONTENT_TYPE);
      if (path.startsWith(TAGGED_PREFIX)) {
        response.setHeader("Surrogate-Key", TAG);
      }
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }
  }
}
