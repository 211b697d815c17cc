package dev.pagecache;

import dev.pagecache.internal.purge.FleetPurges;
import dev.pagecache.internal.store.CaffeinePageStore;
import dev.pagecache.internal.store.TieredPageStore;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.RuleSet;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.SharedStore;
import dev.pagecache.store.SharedStoreSettings;
import java.time.InstantSource;

/** Builds the two-layer store: JVM memory in front of a store the fleet shares. */
final class SharedLayer {
  private SharedLayer() {}

  /**
   * The two layers, the purges that keep their memory layer in step with the fleet's, the clock
   * they all read (the fleet's), and the shared layer alone, to ask whether it answers.
   */
  record Layers(PageStore store, FleetPurges purges, InstantSource clock, SharedStore shared) {}

  static Layers behind(long memoryBytes, SharedStoreSettings settings, InstantSource ownClock, RuleSet rules) {
    SharedStore shared = settings.connect(ownClock, largestBody(rules));
    InstantSource clock = shared.clock();
    TieredPageStore tiered = new TieredPageStore(new CaffeinePageStore(memoryBytes, clock), shared);
    FleetPurges purges = new FleetPurges(shared.purgeLog(), shared.syncInterval(), tiered::clearLocal,
        System::nanoTime);
    return new Layers(tiered, purges, clock, shared);
  }

  /** No rule stores a larger body, so a value in the shared layer that claims one is not ours. */
  static int largestBody(RuleSet rules) {
    long largest = rules.rules().stream().mapToLong(CacheRule::maxBodyBytes).max().orElse(CacheRule.DEFAULT_MAX_BODY_BYTES);
    return (int) Math.min(Integer.MAX_VALUE - 16, largest);
  }
}
