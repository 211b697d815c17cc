package dev.pagecache.spring.boot.actuate;

import dev.pagecache.PageCache;
import dev.pagecache.metrics.PageCacheMeters;
import dev.pagecache.spring.boot.PageCacheAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With Micrometer: pagecache's meters ({@code pagecache.*}, see {@link PageCacheMeters}) in the
 * application's registry, bound once the application has started (see {@link PageCacheMetricsBinder}).
 */
@AutoConfiguration(after = PageCacheAutoConfiguration.class,
    afterName = "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({MeterRegistry.class, PageCacheMeters.class})
@ConditionalOnBean({PageCache.class, MeterRegistry.class})
public class PageCacheMetricsAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean
  PageCacheMetricsBinder pageCacheMetricsBinder(PageCache cache, MeterRegistry registry) {
    return new PageCacheMetricsBinder(cache, registry);
  }
}
