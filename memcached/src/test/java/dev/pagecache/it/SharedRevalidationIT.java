package dev.pagecache.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.memcached.MemcachedSettings;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two containers sharing memcached: the copy one JVM freshened with a revalidation is written
 * back to the shared layer, and the other JVM serves it as fresh without asking its origin. Real
 * time, since both JVMs set their clocks by memcached's: the page is fresh for 2 s.
 */
class SharedRevalidationIT {
  private static PageCacheFilter filter(MemcachedSettings shared) {
    return new PageCacheFilter(PageCacheConfig.builder()
        .rule(CacheRule.forPath("/page").build())
        .maxCacheBytes(16 << 20)
        .sharedStore(shared)
        .build());
  }

  /** Behind a load balancer every JVM of a fleet sees the site's own Host. */
  private static Response get(Container container) {
    return given().port(container.port()).header("Host", "shop.example").get("http://127.0.0.1/page");
  }

  private static void awaitSharedWrites(PageCacheFilter filter, long writes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (filter.pageCache().orElseThrow().stats().sharedLayer().getOrDefault("writes", 0L) < writes
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(filter.pageCache().orElseThrow().stats().sharedLayer().getOrDefault("writes", 0L))
        .as("writes to memcached").isGreaterThanOrEqualTo(writes);
  }

  @Test
  void aCopyFreshenedByOneJvmIsServedFreshByAnother() throws Exception {
    try (MemcachedServer memcached = MemcachedServer.start()) {
      MemcachedSettings shared = MemcachedSettings.servers(memcached.address()).withTimeout(Duration.ofMillis(500));
      PageCacheFilter filterA = filter(shared);
      PageCacheFilter filterB = filter(shared);
      ConditionalOrigin originA = new ConditionalOrigin("\"v1\"", null, "max-age=2");
      ConditionalOrigin originB = new ConditionalOrigin("\"v1\"", null, "max-age=2");
      try (Container a = JettyContainer.start(new Container.App("", List.of(filterA), Map.of("/page", originA)));
          Container b = JettyContainer.start(new Container.App("", List.of(filterB), Map.of("/page", originB)))) {
        Response rendered = get(a);
        awaitSharedWrites(filterA, 1);
        Thread.sleep(2_500); // past max-age=2 for the whole fleet
        Response revalidated = get(a);
        awaitSharedWrites(filterA, 2);
        Response fromShared = get(b);

        assertThat(rendered.header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; stored");
        assertThat(revalidated.header("Cache-Status"))
            .isEqualTo("pagecache; fwd=stale; fwd-status=304; stored");
        assertThat(originA.fullRenders).hasValue(1);
        assertThat(originA.notModified).hasValue(1);
        assertThat(fromShared.header("Cache-Status")).isEqualTo("pagecache; hit; detail=shared");
        assertThat(fromShared.asString()).isEqualTo(rendered.asString());
        assertThat(originB.fullRenders).as("B's origin: no render").hasValue(0);
        assertThat(originB.conditionalRequests).as("B's origin: not even asked").hasValue(0);
      }
    }
  }
}
