package dev.pagecache.store;

import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads a shared layer's settings from the filter's {@code pagecache.*} init-params. Found with
 * {@link java.util.ServiceLoader}: a module that brings a shared layer lists its provider in
 * {@code META-INF/services/dev.pagecache.store.SharedStoreProvider}, so that adding its jar to
 * an application is all a {@code web.xml} user has to do.
 */
public interface SharedStoreProvider {
  /**
   * The prefix of this layer's init-params, e.g. {@code pagecache.memcached.}.
   *
   * @return the prefix, ending with a dot
   */
  String parameterPrefix();

  /**
   * Every init-param this layer reads; any other name under {@link #parameterPrefix()} is a typo.
   *
   * @return the full names of the parameters
   */
  Set<String> parameterNames();

  /**
   * The settings the init-params give, if they configure this layer.
   *
   * @param parameter an init-param's value by name, {@code null} when it is not set
   * @return the settings, or empty when the parameters do not turn this layer on
   * @throws IllegalArgumentException naming the parameter whose value is not usable
   */
  Optional<SharedStoreSettings> fromParameters(UnaryOperator<String> parameter);
}
