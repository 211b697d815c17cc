package dev.pagecache.store;

import java.util.Map;

/**
 * What a store holds and what it had to drop.
 *
 * <p>Only entries the store dropped on its own count as evictions: {@code evictedForSize} to stay
 * under its bound, {@code expired} because their time was over. Entries removed by a purge or
 * replaced by a newer render are not evictions.
 *
 * @param entries entries held now, pages and variant indexes alike
 * @param weightedBytes the sum of {@link CacheEntry#weight()} over those entries
 * @param maxBytes the bound on {@code weightedBytes}
 * @param evictedForSize entries dropped to make room for others (the least valuable first)
 * @param expired entries dropped because they could no longer be served nor revalidated
 * @param sharedLayer counters of a shared layer (memcached), by name; empty without one
 * @param sharedLatency how long the calls to a shared layer took, by operation ({@code get},
 *     {@code put}, {@code remove}...); empty without one
 */
public record StoreStats(long entries, long weightedBytes, long maxBytes, long evictedForSize, long expired,
    Map<String, Long> sharedLayer, Map<String, Latency> sharedLatency) {

  /**
   * Copies the maps.
   *
   * @param entries entries held now
   * @param weightedBytes their summed weight
   * @param maxBytes the bound on {@code weightedBytes}
   * @param evictedForSize entries dropped for room
   * @param expired entries dropped because their time was over
   * @param sharedLayer a shared layer's counters, by name
   * @param sharedLatency a shared layer's call times, by operation
   */
  public StoreStats {
    sharedLayer = Map.copyOf(sharedLayer);
    sharedLatency = Map.copyOf(sharedLatency);
  }

  /**
   * The figures of a store with no shared layer.
   *
   * @param entries entries held now
   * @param weightedBytes their summed weight
   * @param maxBytes the bound on {@code weightedBytes}
   * @param evictedForSize entries dropped for room
   * @param expired entries dropped because their time was over
   */
  public StoreStats(long entries, long weightedBytes, long maxBytes, long evictedForSize, long expired) {
    this(entries, weightedBytes, maxBytes, evictedForSize, expired, Map.of(), Map.of());
  }

  /**
   * The figures of a shared layer that holds nothing in this JVM: only its counters.
   *
   * @param sharedLayer its counters, by name
   * @return stats with every local figure zero
   */
  public static StoreStats ofSharedLayer(Map<String, Long> sharedLayer) {
    return new StoreStats(0, 0, 0, 0, 0, sharedLayer, Map.of());
  }

  /**
   * Entries the store dropped on its own, for either cause.
   *
   * @return {@code evictedForSize + expired}
   */
  public long evictions() {
    return evictedForSize + expired;
  }
}
