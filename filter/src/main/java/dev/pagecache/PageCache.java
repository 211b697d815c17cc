package dev.pagecache;

import jakarta.servlet.ServletContext;
import java.net.URI;
import java.util.Optional;
import dev.pagecache.store.SharedStoreHealth;

/**
 * A running page cache, for purges and stats. The filter publishes it as a servlet-context
 * attribute; {@link #from(ServletContext)} finds it:
 *
 * <pre>{@code
 * PageCache.from(request.getServletContext()).ifPresent(cache -> cache.purge(URI.create(url)));
 * }</pre>
 */
public interface PageCache {
  /** The servlet-context attribute the filter publishes itself under. */
  String CONTEXT_ATTRIBUTE = PageCache.class.getName();

  static Optional<PageCache> from(ServletContext context) {
    Object cache = context.getAttribute(CONTEXT_ATTRIBUTE);
    return cache instanceof PageCache pageCache ? Optional.of(pageCache) : Optional.empty();
  }

  /**
   * Removes every stored variant of one URL, on every JVM of the fleet, as a successful
   * {@code POST} to it would.
   *
   * @param url an absolute URL as clients request it, e.g. {@code http://example.com/wiki/Home}
   */
  void purge(URI url);

  /**
   * Keeps a page warm: renders it now (or as soon as the server has seen its first request) and
   * again shortly before each copy expires. The path must match a rule that caches it.
   *
   * @param pathAndQuery inside the application, e.g. {@code /links?page=1}
   */
  void keepWarm(String pathAndQuery);

  /** Removes everything this cache holds, on every JVM of the fleet. */
  void purgeAll();

  /**
   * Purges every page tagged {@code tag} (by a {@code Surrogate-Key} or {@code Cache-Tag} response
   * header, or by its rule's {@code tags}), on every JVM of the fleet. One step however many pages
   * carry the tag: each is a miss when next requested.
   */
  void purgeTag(String tag);

  /**
   * Purges every URL on the prefix's scheme, host and port whose path starts with the prefix's path,
   * in whole segments: {@code http://example.com/wiki} and {@code http://example.com/wiki/} both
   * purge {@code /wiki}, {@code /wiki?x=1} and everything under {@code /wiki/}, but not
   * {@code /wikis}. One step however many pages it reaches.
   */
  void purgePrefix(URI prefix);

  /**
   * What the cache has done since it started, and what it holds now.
   *
   * @return a snapshot of the counters
   */
  PageCacheStats stats();

  /**
   * Asks the shared layer (memcached) whether it answers, now: for health checks. Blocks for at
   * most the layer's call timeout; while its circuit breaker is open it asks nothing and answers
   * unreachable, and when the cool-down is over the probe is the call that may close the breaker.
   *
   * @return what the probe found; empty without a shared layer
   */
  Optional<SharedStoreHealth> sharedLayerHealth();
}
