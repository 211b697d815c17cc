package dev.pagecache.jmx;

import dev.pagecache.PageCacheStats;
import dev.pagecache.store.Latency;
import java.util.Map;

/**
 * A running page cache as JMX sees it: its figures as attributes and its purges as operations.
 * The filter registers one per filter instance with the platform MBean server, named
 * {@code dev.pagecache:type=PageCache,context=<context path>,filter=<filter name>} (the root
 * context is {@code /}; values that need it are quoted), and unregisters it when the filter is
 * destroyed. Each attribute reads the live figures ({@link dev.pagecache.PageCache#stats()}); the
 * meanings are those of {@link PageCacheStats}.
 */
public interface PageCacheMXBean {
  /** The domain of the object names: {@value}. */
  String DOMAIN = "dev.pagecache";

  /**
   * Requests answered from the cache.
   *
   * @return {@link PageCacheStats#hits()}
   */
  long getHits();

  /**
   * Requests that matched a rule and went to the origin.
   *
   * @return {@link PageCacheStats#misses()}
   */
  long getMisses();

  /**
   * Hits over hits and misses.
   *
   * @return {@link PageCacheStats#hitRatio()}
   */
  double getHitRatio();

  /**
   * Hits found in the shared layer.
   *
   * @return {@link PageCacheStats#sharedHits()}
   */
  long getSharedHits();

  /**
   * Hits answered 304 Not Modified.
   *
   * @return {@link PageCacheStats#notModified()}
   */
  long getNotModified();

  /**
   * Expired pages served while their successor rendered.
   *
   * @return {@link PageCacheStats#staleServed()}
   */
  long getStaleServed();

  /**
   * Expired pages served because their successor's render failed.
   *
   * @return {@link PageCacheStats#staleIfErrorServed()}
   */
  long getStaleIfErrorServed();

  /**
   * Responses stored.
   *
   * @return {@link PageCacheStats#stores()}
   */
  long getStores();

  /**
   * Requests that skipped the cache, by reason.
   *
   * @return {@link PageCacheStats#bypassed()}
   */
  Map<String, Long> getBypassed();

  /**
   * Responses not stored, by reason.
   *
   * @return {@link PageCacheStats#notStored()}
   */
  Map<String, Long> getNotStored();

  /**
   * Store calls that failed.
   *
   * @return {@link PageCacheStats#storeErrors()}
   */
  long getStoreErrors();

  /**
   * Purges.
   *
   * @return {@link PageCacheStats#invalidations()}
   */
  long getInvalidations();

  /**
   * Entries held in this JVM's memory.
   *
   * @return {@link PageCacheStats#entries()}
   */
  long getEntries();

  /**
   * Their weighed size in bytes.
   *
   * @return {@link PageCacheStats#bytes()}
   */
  long getBytes();

  /**
   * The bound on that size.
   *
   * @return {@link PageCacheStats#maxBytes()}
   */
  long getMaxBytes();

  /**
   * Entries dropped for room.
   *
   * @return {@link PageCacheStats#evictedForSize()}
   */
  long getEvictedForSize();

  /**
   * Entries dropped because their time was over.
   *
   * @return {@link PageCacheStats#expired()}
   */
  long getExpired();

  /**
   * Misses that waited for another request's render.
   *
   * @return {@link PageCacheStats#coalescedWaits()}
   */
  long getCoalescedWaits();

  /**
   * Of those, the ones answered by that render.
   *
   * @return {@link PageCacheStats#coalescedHits()}
   */
  long getCoalescedHits();

  /**
   * Background renders.
   *
   * @return {@link PageCacheStats#refreshes()}
   */
  long getRefreshes();

  /**
   * Background renders that stored nothing.
   *
   * @return {@link PageCacheStats#refreshFailures()}
   */
  long getRefreshFailures();

  /**
   * Revalidations: started, and answered not modified, replaced or failed.
   *
   * @return {@link PageCacheStats#revalidations()}
   */
  PageCacheStats.Revalidations getRevalidations();

  /**
   * The shared layer's counters (breaker state among them: {@code breakerOpen} is 1 while open).
   *
   * @return {@link PageCacheStats#sharedLayer()}
   */
  Map<String, Long> getSharedLayer();

  /**
   * How long calls to the shared layer took, by operation.
   *
   * @return {@link PageCacheStats#sharedLatency()}
   */
  Map<String, Latency> getSharedLatency();

  /**
   * Figures per rule, by rule name.
   *
   * @return {@link PageCacheStats#rules()}
   */
  Map<String, PageCacheStats.RuleStats> getRules();

  /**
   * Every figure at once.
   *
   * @return {@link PageCacheStats#toJson()}
   */
  String getStatsJson();

  /**
   * Removes every stored variant of one URL, on every JVM of the fleet.
   *
   * @param url an absolute URL as clients request it, e.g. {@code http://example.com/wiki/Home}
   * @see dev.pagecache.PageCache#purge(java.net.URI)
   */
  void purge(String url);

  /**
   * Purges every page carrying {@code tag}.
   *
   * @param tag the tag
   * @see dev.pagecache.PageCache#purgeTag(String)
   */
  void purgeTag(String tag);

  /**
   * Purges every URL under a prefix, in whole path segments.
   *
   * @param prefix an absolute URL, e.g. {@code http://example.com/wiki/}
   * @see dev.pagecache.PageCache#purgePrefix(java.net.URI)
   */
  void purgePrefix(String prefix);

  /**
   * Removes everything the cache holds, on every JVM of the fleet.
   *
   * @see dev.pagecache.PageCache#purgeAll()
   */
  void purgeAll();
}
