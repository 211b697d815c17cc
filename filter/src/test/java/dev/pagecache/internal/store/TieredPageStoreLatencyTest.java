package dev.pagecache.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.store.CacheEntry;
import dev.pagecache.store.Latency;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.StoreStats;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The tiered store times every call to its shared layer, whatever store that is: here a plain map
 * whose every call lasts at least a millisecond, so the figures have a known lower bound.
 */
class TieredPageStoreLatencyTest {
  private static final long MILLI = Duration.ofMillis(1).toNanos();

  /** A shared layer that takes at least a millisecond per call, and fails on request. */
  private static final class SlowStore implements PageStore {
    final Map<String, CacheEntry> entries = new ConcurrentHashMap<>();
    volatile boolean failing;

    private void work() {
      long start = System.nanoTime();
      while (System.nanoTime() - start < MILLI) {
        Thread.onSpinWait();
      }
      if (failing) {
        throw new IllegalStateException("down");
      }
    }

    @Override
    public Optional<CacheEntry> get(String key) {
      work();
      return Optional.ofNullable(entries.get(key));
    }

    @Override
    public void put(String key, CacheEntry entry) {
      work();
      entries.put(key, entry);
    }

    @Override
    public void remove(String key) {
      work();
      entries.remove(key);
    }

    @Override
    public void clear() {
      work();
      entries.clear();
    }

    @Override
    public StoreStats stats() {
      return new StoreStats(entries.size(), 0, 0, 0, 0);
    }
  }

  private static CachedPage page() {
    Instant now = Instant.now();
    return CachedPage.builder().body(new byte[10]).storedAt(now).expiresAt(now.plusSeconds(60)).build();
  }

  private final SlowStore shared = new SlowStore();
  private final TieredPageStore tiered = new TieredPageStore(new CaffeinePageStore(1 << 20, InstantSource.system()), shared);

  @Test
  void sharedGetsAreTimedWhetherTheyFindAPageMissOrFail() {
    shared.entries.put("theirs", page());

    assertThat(tiered.get("theirs")).isPresent(); // shared hit, copied into memory
    assertThat(tiered.get("theirs")).isPresent(); // local hit: no shared call
    assertThat(tiered.get("nobody's")).isEmpty(); // shared miss
    shared.failing = true;
    assertThat(tiered.get("failing")).isEmpty(); // shared failure: a miss

    Latency gets = tiered.stats().sharedLatency().get("get");
    assertThat(gets.count()).isEqualTo(3);
    assertThat(gets.totalNanos()).isGreaterThanOrEqualTo(3 * MILLI);
    assertThat(gets.maxNanos()).isGreaterThanOrEqualTo(MILLI).isLessThanOrEqualTo(gets.totalNanos());
    assertThat(gets.mean()).isGreaterThanOrEqualTo(Duration.ofMillis(1));
  }

  @Test
  void writesRemovalsAndClearsAreTimedPerOperation() {
    tiered.put("a", page());
    tiered.put("b", page());
    tiered.remove("a");
    tiered.clear();
    tiered.close(); // waits for the background writer

    Map<String, Latency> latency = tiered.stats().sharedLatency();
    // A write the purge overtook is dropped before it reaches the shared layer: at most two puts.
    assertThat(latency.get("put").count()).isBetween(0L, 2L);
    assertThat(latency.get("remove").count()).isGreaterThanOrEqualTo(1);
    assertThat(latency.get("remove").maxNanos()).isGreaterThanOrEqualTo(MILLI);
    assertThat(latency.get("clear").count()).isEqualTo(1);
    assertThat(latency.get("clear").totalNanos()).isGreaterThanOrEqualTo(MILLI);
    assertThat(latency.get("get").count()).isZero();
    assertThat(latency).containsKeys("lease", "release", "lease-check");
  }

  @Test
  void aWriteThatReachesTheSharedLayerIsTimed() {
    tiered.put("a", page());
    tiered.close(); // waits for the background writer

    Latency puts = tiered.stats().sharedLatency().get("put");
    assertThat(puts.count()).isEqualTo(1);
    assertThat(puts.totalNanos()).isGreaterThanOrEqualTo(MILLI);
    assertThat(shared.entries).containsKey("a");
  }
}
