package dev.pagecache.bench;

import dev.pagecache.internal.policy.CacheKeys;
import dev.pagecache.internal.policy.ConditionalRequests;
import dev.pagecache.internal.policy.Freshness;
import dev.pagecache.internal.policy.Reason;
import dev.pagecache.internal.policy.RequestPolicy;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.RuleSet;
import dev.pagecache.store.CacheEntry;
import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.internal.store.CaffeinePageStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What finding a page costs without a container: the primary key, the store lookup and the
 * freshness check ({@link #lookup}), each part alone, and the whole decision the filter makes on a
 * hit before it writes anything ({@link #hitDecision}). The store holds a few thousand other pages,
 * so the lookup is not into an almost empty map.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LookupBenchmark {
  private static final int OTHER_PAGES = 5_000;

  /**
   * A plain article URL, and a search URL with four parameters, once already in name order (as a
   * site's own links usually are) and once not, so the key must sort them.
   */
  @Param({
      "/articles/2026/11/how-we-cache-whole-pages",
      "/search?lang=en&page=2&q=page+cache&utm_source=newsletter",
      "/search?q=page+cache&lang=en&page=2&utm_source=newsletter"})
  public String target;

  private final InstantSource clock = InstantSource.system();
  private CaffeinePageStore store;
  private RuleSet rules;
  private CacheRule rule;
  private BenchRequest request;
  private String key;

  @Setup
  public void fill() {
    rules = RuleSet.of(List.of(
        CacheRule.forPath("/account/*").cache(false).build(),
        CacheRule.forPath("/articles/*").ttl(Duration.ofDays(1)).build(),
        CacheRule.forPath("/search").ttl(Duration.ofMinutes(5)).build()));
    request = new BenchRequest("GET", target, BenchRequest.browserHeaders());
    rule = rules.match(request.method(), request.path()).orElseThrow();
    store = new CaffeinePageStore(1L << 30, clock);
    Instant now = clock.instant();
    byte[] body = Pages.html(Pages.BODY_LENGTH);
    for (int i = 0; i < OTHER_PAGES; i++) {
      store.put("http://www.example.com:80/articles/2026/11/other-page-" + i, Pages.typicalPage(body, now, i));
    }
    key = CacheKeys.primary(request, rule);
    store.put(key, Pages.typicalPage(body.clone(), now, -1));
    if (!lookup()) {
      throw new IllegalStateException("the page is not found fresh under " + key);
    }
  }

  /** The three calls the brief names: key, get, freshness. */
  @Benchmark
  public boolean lookup() {
    String primaryKey = CacheKeys.primary(request, rule);
    Optional<CacheEntry> entry = store.get(primaryKey);
    return entry.isPresent() && entry.get() instanceof CachedPage page && Freshness.isFresh(page, clock.instant());
  }

  @Benchmark
  public String primaryKey() {
    return CacheKeys.primary(request, rule);
  }

  @Benchmark
  public Optional<CacheEntry> storeGet() {
    return store.get(key);
  }

  /**
   * Everything {@code PageCacheFilter.read} and {@code serve} decide on a hit, short of the
   * servlet calls: rule match, bypass checks, key, get, freshness, conditional check, age and
   * the age's text.
   */
  @Benchmark
  public String hitDecision() {
    CacheRule matched = rules.match(request.method(), request.path()).orElseThrow();
    Optional<Reason> bypass = RequestPolicy.bypassReason(request, matched, RequestPolicy.DEFAULT_SESSION_COOKIE);
    if (bypass.isPresent()) {
      throw new IllegalStateException("bypassed: " + bypass.get());
    }
    Optional<CacheEntry> entry = store.get(CacheKeys.primary(request, matched));
    Instant now = clock.instant();
    if (entry.isEmpty() || !(entry.get() instanceof CachedPage page) || !Freshness.isFresh(page, now)) {
      throw new IllegalStateException("not a hit");
    }
    boolean notModified = ConditionalRequests.notModified(request, page);
    return notModified ? "304" : Long.toString(Freshness.age(page, now).getSeconds());
  }
}
