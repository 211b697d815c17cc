package dev.pagecache.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.spring.boot.PageCacheAutoConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** The meters' binder appears with a Micrometer registry, and only then. */
class PageCacheMetricsAutoConfigurationTest {
  private final WebApplicationContextRunner app = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(PageCacheAutoConfiguration.class, PageCacheMetricsAutoConfiguration.class))
      .withBean(SimpleMeterRegistry.class);

  @Test
  void bindsTheMetersWhenThereIsARegistry() {
    app.run(context -> assertThat(context).hasSingleBean(PageCacheMetricsBinder.class));
  }

  @Test
  void nothingWithoutARegistry() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PageCacheAutoConfiguration.class, PageCacheMetricsAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(PageCacheMetricsBinder.class));
  }

  @Test
  void nothingWithoutMicrometer() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PageCacheAutoConfiguration.class, PageCacheMetricsAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader("io.micrometer"))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(PageCacheMetricsBinder.class);
        });
  }

  @Test
  void nothingWhenPagecacheIsOff() {
    app.withPropertyValues("pagecache.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(PageCacheMetricsBinder.class));
  }
}
