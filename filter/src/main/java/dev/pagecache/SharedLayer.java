package dev.pagecache;

import dev.pagecache.store.PageStore;
import dev.pagecache.store.TieredPageStore;
import dev.pagecache.store.memcached.MemcachedPageStore;
import dev.pagecache.store.memcached.MemcachedSettings;
import java.time.InstantSource;

/** Builds the two-layer store; a class of its own so spymemcached loads only when it is used. */
final class SharedLayer {
  private SharedLayer() {}

  static PageStore behind(PageStore memory, MemcachedSettings settings, InstantSource clock) {
    return new TieredPageStore(memory, MemcachedPageStore.connect(settings, clock));
  }
}
