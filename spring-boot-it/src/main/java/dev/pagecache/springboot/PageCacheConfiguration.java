package dev.pagecache.springboot;

import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.rules.CacheRule;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** pagecache in the servlet filter chain: the registration the README shows, verbatim. */
@Configuration(proxyBeanMethods = false)
class PageCacheConfiguration {

  @Bean
  FilterRegistrationBean<PageCacheFilter> pageCache() {
    PageCacheConfig config = PageCacheConfig.builder()
        .rule(CacheRule.forPath("/account").ttl(Duration.ofMinutes(5)).build())
        .rule(CacheRule.forPath("/news").ttl(Duration.ofMinutes(5)).build())
        .build();
    FilterRegistrationBean<PageCacheFilter> registration = new FilterRegistrationBean<>(new PageCacheFilter(config));
    registration.addUrlPatterns("/*");
    registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
    // After Spring Security (-100): only then does the request carry the logged-in user.
    registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 10);
    return registration;
  }
}
