package dev.pagecache.spring.boot.actuate;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheConfig;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Health "pagecache": UP with JVM memory only; with the shared memcached layer, DOWN while the
 * layer's circuit breaker is open (memcached failed or is unreachable: pages are served from this
 * JVM's memory and rendered more often), UP otherwise. Details name the servers and the breaker state.
 */
public class PageCacheHealthIndicator implements HealthIndicator {
  private final PageCache cache;
  private final PageCacheConfig config;

  public PageCacheHealthIndicator(PageCache cache, PageCacheConfig config) {
    this.cache = cache;
    this.config = config;
  }

  @Override
  public Health health() {
    if (config.memcached().isEmpty()) {
      return Health.up().withDetail("sharedLayer", "none").build();
    }
    Map<String, Long> shared;
    try {
      shared = cache.stats().sharedLayer();
    } catch (IllegalStateException notRunning) {
      return Health.unknown().withDetail("reason", notRunning.getMessage()).build();
    }
    boolean breakerOpen = shared.getOrDefault("breakerOpen", 0L) != 0;
    return (breakerOpen ? Health.down() : Health.up())
        .withDetail("sharedLayer", "memcached")
        .withDetail("servers", config.memcached().get().servers().stream().map(Object::toString).toList())
        .withDetail("breaker", breakerOpen ? "open" : "closed")
        .build();
  }
}
