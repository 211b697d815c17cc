package dev.pagecache.spring.boot.actuate;

import dev.pagecache.PageCache;
import dev.pagecache.metrics.PageCacheMeters;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Binds {@link PageCacheMeters} to the application's registry once the application has started.
 * Not earlier: the cache exists only once the container has initialised the filter, and embedded
 * Jetty does that when the web server starts, after Micrometer binds its {@code MeterBinder} beans
 * (Spring Boot's Tomcat meters wait for this event for the same reason).
 */
public class PageCacheMetricsBinder implements ApplicationListener<ApplicationStartedEvent> {
  private final PageCache cache;
  private final MeterRegistry registry;

  /**
   * @param cache the running cache (the starter's bean)
   * @param registry where the meters go
   */
  public PageCacheMetricsBinder(PageCache cache, MeterRegistry registry) {
    this.cache = cache;
    this.registry = registry;
  }

  @Override
  public void onApplicationEvent(ApplicationStartedEvent event) {
    new PageCacheMeters(cache).bindTo(registry);
  }
}
