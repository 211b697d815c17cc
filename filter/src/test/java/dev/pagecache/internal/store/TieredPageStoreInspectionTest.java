package dev.pagecache.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.internal.store.CachedPage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the admin views see of two layers: each on its own, and nothing moved between them. */
class TieredPageStoreInspectionTest {
  private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2025-03-01T12:00:00Z"));

  private final CaffeinePageStore memory = new CaffeinePageStore(1_000_000, CLOCK);
  private final CaffeinePageStore shared = new CaffeinePageStore(1_000_000, CLOCK);
  private final TieredPageStore tiered = new TieredPageStore(memory, shared);

  @AfterEach
  void close() {
    tiered.close();
  }

  private static CachedPage page() {
    return CachedPage.builder().storedAt(CLOCK.instant()).expiresAt(CLOCK.instant().plus(Duration.ofMinutes(1)))
        .body(new byte[10]).build();
  }

  @Test
  void aPeekAtTheSharedLayerCopiesNothingIntoMemory() {
    CachedPage theirs = page();
    shared.put("k", theirs);

    assertThat(tiered.hasSharedLayer()).isTrue();
    assertThat(tiered.peekShared("k")).containsSame(theirs);
    assertThat(tiered.peekMemory("k")).isEmpty();

    tiered.fetch("k");
    assertThat(tiered.peekMemory("k")).as("a request's read copies it").isPresent();
  }

  @Test
  void theListingIsMemorysOnly() {
    memory.put("mine", page());
    shared.put("theirs", page());

    List<String> keys = new ArrayList<>();
    tiered.forEachInMemory((key, entry, hits) -> keys.add(key));

    assertThat(keys).containsExactly("mine");
  }
}
