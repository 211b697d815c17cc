package dev.pagecache.spring.boot;

import dev.pagecache.memcached.MemcachedSettings;

/**
 * The memcached properties as the shared layer's settings. Loaded only when servers are set and
 * the layer is on the class path.
 */
final class SharedLayerSettings {
  private SharedLayerSettings() {}

  static MemcachedSettings from(PageCacheProperties.Memcached properties) {
    MemcachedSettings settings = MemcachedSettings.servers(String.join(",", properties.getServers()));
    if (properties.getTimeout() != null) {
      settings = settings.withTimeout(properties.getTimeout());
    }
    if (properties.getItemSize() != null) {
      settings = settings.withItemSize(intBytes(properties.getItemSize().toBytes()));
    }
    if (properties.getCompressionThreshold() != null) {
      settings = settings.withCompressionThreshold(intBytes(properties.getCompressionThreshold().toBytes()));
    }
    if (properties.getNamespace() != null) {
      settings = settings.withNamespace(properties.getNamespace());
    }
    if (properties.getSecret() != null) {
      settings = settings.withSecret(properties.getSecret());
    }
    if (properties.getBreakerFailures() != null || properties.getBreakerCoolDown() != null) {
      settings = settings.withBreaker(
          properties.getBreakerFailures() != null ? properties.getBreakerFailures() : settings.breakerFailures(),
          properties.getBreakerCoolDown() != null ? properties.getBreakerCoolDown() : settings.breakerCoolDown());
    }
    if (properties.getChunkLargePages() != null) {
      settings = settings.withChunkLargePages(properties.getChunkLargePages());
    }
    if (properties.getSyncInterval() != null) {
      settings = settings.withSyncInterval(properties.getSyncInterval());
    }
    return settings;
  }

  private static int intBytes(long bytes) {
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }
}
