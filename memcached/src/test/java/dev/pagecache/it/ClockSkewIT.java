package dev.pagecache.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.memcached.MemcachedSettings;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two JVMs whose clocks are ten minutes apart share memcached: the one behind must not serve the
 * other's pages past their expiry. Both set their clocks by memcached's.
 */
class ClockSkewIT {
  private static PageCacheFilter filter(MemcachedSettings shared, java.time.InstantSource clock) {
    return new PageCacheFilter(PageCacheConfig.builder()
        .rule(CacheRule.forPath("/page").ttl(Duration.ofSeconds(2)).staleWhileRevalidate(Duration.ZERO)
            .staleIfError(Duration.ZERO).build())
        .maxCacheBytes(1 << 20)
        .sharedStore(shared)
        .clock(clock)
        .build());
  }

  private static Container jetty(PageCacheFilter filter) throws Exception {
    Endpoint page = (req, res, n) -> {
      res.setContentType("text/plain");
      res.getWriter().print("render " + n);
    };
    return JettyContainer.start(new Container.App("", List.of(filter), Map.of("/page", page.asServlet("skew"))));
  }

  private static Response get(Container container) {
    return given().port(container.port()).header("Host", "skew.example").get("http://127.0.0.1/page");
  }

  @Test
  void aJvmWhoseClockIsBehindStopsServingAPageWhenItExpiresForTheFleet() throws Exception {
    try (MemcachedServer memcached = MemcachedServer.start()) {
      MemcachedSettings shared = MemcachedSettings.servers(memcached.address()).withTimeout(Duration.ofMillis(500));
      PageCacheFilter filterA = filter(shared, java.time.InstantSource.system());
      PageCacheFilter filterB = filter(shared, () -> Instant.now().minus(Duration.ofMinutes(10)));
      try (Container a = jetty(filterA); Container b = jetty(filterB)) {
        long measured = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (filterB.pageCache().orElseThrow().stats().sharedLayer().getOrDefault("clockOffsetMillis", 0L) == 0) {
          assertThat(System.nanoTime()).as("B has read memcached's time").isLessThan(measured);
          Thread.sleep(5);
        }
        assertThat(filterB.pageCache().orElseThrow().stats().sharedLayer().get("clockOffsetMillis"))
            .isBetween(598_000L, 602_000L);
        long rendered = System.nanoTime();
        Response first = get(a);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (filterA.pageCache().orElseThrow().stats().sharedLayer().getOrDefault("writes", 0L) == 0) {
          assertThat(System.nanoTime()).isLessThan(deadline);
          Thread.sleep(5);
        }
        assertThat(get(b).header("Cache-Status")).isEqualTo("pagecache; hit; detail=shared");
        assertThat(get(b).header("Cache-Status")).as("from B's memory").isEqualTo("pagecache; hit");

        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(rendered + TimeUnit.SECONDS.toNanos(4) - System.nanoTime())));
        Response late = get(b);
        assertThat(late.header("Cache-Status")).as("4 s after a 2 s page was rendered").isNotEqualTo("pagecache; hit");
        assertThat(late.asString()).isNotEqualTo(first.asString());
      }
    }
  }
}
