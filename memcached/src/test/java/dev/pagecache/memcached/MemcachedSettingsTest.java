package dev.pagecache.memcached;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MemcachedSettingsTest {
  @Test
  void serverListsAreReadWithoutResolvingHosts() {
    MemcachedSettings settings = MemcachedSettings.servers("127.0.0.1:11211, cache-2.internal:11212,[::1]:11213");

    assertThat(settings.servers()).extracting(a -> a.getHostString() + "/" + a.getPort())
        .containsExactly("127.0.0.1/11211", "cache-2.internal/11212", "::1/11213");
    assertThat(settings.timeout()).isEqualTo(Duration.ofMillis(50));
    assertThat(settings.itemSize()).isEqualTo(1024 * 1024);
  }

  @Test
  void unreadableServerListsNameTheProblem() {
    assertThatThrownBy(() -> MemcachedSettings.servers("")).hasMessageContaining("none given");
    assertThatThrownBy(() -> MemcachedSettings.servers("localhost")).hasMessage("memcached servers: 'localhost' is not host:port");
    assertThatThrownBy(() -> MemcachedSettings.servers("localhost:abc")).hasMessageContaining("no numeric port");
    assertThatThrownBy(() -> MemcachedSettings.servers("localhost:70000")).hasMessageContaining("out of range");
  }

  @Test
  void badValuesAreRefused() {
    MemcachedSettings settings = MemcachedSettings.servers("127.0.0.1:11211");
    assertThatThrownBy(() -> settings.withTimeout(Duration.ZERO)).hasMessageContaining("timeout must be positive");
    assertThatThrownBy(() -> settings.withItemSize(1000)).hasMessageContaining("at least 64KiB");
    assertThatThrownBy(() -> settings.withNamespace("has space")).hasMessageContaining("visible ASCII");
    assertThatThrownBy(() -> settings.withSecret("short")).hasMessageContaining("at least 16 bytes");
  }
}
