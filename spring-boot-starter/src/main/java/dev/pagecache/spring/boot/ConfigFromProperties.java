package dev.pagecache.spring.boot;

import dev.pagecache.PageCacheConfig;
import java.util.List;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/** {@link PageCacheProperties} to a {@link PageCacheConfig}; every error names the property. */
final class ConfigFromProperties {
  /** The shared layer's settings class: present when the application has the memcached layer. */
  static final String MEMCACHED_SETTINGS_CLASS = "dev.pagecache.memcached.MemcachedSettings";

  private ConfigFromProperties() {}

  static PageCacheConfig build(PageCacheProperties properties, ResourceLoader resources) {
    PageCacheConfig.Builder builder = PageCacheConfig.builder();
    Resource rules = properties.getRules() != null ? properties.getRules()
        : resources.getResource(RulesResource.DEFAULT_LOCATION);
    builder.rules(RulesResource.read(rules));
    if (properties.getMaxCacheBytes() != null) {
      apply("pagecache.max-cache-bytes", () -> builder.maxCacheBytes(properties.getMaxCacheBytes().toBytes()));
    }
    if (!properties.getHosts().isEmpty()) {
      apply("pagecache.hosts", () -> builder.hosts(properties.getHosts()));
    }
    if (properties.getWarm().getBaseUrl() != null) {
      apply("pagecache.warm.base-url", () -> builder.warmBaseUrl(properties.getWarm().getBaseUrl()));
    }
    purge(properties.getPurge(), builder);
    memcached(properties.getMemcached(), builder, resources.getClassLoader());
    try {
      return builder.build();
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new PageCacheSettingsException("pagecache", e.getMessage(), e);
    }
  }

  private static void purge(PageCacheProperties.Purge purge, PageCacheConfig.Builder builder) {
    if (purge.getToken() != null) {
      apply("pagecache.purge.token", () -> builder.purgeToken(purge.getToken()));
    }
    if (purge.getAllowFrom() != null) {
      apply("pagecache.purge.allow-from", () -> builder.purgeAllowFrom(purge.getAllowFrom()));
    }
    if (purge.getPath() != null) {
      if (purge.getToken() == null && purge.getAllowFrom() == null) {
        throw new PageCacheSettingsException("pagecache.purge.path", "needs pagecache.purge.token or "
            + "pagecache.purge.allow-from: without them the purge endpoint is off", null);
      }
      apply("pagecache.purge.path", () -> builder.purgePath(purge.getPath()));
    }
  }

  private static void memcached(PageCacheProperties.Memcached memcached, PageCacheConfig.Builder builder,
      ClassLoader classLoader) {
    List<String> servers = memcached.getServers();
    if (servers == null || servers.isEmpty()) {
      if (memcached.hasTuning()) {
        throw new PageCacheSettingsException("pagecache.memcached", "settings given without "
            + "pagecache.memcached.servers, which turns the shared layer on", null);
      }
      return;
    }
    if (!ClassUtils.isPresent(MEMCACHED_SETTINGS_CLASS, classLoader)) {
      throw new PageCacheSettingsException("pagecache.memcached.servers", "the shared memcached layer is not on "
          + "the class path: add the dependency dev.pagecache:pagecache-memcached, or remove the servers", null);
    }
    apply("pagecache.memcached", () -> builder.sharedStore(SharedLayerSettings.from(memcached)));
  }

  /** Runs one builder call; its exception, which names the builder's argument, is put in the property's terms. */
  private static void apply(String property, Runnable call) {
    try {
      call.run();
    } catch (PageCacheSettingsException e) {
      throw e;
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new PageCacheSettingsException(property, e.getMessage(), e);
    }
  }
}
