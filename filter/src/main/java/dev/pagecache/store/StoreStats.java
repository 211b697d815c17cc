package dev.pagecache.store;

/**
 * What a store holds and what it had to drop.
 *
 * @param entries entries held now, pages and variant indexes alike
 * @param weightedBytes the sum of {@link CacheEntry#weight()} over those entries
 * @param maxBytes the bound on {@code weightedBytes}
 * @param evictions entries dropped to stay under the bound or because they expired
 */
public record StoreStats(long entries, long weightedBytes, long maxBytes, long evictions) {}
