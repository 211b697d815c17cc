package dev.pagecache.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.memcached.MemcachedSettings;
import dev.pagecache.metrics.PageCacheMeters;
import dev.pagecache.rules.CacheRule;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With memcached behind the memory layer, the meters show its calls' times per operation and its
 * circuit breaker's state, read from the same live figures as the stats.
 */
class SharedLayerMetersIT {

  @Test
  void sharedCallsAreTimedPerOperationAndTheBreakerGaugeShowsItOpen() throws Exception {
    try (MemcachedServer memcached = MemcachedServer.start()) {
      // A cool-down longer than the test: once open, the breaker stays open while we look.
      MemcachedSettings shared = MemcachedSettings.servers(memcached.address()).withTimeout(Duration.ofMillis(50))
          .withBreaker(3, Duration.ofMinutes(5));
      PageCacheFilter filter = new PageCacheFilter(PageCacheConfig.builder()
          .rule(CacheRule.forPath("/page").ttl(Duration.ofMinutes(5)).build())
          .maxCacheBytes(16 << 20)
          .sharedStore(shared)
          .build());
      Endpoint page = (req, res, n) -> {
        res.setContentType("text/plain");
        res.getWriter().print("render " + n);
      };
      try (Container jetty = JettyContainer.start(new Container.App("", List.of(filter),
          Map.of("/page", page.asServlet("shared-meters"))))) {
        MeterRegistry registry = new SimpleMeterRegistry();
        new PageCacheMeters(filter.pageCache().orElseThrow()).bindTo(registry);
        FunctionTimer gets = registry.get("pagecache.shared.calls").tag("operation", "get").functionTimer();
        FunctionTimer puts = registry.get("pagecache.shared.calls").tag("operation", "put").functionTimer();
        double getsBefore = gets.count();

        assertThat(given().port(jetty.port()).get("http://127.0.0.1/page?a=1").statusCode()).isEqualTo(200);
        awaitPuts(puts, 1);

        assertThat(gets.count()).as("the memory miss asked memcached").isGreaterThan(getsBefore);
        assertThat(gets.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(puts.count()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("pagecache.shared.calls.max").tag("operation", "get").timeGauge()
            .value(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(registry.get("pagecache.shared.breaker.open").gauge().value()).isZero();

        memcached.kill();
        for (int i = 0; i < 30 && registry.get("pagecache.shared.breaker.openings").functionCounter().count() == 0; i++) {
          assertThat(given().port(jetty.port()).get("http://127.0.0.1/page?down=" + i).statusCode()).isEqualTo(200);
        }

        assertThat(registry.get("pagecache.shared.breaker.openings").functionCounter().count()).isPositive();
        assertThat(registry.get("pagecache.shared.breaker.open").gauge().value()).isEqualTo(1);
        assertThat(filter.pageCache().orElseThrow().stats().sharedLayer()).containsEntry("breakerOpen", 1L);
      }
    }
  }

  /** The shared write runs on a background thread: waits (at most 5 s) until it has run. */
  private static void awaitPuts(FunctionTimer puts, long count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (puts.count() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }
}
