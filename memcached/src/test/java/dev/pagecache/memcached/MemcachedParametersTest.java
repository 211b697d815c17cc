package dev.pagecache.memcached;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagecache.PageCacheConfig;
import dev.pagecache.it.TestFilterConfig;
import jakarta.servlet.FilterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core finds this module's provider and reads the pagecache.memcached.* init-params through it. */
class MemcachedParametersTest {

  private static FilterConfig initParams(Map<String, String> params) {
    return TestFilterConfig.of(params);
  }

  @Test
  void memcachedInitParamsConfigureTheSharedLayer(@TempDir Path dir) throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.conf"), "rules = [ { path = \"/\" } ]");
    PageCacheConfig config = PageCacheConfig.fromInitParams(initParams(Map.of(
        "pagecache.rules", rules.toString(),
        "pagecache.memcached.servers", "127.0.0.1:11211,127.0.0.1:11212",
        "pagecache.memcached.timeout", "20ms",
        "pagecache.memcached.itemSize", "512KiB",
        "pagecache.memcached.namespace", "shop",
        "pagecache.memcached.secret", "sixteen bytes or more",
        "pagecache.memcached.breakerCoolDown", "2s",
        "pagecache.memcached.chunkLargePages", "false")));

    var memcached = (MemcachedSettings) config.sharedStore().orElseThrow();
    assertThat(memcached.servers()).hasSize(2);
    assertThat(memcached.timeout()).isEqualTo(Duration.ofMillis(20));
    assertThat(memcached.itemSize()).isEqualTo(512 * 1024);
    assertThat(memcached.namespace()).isEqualTo("shop");
    assertThat(memcached.secret()).contains("sixteen bytes or more");
    assertThat(memcached.breakerCoolDown()).isEqualTo(Duration.ofSeconds(2));
    assertThat(memcached.chunkLargePages()).isFalse();
  }

  @Test
  void badMemcachedInitParamsNameTheProblem(@TempDir Path dir) throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.conf"), "rules = [ { path = \"/\" } ]");
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(Map.of(
        "pagecache.rules", rules.toString(), "pagecache.memcached.servers", "cache-1"))))
        .hasMessage("memcached servers: 'cache-1' is not host:port");
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(Map.of(
        "pagecache.rules", rules.toString(), "pagecache.memcached.timeout", "20ms"))))
        .hasMessage("init-param pagecache.memcached.timeout needs pagecache.memcached.servers");
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(Map.of(
        "pagecache.rules", rules.toString(), "pagecache.memcached.servers", "127.0.0.1:11211",
        "pagecache.memcached.timeout", "20"))))
        .hasMessage("pagecache.memcached.timeout: '20' needs a unit, e.g. 50ms or 5s");
  }

  @Test
  void anUnknownMemcachedParameterIsATypo(@TempDir Path dir) throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.conf"), "rules = [ { path = \"/\" } ]");
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(Map.of(
        "pagecache.rules", rules.toString(), "pagecache.memcached.servers", "127.0.0.1:11211",
        "pagecache.memcached.timout", "20ms"))))
        .hasMessageStartingWith("unknown init-param 'pagecache.memcached.timout'; known: ")
        .hasMessageContaining("pagecache.memcached.timeout");
  }
}
