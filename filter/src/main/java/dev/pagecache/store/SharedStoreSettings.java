package dev.pagecache.store;

import java.time.InstantSource;

/**
 * The settings of a shared layer, which can open it. {@code MemcachedSettings} (in
 * {@code pagecache-memcached}) is one; give it to {@code PageCacheConfig.Builder.sharedStore}.
 */
public interface SharedStoreSettings {
  /**
   * Connects to the shared servers. An unreachable server is not an error here: the store answers
   * misses until it is reachable. Only unusable settings are.
   *
   * @param ownClock this JVM's clock, which the store may correct by its servers' clocks
   * @param largestBodyBytes no rule stores a larger body, so a stored value that claims one is not ours
   * @return the connected store; the caller closes it
   */
  SharedStore connect(InstantSource ownClock, int largestBodyBytes);
}
