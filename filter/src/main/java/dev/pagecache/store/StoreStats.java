package dev.pagecache.store;

import java.util.Map;

/**
 * What a store holds and what it had to drop.
 *
 * @param entries entries held now, pages and variant indexes alike
 * @param weightedBytes the sum of {@link CacheEntry#weight()} over those entries
 * @param maxBytes the bound on {@code weightedBytes}
 * @param evictions entries dropped to stay under the bound or because they expired
 * @param sharedLayer counters of a shared layer (memcached), by name; empty without one
 */
public record StoreStats(long entries, long weightedBytes, long maxBytes, long evictions, Map<String, Long> sharedLayer) {

  public StoreStats {
    sharedLayer = Map.copyOf(sharedLayer);
  }

  public StoreStats(long entries, long weightedBytes, long maxBytes, long evictions) {
    this(entries, weightedBytes, maxBytes, evictions, Map.of());
  }
}
