package dev.pagecache;

import dev.pagecache.internal.purge.FleetPurges;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.RuleSet;
import dev.pagecache.internal.store.CaffeinePageStore;
import dev.pagecache.store.PageStore;
import dev.pagecache.internal.store.TieredPageStore;
import dev.pagecache.store.memcached.MemcachedClock;
import dev.pagecache.store.memcached.MemcachedPageStore;
import dev.pagecache.store.memcached.MemcachedSettings;
import java.time.InstantSource;

/** Builds the two-layer store; a class of its own so spymemcached loads only when it is used. */
final class SharedLayer {
  private SharedLayer() {}

  /**
   * The two layers, the purges that keep their memory layer in step with the fleet's, and the
   * clock they all read: this JVM's, set by memcached's so that the fleet agrees on expiry.
   */
  record Layers(PageStore store, FleetPurges purges, InstantSource clock) {}

  static Layers behind(long memoryBytes, MemcachedSettings settings, InstantSource ownClock, RuleSet rules) {
    MemcachedClock clock = new MemcachedClock(ownClock);
    MemcachedPageStore shared = MemcachedPageStore.connect(settings, clock, largestBody(rules));
    shared.follow(clock);
    TieredPageStore tiered = new TieredPageStore(new CaffeinePageStore(memoryBytes, clock), shared);
    FleetPurges purges = new FleetPurges(shared.purgeLog(), settings.syncInterval(), tiered::clearLocal,
        System::nanoTime);
    return new Layers(tiered, purges, clock);
  }

  /** No rule stores a larger body, so a value in memcached that claims one is not ours. */
  static int largestBody(RuleSet rules) {
    long largest = rules.rules().stream().mapToLong(CacheRule::maxBodyBytes).max().orElse(CacheRule.DEFAULT_MAX_BODY_BYTES);
    return (int) Math.min(Integer.MAX_VALUE - 16, largest);
  }
}
