package dev.pagecache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.memcached.MemcachedSettings;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.RulesException;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the auto-configuration registers for which properties, without starting a web server. */
class PageCacheAutoConfigurationTest {
  private final WebApplicationContextRunner app = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(PageCacheAutoConfiguration.class));

  @Test
  void registersTheFilterAfterSpringSecurityForRequestAndAsyncDispatches() {
    app.run(context -> {
      FilterRegistrationBean<?> registration = context.getBean("pageCacheFilter", FilterRegistrationBean.class);
      assertThat(registration.getFilter()).isInstanceOf(PageCacheFilter.class);
      assertThat(registration.getOrder()).isGreaterThan(SecurityProperties.DEFAULT_FILTER_ORDER);
      assertThat(registration.getUrlPatterns()).containsExactly("/*");
      assertThat(registration).extracting("dispatcherTypes")
          .isEqualTo(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
      assertThat(context).hasSingleBean(PageCache.class);
    });
  }

  @Test
  void filterOrderAndPatternsAreProperties() {
    app.withPropertyValues("pagecache.filter.order=5", "pagecache.filter.url-patterns=/wiki/*,/pagecache/*")
        .run(context -> {
          FilterRegistrationBean<?> registration = context.getBean("pageCacheFilter", FilterRegistrationBean.class);
          assertThat(registration.getOrder()).isEqualTo(5);
          assertThat(registration.getUrlPatterns()).containsExactly("/wiki/*", "/pagecache/*");
        });
  }

  @Test
  void readsTheRulesFromTheClassPathByDefault() {
    app.run(context -> assertThat(context.getBean(PageCacheConfig.class).rules().rules())
        .extracting(CacheRule::describe).hasSize(2));
  }

  @Test
  void readsTheRulesFromAFile(@TempDir Path dir) throws IOException {
    Path rules = Files.writeString(dir.resolve("rules.conf"), "rules = [ { path = \"/only\", ttl = 1m } ]\n");

    app.withPropertyValues("pagecache.rules=file:" + rules).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(PageCacheConfig.class).rules().match("GET", "/only")).isPresent();
      assertThat(context.getBean(PageCacheConfig.class).rules().match("GET", "/account")).isEmpty();
    });
  }

  @Test
  void badRulesFileFailsStartUpNamingTheFileAndLine(@TempDir Path dir) throws IOException {
    Path rules = Files.writeString(dir.resolve("bad.conf"), "rules = [\n  { path = \"/a\", ttl = 1m }\n  { path = \"/b\", tll = 1m }\n]\n");

    app.withPropertyValues("pagecache.rules=file:" + rules).run(context -> {
      assertThat(context).hasFailed();
      RulesException failure = rootCause(context.getStartupFailure(), RulesException.class);
      assertThat(failure.line()).isEqualTo(3);
      assertThat(failure.getMessage()).contains(rules.toString()).contains("line 3").contains("tll");
      FailureAnalysis analysis = new RulesFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis.getDescription()).contains("line 3").contains("tll");
      assertThat(analysis.getAction()).contains("pagecache.rules");
    });
  }

  @Test
  void missingRulesFileSaysWhichPropertyNamesIt() {
    app.withPropertyValues("pagecache.rules=classpath:nowhere.conf").run(context -> {
      assertThat(context).hasFailed();
      assertThat(rootCause(context.getStartupFailure(), RulesException.class).getMessage())
          .contains("classpath:nowhere.conf").contains("not found").contains("pagecache.rules");
    });
  }

  @Test
  void disabledRegistersNothing() {
    app.withPropertyValues("pagecache.enabled=false").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean("pageCacheFilter");
      assertThat(context).doesNotHaveBean(PageCache.class);
      assertThat(context).doesNotHaveBean(PageCacheConfig.class);
    });
  }

  @Test
  void applicationsOwnRegistrationReplacesTheFilter() {
    app.withUserConfiguration(OwnRegistration.class).run(context -> {
      assertThat(context).getBeans(FilterRegistrationBean.class).containsOnlyKeys("ownPageCache");
      assertThat(context).hasSingleBean(PageCache.class);
    });
  }

  @Test
  void applicationsOwnConfigReplacesTheProperties() {
    app.withUserConfiguration(OwnConfig.class).withPropertyValues("pagecache.rules=classpath:nowhere.conf")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(PageCacheConfig.class).rules().match("GET", "/code")).isPresent();
        });
  }

  @Test
  void settingsReachTheConfig() {
    app.withPropertyValues("pagecache.max-cache-bytes=64MB", "pagecache.hosts=www.example.com,*.example.org",
            "pagecache.purge.allow-from=127.0.0.1,::1", "pagecache.purge.path=/admin/purge",
            "pagecache.warm.base-url=https://www.example.com")
        .run(context -> {
          PageCacheConfig config = context.getBean(PageCacheConfig.class);
          assertThat(config.maxCacheBytes()).isEqualTo(64L << 20);
          assertThat(config.hosts().allows("www.example.com")).isTrue();
          assertThat(config.hosts().allows("a.example.org")).isTrue();
          assertThat(config.hosts().allows("example.net")).isFalse();
          assertThat(config.purge()).hasValueSatisfying(purge -> assertThat(purge.path()).isEqualTo("/admin/purge"));
          assertThat(config.warmBaseUrl()).hasValueSatisfying(url -> assertThat(url.getHost()).isEqualTo("www.example.com"));
        });
  }

  @Test
  void memcachedSettingsReachTheSharedLayer() {
    app.withPropertyValues("pagecache.memcached.servers=127.0.0.1:11211,127.0.0.1:11212",
            "pagecache.memcached.timeout=80ms", "pagecache.memcached.item-size=2MB",
            "pagecache.memcached.namespace=shop", "pagecache.memcached.breaker-failures=3",
            "pagecache.memcached.breaker-cool-down=2s", "pagecache.memcached.chunk-large-pages=false",
            "pagecache.memcached.sync-interval=500ms", "pagecache.memcached.compression-threshold=8KB")
        .run(context -> {
          var shared = (MemcachedSettings) context.getBean(PageCacheConfig.class).sharedStore().orElseThrow();
          assertThat(shared.servers()).hasSize(2);
          assertThat(shared.timeout()).isEqualTo(Duration.ofMillis(80));
          assertThat(shared.itemSize()).isEqualTo(2 << 20);
          assertThat(shared.compressionThreshold()).isEqualTo(8 << 10);
          assertThat(shared.namespace()).isEqualTo("shop");
          assertThat(shared.breakerFailures()).isEqualTo(3);
          assertThat(shared.breakerCoolDown()).isEqualTo(Duration.ofSeconds(2));
          assertThat(shared.chunkLargePages()).isFalse();
          assertThat(shared.syncInterval()).isEqualTo(Duration.ofMillis(500));
        });
  }

  @Test
  void memcachedServersWithoutTheSharedLayerFailStartUp() {
    app.withClassLoader(new FilteredClassLoader(ConfigFromProperties.MEMCACHED_SETTINGS_CLASS))
        .withPropertyValues("pagecache.memcached.servers=127.0.0.1:11211")
        .run(context -> {
          assertThat(context).hasFailed();
          PageCacheSettingsException failure = rootCause(context.getStartupFailure(), PageCacheSettingsException.class);
          assertThat(failure.property()).isEqualTo("pagecache.memcached.servers");
          assertThat(failure.getMessage()).contains("pagecache-memcached");
        });
  }

  @Test
  void memcachedTuningWithoutServersFailsStartUp() {
    app.withPropertyValues("pagecache.memcached.timeout=80ms").run(context -> {
      assertThat(context).hasFailed();
      assertThat(rootCause(context.getStartupFailure(), PageCacheSettingsException.class).getMessage())
          .contains("pagecache.memcached.servers");
    });
  }

  @Test
  void badSettingFailsStartUpNamingTheProperty() {
    app.withPropertyValues("pagecache.purge.token=short").run(context -> {
      assertThat(context).hasFailed();
      PageCacheSettingsException failure = rootCause(context.getStartupFailure(), PageCacheSettingsException.class);
      assertThat(failure.property()).isEqualTo("pagecache.purge.token");
      FailureAnalysis analysis = new SettingsFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis.getDescription()).startsWith("pagecache could not use its settings: pagecache.purge.token: ");
      assertThat(analysis.getAction()).contains("pagecache.purge.token");
    });
  }

  @Test
  void purgePathWithoutAccessFailsStartUp() {
    app.withPropertyValues("pagecache.purge.path=/admin/purge").run(context -> assertThat(
        rootCause(context.getStartupFailure(), PageCacheSettingsException.class).property())
        .isEqualTo("pagecache.purge.path"));
  }

  private static <T extends Throwable> T rootCause(Throwable failure, Class<T> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + failure, failure);
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnRegistration {
    @Bean
    FilterRegistrationBean<PageCacheFilter> ownPageCache(PageCacheConfig config) {
      return new FilterRegistrationBean<>(new PageCacheFilter(config));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnConfig {
    @Bean
    PageCacheConfig ownConfig() {
      return PageCacheConfig.builder().rule(CacheRule.forPath("/code").ttl(Duration.ofMinutes(1)).build()).build();
    }
  }
}
