package dev.pagecache.internal.store;

import dev.pagecache.store.CacheEntry;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.StoreStats;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The per-JVM store: a Caffeine cache bounded by the total {@link CacheEntry#weight()} of its
 * entries, each expiring at its own {@link CacheEntry#evictableAt()} as told by the injected
 * clock. Reads are lock-free and copy nothing: a hit hands out the stored snapshot itself, which
 * is immutable.
 */
public final class CaffeinePageStore implements PageStore {
  /** Caffeine's node, the map's node and table slot, and the key's own object, per entry. */
  private static final int KEY_OVERHEAD_BYTES = 120;

  private final Cache<String, CacheEntry> cache;
  private final long maxBytes;
  private final LongAdder evictedForSize = new LongAdder();
  private final LongAdder expired = new LongAdder();

  public CaffeinePageStore(long maxBytes, InstantSource clock) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.cache = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((String key, CacheEntry entry) -> KEY_OVERHEAD_BYTES + key.length() + entry.weight())
        .expireAfter(new EntryExpiry(clock))
        .ticker(ticker(clock))
        // Maintenance (eviction, expiry) runs on the calling thread: the JDK common pool has one
        // worker on a 2-core machine, and the work per write is small and amortised.
        .executor(Runnable::run)
        // Caffeine's own stats would count every get once more, and lump expiries in with evictions.
        .evictionListener((String key, CacheEntry entry, RemovalCause cause) -> evicted(cause))
        .build();
  }

  @Override
  public Optional<CacheEntry> get(String key) {
    return Optional.ofNullable(cache.getIfPresent(key));
  }

  @Override
  public void put(String key, CacheEntry entry) {
    cache.put(key, entry);
  }

  @Override
  public void remove(String key) {
    cache.invalidate(key);
  }

  @Override
  public void clear() {
    cache.invalidateAll();
  }

  @Override
  public StoreStats stats() {
    long weighted = cache.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    return new StoreStats(cache.estimatedSize(), weighted, maxBytes, evictedForSize.sum(), expired.sum());
  }

  /** Only what the cache dropped on its own: a purge ({@code EXPLICIT}) or a newer copy ({@code REPLACED}) is no eviction. */
  private void evicted(RemovalCause cause) {
    if (cause == RemovalCause.EXPIRED) {
      expired.increment();
    } else if (cause == RemovalCause.SIZE) {
      evictedForSize.increment();
    }
  }

  /** Runs pending eviction and expiry work now, so stats reflect it (for tests and stats pages). */
  public void cleanUp() {
    cache.cleanUp();
  }

  private static Ticker ticker(InstantSource clock) {
    return () -> nanos(clock.instant());
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  private static final class EntryExpiry implements Expiry<String, CacheEntry> {
    private final InstantSource clock;

    EntryExpiry(InstantSource clock) {
      this.clock = clock;
    }

    private long untilEvictable(CacheEntry entry) {
      Duration left = Duration.between(clock.instant(), entry.evictableAt());
      return left.isNegative() ? 0 : saturatedNanos(left);
    }

    private static long saturatedNanos(Duration duration) {
      try {
        return duration.toNanos();
      } catch (ArithmeticException tooLong) {
        return Long.MAX_VALUE;
      }
    }

    @Override
    public long expireAfterCreate(String key, CacheEntry entry, long currentTime) {
      return untilEvictable(entry);
    }

    @Override
    public long expireAfterUpdate(String key, CacheEntry entry, long currentTime, long currentDuration) {
      return untilEvictable(entry);
    }

    @Override
    public long expireAfterRead(String key, CacheEntry entry, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
