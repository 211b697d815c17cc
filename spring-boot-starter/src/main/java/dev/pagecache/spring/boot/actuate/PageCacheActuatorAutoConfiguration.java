package dev.pagecache.spring.boot.actuate;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheConfig;
import dev.pagecache.spring.boot.PageCacheAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** With Actuator: the {@code pagecache} health indicator and endpoint. */
@AutoConfiguration(after = PageCacheAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean({PageCache.class, PageCacheConfig.class})
public class PageCacheActuatorAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  PageCacheEndpoint pageCacheEndpoint(PageCache cache) {
    return new PageCacheEndpoint(cache);
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  @ConditionalOnEnabledHealthIndicator("pagecache")
  static class Health {
    /** Named so that Actuator calls it "pagecache" (the name less "HealthIndicator"). */
    @Bean
    @ConditionalOnMissingBean(name = "pagecacheHealthIndicator")
    PageCacheHealthIndicator pagecacheHealthIndicator(PageCache cache, PageCacheConfig config) {
      return new PageCacheHealthIndicator(cache, config);
    }
  }
}
