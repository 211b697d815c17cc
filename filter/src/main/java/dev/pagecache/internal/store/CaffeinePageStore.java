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
 *
 * <p>Each entry is held with a counter of its reads, beside the snapshot rather than in it: a
 * read adds one to a {@link LongAdder} (no lock, no allocation), and {@link #peekMemory} reports
 * it for the admin page.
 */
public final class CaffeinePageStore implements PageStore, InspectableStore {
  /**
   * Caffeine's node, the map's node and table slot, the key's own object, and the entry's
   * {@link Counted} holder, per entry.
   */
  static final int KEY_OVERHEAD_BYTES = 160;

  private final Cache<String, Counted> cache;
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
        .weigher((String key, Counted held) -> KEY_OVERHEAD_BYTES + key.length() + held.entry.weight())
        .expireAfter(new EntryExpiry(clock))
        .ticker(ticker(clock))
        // Maintenance (eviction, expiry) runs on the calling thread: the JDK common pool has one
        // worker on a 2-core machine, and the work per write is small and amortised.
        .executor(Runnable::run)
        // Caffeine's own stats would count every get once more, and lump expiries in with evictions.
        .evictionListener((String key, Counted held, RemovalCause cause) -> evicted(cause))
        .build();
  }

  @Override
  public Optional<CacheEntry> get(String key) {
    Counted held = cache.getIfPresent(key);
    if (held == null) {
      return Optional.empty();
    }
    held.increment();
    return Optional.of(held.entry);
  }

  @Override
  public void put(String key, CacheEntry entry) {
    cache.put(key, new Counted(entry));
  }

  @Override
  public void forEachInMemory(Visitor visitor) {
    cache.asMap().forEach((key, held) -> visitor.visit(key, held.entry, held.sum()));
  }

  @Override
  public Optional<Held> peekMemory(String key) {
    return Optional.ofNullable(cache.policy().getIfPresentQuietly(key))
        .map(held -> new Held(held.entry, held.sum()));
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

  /**
   * An entry and its reads. It is the counter itself, so that an entry costs one object more
   * rather than two.
   */
  private static final class Counted extends LongAdder {
    private static final long serialVersionUID = 1L;
    final transient CacheEntry entry;

    Counted(CacheEntry entry) {
      this.entry = entry;
    }
  }

  private static final class EntryExpiry implements Expiry<String, Counted> {
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
    public long expireAfterCreate(String key, Counted held, long currentTime) {
      return untilEvictable(held.entry);
    }

    @Override
    public long expireAfterUpdate(String key, Counted held, long currentTime, long currentDuration) {
      return untilEvictable(held.entry);
    }

    @Override
    public long expireAfterRead(String key, Counted held, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
