package dev.pagecache.memcached;

import dev.pagecache.internal.ParameterValues;
import dev.pagecache.store.SharedStoreProvider;
import dev.pagecache.store.SharedStoreSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads the {@code pagecache.memcached.*} init-params; the core finds it through
 * {@code META-INF/services}, so a {@code web.xml} user only adds this module's jar.
 * {@value #SERVERS_PARAM} ({@code host:port[,host:port...]}) turns the layer on; the others tune it
 * (see {@link MemcachedSettings}).
 */
public final class MemcachedStoreProvider implements SharedStoreProvider {
  /** The init-param of the same name. */
public static final String SERVERS_PARAM = "pagecache.memcached.servers";
  /** The init-param of the same name. */
  public static final String TIMEOUT_PARAM = "pagecache.memcached.timeout";
  /** The init-param of the same name. */
  public static final String ITEM_SIZE_PARAM = "pagecache.memcached.itemSize";
  /** The init-param of the same name. */
  public static final String COMPRESSION_THRESHOLD_PARAM = "pagecache.memcached.compressionThreshold";
  /** The init-param of the same name. */
  public static final String NAMESPACE_PARAM = "pagecache.memcached.namespace";
  /** The init-param of the same name. */
  public static final String SECRET_PARAM = "pagecache.memcached.secret";
  /** The init-param of the same name. */
  public static final String BREAKER_FAILURES_PARAM = "pagecache.memcached.breakerFailures";
  /** The init-param of the same name. */
  public static final String BREAKER_COOL_DOWN_PARAM = "pagecache.memcached.breakerCoolDown";
  /** The init-param of the same name. */
  public static final String CHUNK_LARGE_PAGES_PARAM = "pagecache.memcached.chunkLargePages";
  /** The init-param of the same name. */
  public static final String SYNC_INTERVAL_PARAM = "pagecache.memcached.syncInterval";

  private static final Set<String> PARAMS = Set.of(SERVERS_PARAM, TIMEOUT_PARAM, ITEM_SIZE_PARAM, COMPRESSION_THRESHOLD_PARAM, NAMESPACE_PARAM, SECRET_PARAM, BREAKER_FAILURES_PARAM, BREAKER_COOL_DOWN_PARAM, CHUNK_LARGE_PAGES_PARAM, SYNC_INTERVAL_PARAM);

  /** Made by the {@link java.util.ServiceLoader}. */
  public MemcachedStoreProvider() {}

  @Override
  public String parameterPrefix() {
    return "pagecache.memcached.";
  }

  @Override
  public Set<String> parameterNames() {
    return PARAMS;
  }

  @Override
  public Optional<SharedStoreSettings> fromParameters(UnaryOperator<String> parameter) {
    String servers = parameter.apply(SERVERS_PARAM);
    if (servers == null) {
      for (String name : PARAMS) {
        if (parameter.apply(name) != null) {
          throw new IllegalArgumentException("init-param " + name + " needs " + SERVERS_PARAM);
        }
      }
      return Optional.empty();
    }
    return Optional.of(fromParameters(servers, parameter));
  }

  private static MemcachedSettings fromParameters(String servers, UnaryOperator<String> params) {
    MemcachedSettings settings = MemcachedSettings.servers(servers);
    String value;
    if ((value = params.apply(TIMEOUT_PARAM)) != null) {
      settings = settings.withTimeout(ParameterValues.duration(TIMEOUT_PARAM, value));
    }
    if ((value = params.apply(ITEM_SIZE_PARAM)) != null) {
      settings = settings.withItemSize((int) Math.min(Integer.MAX_VALUE, ParameterValues.size(ITEM_SIZE_PARAM, value)));
    }
    if ((value = params.apply(COMPRESSION_THRESHOLD_PARAM)) != null) {
      settings = settings.withCompressionThreshold(
          (int) Math.min(Integer.MAX_VALUE, ParameterValues.size(COMPRESSION_THRESHOLD_PARAM, value)));
    }
    if ((value = params.apply(NAMESPACE_PARAM)) != null) {
      settings = settings.withNamespace(value.trim());
    }
    if ((value = params.apply(SECRET_PARAM)) != null) {
      settings = settings.withSecret(value);
    }
    String failures = params.apply(BREAKER_FAILURES_PARAM);
    String coolDown = params.apply(BREAKER_COOL_DOWN_PARAM);
    if (failures != null || coolDown != null) {
      int count;
      try {
        count = failures == null ? settings.breakerFailures() : Integer.parseInt(failures.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(BREAKER_FAILURES_PARAM + ": '" + failures + "' is not a number");
      }
      settings = settings.withBreaker(count,
          coolDown == null ? settings.breakerCoolDown() : ParameterValues.duration(BREAKER_COOL_DOWN_PARAM, coolDown));
    }
    if ((value = params.apply(CHUNK_LARGE_PAGES_PARAM)) != null) {
      if (!value.trim().equals("true") && !value.trim().equals("false")) {
        throw new IllegalArgumentException(CHUNK_LARGE_PAGES_PARAM + " must be true or false");
      }
      settings = settings.withChunkLargePages(Boolean.parseBoolean(value.trim()));
    }
    if ((value = params.apply(SYNC_INTERVAL_PARAM)) != null) {
      Duration interval = ParameterValues.duration(SYNC_INTERVAL_PARAM, value);
      try {
        settings = settings.withSyncInterval(interval);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(SYNC_INTERVAL_PARAM + ": " + e.getMessage());
      }
    }
    return settings;
  }
}
