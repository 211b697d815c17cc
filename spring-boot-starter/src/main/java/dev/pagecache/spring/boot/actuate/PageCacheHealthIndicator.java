package dev.pagecache.spring.boot.actuate;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheConfig;
import dev.pagecache.store.SharedStoreHealth;
import java.util.Optional;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Health "pagecache": UP with JVM memory only. With the shared memcached layer it asks memcached
 * ({@link PageCache#sharedLayerHealth()}, at most one call timeout) and is DOWN while memcached does
 * not answer or the layer's circuit breaker is open (pages are then served from this JVM's memory
 * and rendered more often), UP when it answers. Details name the servers and the breaker state.
 */
public class PageCacheHealthIndicator implements HealthIndicator {
  private final PageCache cache;
  private final PageCacheConfig config;

  /**
   * @param cache the running cache
   * @param config its settings, which say whether it has a shared layer at all
   */
  public PageCacheHealthIndicator(PageCache cache, PageCacheConfig config) {
    this.cache = cache;
    this.config = config;
  }

  @Override
  public Health health() {
    if (config.sharedStore().isEmpty()) {
      return Health.up().withDetail("sharedLayer", "none").build();
    }
    Optional<SharedStoreHealth> probe;
    try {
      probe = cache.sharedLayerHealth();
    } catch (IllegalStateException notRunning) {
      return Health.unknown().withDetail("reason", notRunning.getMessage()).build();
    }
    if (probe.isEmpty()) {
      return Health.up().withDetail("sharedLayer", "none").build();
    }
    SharedStoreHealth shared = probe.get();
    return (shared.reachable() ? Health.up() : Health.down())
        .withDetail("sharedLayer", "memcached")
        .withDetail("servers", shared.servers())
        .withDetail("reachable", shared.reachable())
        .withDetail("breaker", shared.breaker())
        .build();
  }
}
