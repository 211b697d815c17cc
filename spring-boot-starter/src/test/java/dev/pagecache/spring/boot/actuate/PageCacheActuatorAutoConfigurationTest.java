package dev.pagecache.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.spring.boot.PageCacheAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** Which Actuator parts appear, for which properties and class path, without starting a web server. */
class PageCacheActuatorAutoConfigurationTest {
  private final WebApplicationContextRunner app = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class, PageCacheAutoConfiguration.class,
          PageCacheActuatorAutoConfiguration.class));

  @Test
  void healthIndicatorIsNamedPagecache() {
    app.run(context -> assertThat(context).hasBean("pagecacheHealthIndicator"));
  }

  @Test
  void healthIndicatorCanBeTurnedOff() {
    app.withPropertyValues("management.health.pagecache.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(PageCacheHealthIndicator.class));
  }

  @Test
  void withoutASharedLayerHealthIsUpWithoutAskingTheCache() {
    // The cache is not running here (no web server): health must not need it to say UP.
    app.run(context -> assertThat(context.getBean(PageCacheHealthIndicator.class).health().getStatus())
        .isEqualTo(Status.UP));
  }

  @Test
  void endpointOnlyWhenExposed() {
    app.run(context -> assertThat(context).doesNotHaveBean(PageCacheEndpoint.class));
    app.withPropertyValues("management.endpoints.web.exposure.include=pagecache")
        .run(context -> assertThat(context).hasSingleBean(PageCacheEndpoint.class));
  }

  @Test
  void endpointCanBeSwitchedOffWhileExposed() {
    app.withPropertyValues("management.endpoints.web.exposure.include=pagecache",
            "management.endpoint.pagecache.access=NONE")
        .run(context -> assertThat(context).doesNotHaveBean(PageCacheEndpoint.class));
  }

  @Test
  void nothingWithoutActuator() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PageCacheAutoConfiguration.class, PageCacheActuatorAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
        .withPropertyValues("management.endpoints.web.exposure.include=pagecache")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(PageCacheEndpoint.class);
          assertThat(context).doesNotHaveBean(PageCacheHealthIndicator.class);
        });
  }

  @Test
  void nothingWhenPagecacheIsOff() {
    app.withPropertyValues("pagecache.enabled=false", "management.endpoints.web.exposure.include=pagecache")
        .run(context -> {
          assertThat(context).doesNotHaveBean(PageCacheEndpoint.class);
          assertThat(context).doesNotHaveBean(PageCacheHealthIndicator.class);
        });
  }
}
