package dev.pagecache.spring.boot;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.web.servlet.ConditionalOnMissingFilterBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;
import org.springframework.web.context.WebApplicationContext;

/**
 * pagecache in a servlet web application: its settings from {@code pagecache.*}, its filter after
 * Spring Security's filter chain, and the running {@link PageCache} as a bean. Each bean gives way
 * to one of the application's own; {@code pagecache.enabled=false} turns all of it off.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(PageCacheFilter.class)
@ConditionalOnProperty(prefix = "pagecache", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(PageCacheProperties.class)
public class PageCacheAutoConfiguration {

  /** From {@code pagecache.*}; an application that builds its own (rules in code, say) replaces it. */
  @Bean
  @ConditionalOnMissingBean
  PageCacheConfig pageCacheConfig(PageCacheProperties properties, ResourceLoader resources) {
    return ConfigFromProperties.build(properties, resources);
  }

  /**
   * The filter for {@code REQUEST} and {@code ASYNC} dispatches (Spring MVC renders
   * {@code DeferredResult} and {@code Callable} pages in an async dispatch). Its default order puts it
   * after Spring Security's filter chain: before that, the request does not carry the logged-in user,
   * and pagecache would take a logged-in visitor for an anonymous one.
   */
  @Bean
  @ConditionalOnMissingFilterBean(PageCacheFilter.class)
  FilterRegistrationBean<PageCacheFilter> pageCacheFilter(PageCacheConfig config, PageCacheProperties properties) {
    FilterRegistrationBean<PageCacheFilter> registration = new FilterRegistrationBean<>(new PageCacheFilter(config));
    registration.setName("pageCacheFilter");
    registration.setUrlPatterns(properties.getFilter().getUrlPatterns());
    registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
    registration.setOrder(properties.getFilter().getOrder());
    return registration;
  }

  /**
   * The running cache, for purges and stats in application code. Calls reach the cache the filter
   * started, wherever the filter was registered; before the web server starts they fail.
   */
  @Bean
  @ConditionalOnMissingBean
  PageCache pageCache(WebApplicationContext context) {
    return RunningPageCache.proxy(context);
  }
}
