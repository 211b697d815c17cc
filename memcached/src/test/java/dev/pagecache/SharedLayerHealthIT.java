package dev.pagecache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.it.MemcachedServer;
import dev.pagecache.memcached.MemcachedSettings;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.store.SharedStoreHealth;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** What a health check learns from {@link PageCache#sharedLayerHealth()} as a real memcached stops and starts. */
class SharedLayerHealthIT {
  private static final Duration COOL_DOWN = Duration.ofMillis(300);

  private static PageCacheConfig.Builder rules() {
    return PageCacheConfig.builder().rule(CacheRule.forPath("/").ttl(Duration.ofMinutes(1)).build());
  }

  @Test
  void withoutASharedLayerThereIsNothingToProbe() {
    LocalPageCache cache = new LocalPageCache(rules().build(), "", "JSESSIONID");
    try {
      assertThat(cache.sharedLayerHealth()).isEmpty();
    } finally {
      cache.close();
    }
  }

  @Test
  void theProbeFollowsMemcachedDownAndUpAgain() throws Exception {
    try (MemcachedServer memcached = MemcachedServer.start()) {
      MemcachedSettings settings = MemcachedSettings.servers(memcached.address())
          .withTimeout(Duration.ofMillis(200)).withBreaker(2, COOL_DOWN);
      LocalPageCache cache = new LocalPageCache(rules().sharedStore(settings).build(), "", "JSESSIONID");
      try {
        SharedStoreHealth up = cache.sharedLayerHealth().orElseThrow();
        assertThat(up.reachable()).isTrue();
        assertThat(up.breaker()).isEqualTo("closed");
        assertThat(up.servers()).isEqualTo("127.0.0.1:" + memcached.port());

        memcached.kill();
        SharedStoreHealth down = awaitHealth(cache, h -> !h.reachable());
        assertThat(down.reachable()).isFalse();
        // Probes are calls like any other: enough failed ones open the breaker.
        assertThat(awaitHealth(cache, h -> h.breaker().equals("open")).reachable()).isFalse();

        memcached.restart();
        SharedStoreHealth again = awaitHealth(cache, SharedStoreHealth::reachable);
        assertThat(again.breaker()).as("the probe after the cool-down closed the breaker").isEqualTo("closed");
      } finally {
        cache.close();
      }
    }
  }

  /** Probes until one matches: memcached's client notices a lost or regained connection on its own time. */
  private static SharedStoreHealth awaitHealth(PageCache cache, Predicate<SharedStoreHealth> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    SharedStoreHealth health = cache.sharedLayerHealth().orElseThrow();
    while (!wanted.test(health) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      health = cache.sharedLayerHealth().orElseThrow();
    }
    return health;
  }
}
