package dev.pagecache.internal.store;

import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.store.StoreStats;
import dev.pagecache.internal.store.VariantIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaffeinePageStoreTest {
  private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");

  /** A clock that moves only when told to. */
  private static final class FakeClock implements InstantSource {
    private Instant now = START;

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }
  }

  private final FakeClock clock = new FakeClock();

  private CachedPage pageExpiringIn(Duration lifetime, int bodyBytes) {
    return CachedPage.builder()
        .storedAt(clock.instant())
        .expiresAt(clock.instant().plus(lifetime))
        .body(new byte[bodyBytes])
        .build();
  }

  private CachedPage pageExpiringIn(Duration lifetime) {
    return pageExpiringIn(lifetime, 10);
  }

  @Test
  void aHitHandsOutTheStoredEntryItself() {
    CaffeinePageStore store = new CaffeinePageStore(1_000_000, clock);
    CachedPage page = pageExpiringIn(Duration.ofSeconds(60));

    store.put("k", page);

    assertThat(store.get("k")).containsSame(page);
    assertThat(store.get("other")).isEmpty();
  }

  @Test
  void eachReadIsCountedBesideTheEntryAndAPeekCountsNothing() {
    CaffeinePageStore store = new CaffeinePageStore(1_000_000, clock);
    CachedPage page = pageExpiringIn(Duration.ofSeconds(60));
    store.put("k", page);

    store.get("k");
    store.get("k");
    store.get("k");

    assertThat(store.peekMemory("k")).hasValueSatisfying(held -> {
      assertThat(held.entry()).isSameAs(page);
      assertThat(held.hits()).isEqualTo(3);
    });
    assertThat(store.peekMemory("k").orElseThrow().hits()).as("peeks are not reads").isEqualTo(3);
    java.util.Map<String, Long> visited = new java.util.HashMap<>();
    store.forEachInMemory((key, entry, hits) -> visited.put(key, hits));
    assertThat(visited).containsExactly(java.util.Map.entry("k", 3L));
  }

  @Test
  void aNewCopyUnderTheSameKeyStartsWithNoHits() {
    CaffeinePageStore store = new CaffeinePageStore(1_000_000, clock);
    store.put("k", pageExpiringIn(Duration.ofSeconds(60)));
    store.get("k");
    store.put("k", pageExpiringIn(Duration.ofSeconds(60)));

    assertThat(store.peekMemory("k").orElseThrow().hits()).isZero();
    assertThat(store.peekMemory("missing")).isEmpty();
  }

  @Test
  void anEntryExpiresAtItsEvictableAtAsTheClockAdvances() {
    CaffeinePageStore store = new CaffeinePageStore(1_000_000, clock);
    store.put("k", pageExpiringIn(Duration.ofSeconds(60)));

    // t=59.999 s: still there
    clock.advance(Duration.ofSeconds(60).minusMillis(1));
    assertThat(store.get("k")).isPresent();

    // t=60 s: evictable
    clock.advance(Duration.ofMillis(1));
    assertThat(store.get("k")).isEmpty();
  }

  @Test
  void eachEntryKeepsItsOwnExpiry() {
    CaffeinePageStore store = new CaffeinePageStore(1_000_000, clock);
    store.put("short", pageExpiringIn(Duration.ofSeconds(10)));
    store.put("long", pageExpiringIn(Duration.ofHours(1)));

    // t=30 s
    clock.advance(Duration.ofSeconds(30));

    assertThat(store.get("short")).isEmpty();
    assertThat(store.get("long")).isPresent();
  }

  @Test
  void readingAnEntryDoesNotExtendIt() {
    CaffeinePageStore store = new CaffeinePageStore(1_000_000, clock);
    store.put("k", pageExpiringIn(Duration.ofSeconds(60)));

    // t=50 s: a hit
    clock.advance(Duration.ofSeconds(50));
    assertThat(store.get("k")).isPresent();

    // t=60 s: gone, as stored
    clock.advance(Duration.ofSeconds(10));
    assertThat(store.get("k")).isEmpty();
  }

  @Test
  void replacingAnEntryTakesTheNewExpiry() {
    CaffeinePageStore store = new CaffeinePageStore(1_000_000, clock);
    store.put("k", pageExpiringIn(Duration.ofSeconds(10)));

    // t=5 s: replaced by a page fresh for another 60 s
    clock.advance(Duration.ofSeconds(5));
    CachedPage replacement = pageExpiringIn(Duration.ofSeconds(60));
    store.put("k", replacement);

    // t=30 s: the first page would be gone; the replacement is not
    clock.advance(Duration.ofSeconds(25));
    assertThat(store.get("k")).containsSame(replacement);
  }

  @Test
  void anEntryAlreadyPastItsEvictableAtIsNeverReturned() {
    CaffeinePageStore store = new CaffeinePageStore(1_000_000, clock);

    store.put("k", pageExpiringIn(Duration.ofSeconds(-1)));

    assertThat(store.get("k")).isEmpty();
  }

  @Test
  void aVariantIndexExpiresLikeAPage() {
    CaffeinePageStore store = new CaffeinePageStore(1_000_000, clock);
    VariantIndex index = new VariantIndex(7, List.of("accept-encoding"), START.plusSeconds(30));
    store.put("k", index);

    assertThat(store.get("k")).containsSame(index);
    clock.advance(Duration.ofSeconds(30));
    assertThat(store.get("k")).isEmpty();
  }

  @Test
  void theByteBoundEvictsEntries() {
    // Each entry weighs about 580 + 3000 + 120 + key bytes: three fit in 12,000, four do not.
    CaffeinePageStore store = new CaffeinePageStore(12_000, clock);
    for (int i = 0; i < 4; i++) {
      store.put("k" + i, pageExpiringIn(Duration.ofHours(1), 3000));
    }

    store.cleanUp();

    StoreStats stats = store.stats();
    assertThat(stats.entries()).isEqualTo(3);
    assertThat(stats.weightedBytes()).isLessThanOrEqualTo(12_000);
    assertThat(stats.evictedForSize()).isEqualTo(1);
    assertThat(stats.expired()).isZero();
    assertThat(stats.maxBytes()).isEqualTo(12_000);
  }

  @Test
  void anEntryHeavierThanTheWholeStoreIsNotKept() {
    CaffeinePageStore store = new CaffeinePageStore(1_000, clock);

    store.put("big", pageExpiringIn(Duration.ofHours(1), 2_000));
    store.cleanUp();

    assertThat(store.get("big")).isEmpty();
    assertThat(store.stats().weightedBytes()).isZero();
  }

  @Test
  void statsCountEntriesAndTheirWeightIncludingKeys() {
    CaffeinePageStore store = new CaffeinePageStore(1_000_000, clock);
    CachedPage page = pageExpiringIn(Duration.ofSeconds(60), 100);
    VariantIndex index = new VariantIndex(1, List.of("accept"), START.plusSeconds(60));

    store.put("page-key", page);
    store.put("index", index);
    store.cleanUp();

    assertThat(store.stats()).isEqualTo(new StoreStats(2,
        CaffeinePageStore.KEY_OVERHEAD_BYTES + "page-key".length() + page.weight()
            + CaffeinePageStore.KEY_OVERHEAD_BYTES + "index".length() + index.weight(), 1_000_000, 0, 0));
  }

  @Test
  void expiredEntriesCountAsExpiredOnceCleanedUpNotAsEvictedForSize() {
    CaffeinePageStore store = new CaffeinePageStore(1_000_000, clock);
    store.put("a", pageExpiringIn(Duration.ofSeconds(10)));
    store.put("b", pageExpiringIn(Duration.ofSeconds(20)));

    // t=15 s
    clock.advance(Duration.ofSeconds(15));
    store.cleanUp();

    StoreStats stats = store.stats();
    assertThat(stats.entries()).isEqualTo(1);
    assertThat(stats.expired()).isEqualTo(1);
    assertThat(stats.evictedForSize()).isZero();
    assertThat(stats.evictions()).isEqualTo(1);
  }

  @Test
  void sizeEvictionsAndExpiriesAreCountedApart() {
    // Three 3,000-byte pages fit in 12,000 bytes, four do not.
    CaffeinePageStore store = new CaffeinePageStore(12_000, clock);
    store.put("short", pageExpiringIn(Duration.ofSeconds(10), 3000));
    store.put("long1", pageExpiringIn(Duration.ofHours(1), 3000));
    store.put("long2", pageExpiringIn(Duration.ofHours(1), 3000));
    store.cleanUp();
    // t=11 s: "short" is over; two more pages push one more out for room.
    clock.advance(Duration.ofSeconds(11));
    store.put("long3", pageExpiringIn(Duration.ofHours(1), 3000));
    store.put("long4", pageExpiringIn(Duration.ofHours(1), 3000));
    store.cleanUp();

    StoreStats stats = store.stats();
    assertThat(stats.expired()).isEqualTo(1);
    assertThat(stats.evictedForSize()).isEqualTo(1);
    assertThat(stats.entries()).isEqualTo(3);
  }

  @Test
  void aNewerCopyReplacingAnEntryIsNoEviction() {
    CaffeinePageStore store = new CaffeinePageStore(1_000_000, clock);
    store.put("k", pageExpiringIn(Duration.ofSeconds(60)));
    store.put("k", pageExpiringIn(Duration.ofSeconds(60)));
    store.cleanUp();

    assertThat(store.stats().evictions()).isZero();
    assertThat(store.stats().entries()).isEqualTo(1);
  }

  @Test
  void removeAndClearDropEntriesWithoutCountingEvictions() {
    CaffeinePageStore store = new CaffeinePageStore(1_000_000, clock);
    store.put("a", pageExpiringIn(Duration.ofSeconds(60)));
    store.put("b", pageExpiringIn(Duration.ofSeconds(60)));
    store.put("c", pageExpiringIn(Duration.ofSeconds(60)));

    store.remove("a");
    assertThat(store.get("a")).isEmpty();
    assertThat(store.get("b")).isPresent();

    store.clear();
    store.cleanUp();
    assertThat(store.get("b")).isEmpty();
    assertThat(store.get("c")).isEmpty();
    assertThat(store.stats()).isEqualTo(new StoreStats(0, 0, 1_000_000, 0, 0));
  }

  @Test
  void theBoundMustBePositive() {
    assertThatThrownBy(() -> new CaffeinePageStore(0, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBytes must be positive, was 0");
    assertThatThrownBy(() -> new CaffeinePageStore(-1, clock))
        .hasMessage("maxBytes must be positive, was -1");
  }
}
