package dev.pagecache.metrics;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheStats;
import dev.pagecache.internal.policy.Reason;
import dev.pagecache.store.Latency;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Binds a page cache's figures to a Micrometer registry, named and tagged the way Micrometer's own
 * cache binders do ({@code cache.gets} with {@code result=hit|miss}, {@code cache.puts},
 * {@code cache.evictions}, {@code cache.size}), under {@code pagecache.*}:
 *
 * <pre>{@code
 * PageCache.from(servletContext).ifPresent(cache -> new PageCacheMeters(cache).bindTo(registry));
 * }</pre>
 *
 * <p>Every meter is a function of {@link PageCache#stats()}, read when the registry asks: nothing
 * is counted twice, and the request path does not know Micrometer. Tags are bounded: reasons and
 * outcomes come from fixed sets, and rule names from the rule set, which is fixed when the cache
 * starts; nothing a client sends becomes a tag.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>tags</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>pagecache.gets</td><td>result=hit|miss</td><td>counter</td><td>requests that matched a rule
 *       and were answered from the cache (hit, 304s and stale pages included) or went to the origin (miss)</td></tr>
 *   <tr><td>pagecache.hits.shared</td><td></td><td>counter</td><td>hits found in the shared layer (rendered by another JVM)</td></tr>
 *   <tr><td>pagecache.hits.not.modified</td><td></td><td>counter</td><td>hits answered 304 Not Modified</td></tr>
 *   <tr><td>pagecache.hits.stale</td><td>window=while-revalidate|if-error</td><td>counter</td><td>expired
 *       pages served while their successor renders, or because its render failed</td></tr>
 *   <tr><td>pagecache.hits.collapsed</td><td></td><td>counter</td><td>misses answered by another request's render they waited for</td></tr>
 *   <tr><td>pagecache.puts</td><td></td><td>counter</td><td>responses stored</td></tr>
 *   <tr><td>pagecache.bypasses</td><td>reason</td><td>counter</td><td>requests that skipped the cache, by reason
 *       ({@code no-rule}, {@code authorization}, {@code method}...)</td></tr>
 *   <tr><td>pagecache.not.stored</td><td>reason</td><td>counter</td><td>responses not stored, by reason
 *       ({@code set-cookie}, {@code too-large}, {@code status}...)</td></tr>
 *   <tr><td>pagecache.revalidations</td><td>outcome=not-modified|replaced|failed</td><td>counter</td><td>what the
 *       origin answered when asked about an expired page with its validators</td></tr>
 *   <tr><td>pagecache.revalidations.started</td><td></td><td>counter</td><td>such questions asked</td></tr>
 *   <tr><td>pagecache.coalesced.waits</td><td></td><td>counter</td><td>misses that waited for another request's render</td></tr>
 *   <tr><td>pagecache.coalesced.timeouts</td><td></td><td>counter</td><td>of those, waits that ran out</td></tr>
 *   <tr><td>pagecache.refreshes</td><td></td><td>counter</td><td>background renders (stale-while-revalidate, warm-up, refresh after purge)</td></tr>
 *   <tr><td>pagecache.refresh.failures</td><td></td><td>counter</td><td>of those, the ones that stored nothing</td></tr>
 *   <tr><td>pagecache.invalidations</td><td></td><td>counter</td><td>purges: of URLs, tags, prefixes, everything</td></tr>
 *   <tr><td>pagecache.store.errors</td><td></td><td>counter</td><td>store calls that failed and fell back to the origin</td></tr>
 *   <tr><td>pagecache.evictions</td><td>cause=size|expired</td><td>counter</td><td>entries dropped from this JVM's
 *       memory for room, or because their time was over (purges and replacements are not evictions)</td></tr>
 *   <tr><td>pagecache.size</td><td></td><td>gauge</td><td>entries held in this JVM's memory</td></tr>
 *   <tr><td>pagecache.memory.used</td><td></td><td>gauge, bytes</td><td>their weighed size</td></tr>
 *   <tr><td>pagecache.memory.max</td><td></td><td>gauge, bytes</td><td>the bound on it</td></tr>
 *   <tr><td>pagecache.rule.gets</td><td>rule, result=hit|miss</td><td>counter</td><td>{@code pagecache.gets} per rule</td></tr>
 *   <tr><td>pagecache.rule.puts</td><td>rule</td><td>counter</td><td>{@code pagecache.puts} per rule</td></tr>
 *   <tr><td>pagecache.rule.hits.stale</td><td>rule</td><td>counter</td><td>stale-while-revalidate hits per rule</td></tr>
 *   <tr><td>pagecache.rule.not.stored</td><td>rule</td><td>counter</td><td>responses not stored per rule, any reason</td></tr>
 *   <tr><td>pagecache.rule.bypasses</td><td>rule</td><td>counter</td><td>requests that skipped the cache per
 *       rule, any reason (requests that match no rule are in {@code pagecache.bypasses{reason=no-rule}})</td></tr>
 *   <tr><td>pagecache.shared.calls</td><td>operation</td><td>function timer</td><td>calls to the shared layer
 *       ({@code get}, {@code put}, {@code remove}, {@code clear}, {@code lease}, {@code release},
 *       {@code lease-check}), failed ones included; only with a shared layer</td></tr>
 *   <tr><td>pagecache.shared.calls.max</td><td>operation</td><td>time gauge</td><td>the longest such call since start</td></tr>
 *   <tr><td>pagecache.shared.breaker.open</td><td></td><td>gauge</td><td>1 while the circuit breaker in front
 *       of memcached is open (calls skipped), else 0; only with memcached</td></tr>
 *   <tr><td>pagecache.shared.breaker.openings</td><td></td><td>counter</td><td>times it opened</td></tr>
 *   <tr><td>pagecache.shared.failures</td><td></td><td>counter</td><td>shared-layer calls that failed (each a miss or a skipped write)</td></tr>
 *   <tr><td>pagecache.shared.timeouts</td><td></td><td>counter</td><td>memcached calls that timed out</td></tr>
 *   <tr><td>pagecache.shared.writes.dropped</td><td></td><td>counter</td><td>shared writes dropped because the writer fell behind</td></tr>
 * </table>
 *
 * <p>The rule tag is the rule's name in {@link PageCacheStats#rules()}: its path pattern.
 */
public final class PageCacheMeters implements MeterBinder {
  // One description per name: some registries keep only one.
  private static final String GETS = "Requests that matched a rule, answered from the cache (hit) or by the origin (miss)";
  private static final String STALE = "Expired pages served, while their successor renders or because its render failed";
  private static final String REVALIDATIONS = "What the origin answered when asked about an expired page";
  private static final String EVICTIONS = "Entries dropped from this JVM's memory for room or because their time was over";
  private static final String RULE_GETS = "Requests of the rule answered from the cache (hit) or by the origin (miss)";
  private final PageCache cache;
  private final Tags tags;

  /**
   * Meters for {@code cache}, with no tags of their own.
   *
   * @param cache the running cache, e.g. {@code PageCache.from(servletContext)} or
   *     {@code PageCacheFilter.pageCache()}
   */
  public PageCacheMeters(PageCache cache) {
    this(cache, Tags.empty());
  }

  /**
   * Meters for {@code cache}, each carrying {@code tags} too (to tell two applications' caches apart
   * in one registry, say).
   *
   * @param cache the running cache
   * @param tags tags added to every meter
   */
  public PageCacheMeters(PageCache cache, Iterable<Tag> tags) {
    if (cache == null) {
      throw new IllegalArgumentException("PageCacheMeters needs a PageCache");
    }
    this.cache = cache;
    this.tags = Tags.of(tags);
  }

  /**
   * Registers the meters. Those of the shared layer are registered only when the cache has one.
   *
   * @param registry where the meters go
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "pagecache.gets", GETS, PageCacheStats::hits, "result", "hit");
    counter(registry, "pagecache.gets", GETS, PageCacheStats::misses, "result", "miss");
    counter(registry, "pagecache.hits.shared", "Hits found in the shared layer", PageCacheStats::sharedHits);
    counter(registry, "pagecache.hits.not.modified", "Hits answered 304 Not Modified", PageCacheStats::notModified);
    counter(registry, "pagecache.hits.stale", STALE,
        PageCacheStats::staleServed, "window", "while-revalidate");
    counter(registry, "pagecache.hits.stale", STALE,
        PageCacheStats::staleIfErrorServed, "window", "if-error");
    counter(registry, "pagecache.hits.collapsed", "Misses answered by a render they waited for",
        PageCacheStats::coalescedHits);
    counter(registry, "pagecache.puts", "Responses stored", PageCacheStats::stores);
    for (Reason reason : Reason.values()) {
      String detail = reason.detail();
      if (reason.isBypass()) {
        counter(registry, "pagecache.bypasses", "Requests that skipped the cache",
            stats -> stats.bypassed().getOrDefault(detail, 0L), "reason", detail);
      } else {
        counter(registry, "pagecache.not.stored", "Responses not stored",
            stats -> stats.notStored().getOrDefault(detail, 0L), "reason", detail);
      }
    }
    counter(registry, "pagecache.revalidations.started", "Expired pages the origin was asked about",
        stats -> stats.revalidations().started());
    counter(registry, "pagecache.revalidations", REVALIDATIONS,
        stats -> stats.revalidations().notModified(), "outcome", "not-modified");
    counter(registry, "pagecache.revalidations", REVALIDATIONS,
        stats -> stats.revalidations().replaced(), "outcome", "replaced");
    counter(registry, "pagecache.revalidations", REVALIDATIONS,
        stats -> stats.revalidations().failed(), "outcome", "failed");
    counter(registry, "pagecache.coalesced.waits", "Misses that waited for another request's render",
        PageCacheStats::coalescedWaits);
    counter(registry, "pagecache.coalesced.timeouts", "Waits for another render that ran out",
        PageCacheStats::coalesceTimeouts);
    counter(registry, "pagecache.refreshes", "Background renders", PageCacheStats::refreshes);
    counter(registry, "pagecache.refresh.failures", "Background renders that stored nothing",
        PageCacheStats::refreshFailures);
    counter(registry, "pagecache.invalidations", "Purges", PageCacheStats::invalidations);
    counter(registry, "pagecache.store.errors", "Store calls that failed", PageCacheStats::storeErrors);
    counter(registry, "pagecache.evictions", EVICTIONS, PageCacheStats::evictedForSize,
        "cause", "size");
    counter(registry, "pagecache.evictions", EVICTIONS, PageCacheStats::expired,
        "cause", "expired");
    gauge(registry, "pagecache.size", "Entries held in this JVM's memory", null, PageCacheStats::entries);
    gauge(registry, "pagecache.memory.used", "Weighed size of the entries held", BaseUnits.BYTES, PageCacheStats::bytes);
    gauge(registry, "pagecache.memory.max", "Bound on the weighed size", BaseUnits.BYTES, PageCacheStats::maxBytes);

    PageCacheStats now = cache.stats();
    now.rules().keySet().forEach(rule -> bindRule(registry, rule));
    bindSharedLayer(registry, now);
  }

  private void bindRule(MeterRegistry registry, String rule) {
    counter(registry, "pagecache.rule.gets", RULE_GETS,
        stats -> ruleFigure(stats, rule, PageCacheStats.RuleStats::hits), "rule", rule, "result", "hit");
    counter(registry, "pagecache.rule.gets", RULE_GETS,
        stats -> ruleFigure(stats, rule, PageCacheStats.RuleStats::misses), "rule", rule, "result", "miss");
    counter(registry, "pagecache.rule.puts", "Responses of the rule stored",
        stats -> ruleFigure(stats, rule, PageCacheStats.RuleStats::stores), "rule", rule);
    counter(registry, "pagecache.rule.hits.stale", "Expired pages of the rule served while their successor renders",
        stats -> ruleFigure(stats, rule, PageCacheStats.RuleStats::staleServed), "rule", rule);
    counter(registry, "pagecache.rule.not.stored", "Responses of the rule not stored",
        stats -> ruleFigure(stats, rule, PageCacheStats.RuleStats::notStored), "rule", rule);
    counter(registry, "pagecache.rule.bypasses", "Requests of the rule that skipped the cache",
        stats -> ruleFigure(stats, rule, PageCacheStats.RuleStats::bypassed), "rule", rule);
  }

  private static long ruleFigure(PageCacheStats stats, String rule, ToLongFunction<PageCacheStats.RuleStats> figure) {
    PageCacheStats.RuleStats of = stats.rules().get(rule);
    return of == null ? 0 : figure.applyAsLong(of);
  }

  private void bindSharedLayer(MeterRegistry registry, PageCacheStats now) {
    for (String operation : now.sharedLatency().keySet()) {
      FunctionTimer.builder("pagecache.shared.calls", cache,
              c -> latency(c, operation).count(), c -> latency(c, operation).totalNanos(), TimeUnit.NANOSECONDS)
          .description("Calls to the shared layer")
          .tags(tags).tag("operation", operation)
          .register(registry);
      TimeGauge.builder("pagecache.shared.calls.max", cache, TimeUnit.NANOSECONDS,
              c -> latency(c, operation).maxNanos())
          .description("The longest call to the shared layer since start")
          .tags(tags).tag("operation", operation)
          .register(registry);
    }
    Map<String, Long> layer = now.sharedLayer();
    if (layer.containsKey("breakerOpen")) {
      gauge(registry, "pagecache.shared.breaker.open", "1 while the circuit breaker in front of the shared layer is open",
          null, stats -> stats.sharedLayer().getOrDefault("breakerOpen", 0L));
    }
    sharedCounter(registry, layer, "breakerOpenings", "pagecache.shared.breaker.openings", "Times the circuit breaker opened");
    sharedCounter(registry, layer, "failures", "pagecache.shared.failures", "Shared-layer calls that failed");
    sharedCounter(registry, layer, "timeouts", "pagecache.shared.timeouts", "Shared-layer calls that timed out");
    sharedCounter(registry, layer, "writesDropped", "pagecache.shared.writes.dropped",
        "Shared writes dropped because the writer fell behind");
  }

  private void sharedCounter(MeterRegistry registry, Map<String, Long> layer, String key, String name, String description) {
    if (layer.containsKey(key)) {
      counter(registry, name, description, stats -> stats.sharedLayer().getOrDefault(key, 0L));
    }
  }

  private static Latency latency(PageCache cache, String operation) {
    return cache.stats().sharedLatency().getOrDefault(operation, Latency.NONE);
  }

  private void counter(MeterRegistry registry, String name, String description, ToLongFunction<PageCacheStats> figure,
      String... tagPairs) {
    FunctionCounter.builder(name, cache, c -> figure.applyAsLong(c.stats()))
        .description(description)
        .tags(tags).tags(tagPairs)
        .register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String description, String baseUnit,
      ToLongFunction<PageCacheStats> figure) {
    Gauge.builder(name, cache, c -> figure.applyAsLong(c.stats()))
        .description(description)
        .baseUnit(baseUnit)
        .tags(tags)
        .register(registry);
  }
}
