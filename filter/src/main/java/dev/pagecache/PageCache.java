package dev.pagecache;

import jakarta.servlet.ServletContext;
import java.net.URI;
import java.util.List;
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

  /**
   * The cache the application's {@link PageCacheFilter} runs, once the filter has started.
   *
   * @param context the web application's servlet context
   * @return the running cache; empty before the filter's {@code init} and after its {@code destroy}
   */
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
   *
   * @param tag the tag, as pages carry it, e.g. {@code user:42}
   */
  void purgeTag(String tag);

  /**
   * Purges every URL on the prefix's scheme, host and port whose path starts with the prefix's path,
   * in whole segments: {@code http://example.com/wiki} and {@code http://example.com/wiki/} both
   * purge {@code /wiki}, {@code /wiki?x=1} and everything under {@code /wiki/}, but not
   * {@code /wikis}. One step however many pages it reaches.
   *
   * @param prefix an absolute URL whose path is the prefix, e.g. {@code http://example.com/wiki/}
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

  /**
   * One page of the copies this JVM's memory holds, sorted, without building the others: however
   * many the store holds, no more than {@code offset + limit} are kept while sorting. Only copies a
   * request could be served are listed: none that a purge reached, nor variants left behind when
   * their URL was purged. The shared layer cannot be listed (memcached does not list its keys).
   *
   * @param order what to sort by
   * @param descending whether the largest (oldest, most hit...) come first
   * @param offset how many copies to skip, 0 to 1,000,000
   * @param limit how many copies to return at most, 0 to 1,000
   * @return the copies from {@code offset} on, and how many there are in all
   * @throws IllegalArgumentException when {@code offset} or {@code limit} is out of range
   */
  StoredPage.Listing entries(StoredPage.Order order, boolean descending, int offset, int limit);

  /**
   * Every stored copy of one URL that a {@code GET} of it could be served: its keys are derived as
   * the filter derives them (its rule's query parameters, the path's normal form), and each variant
   * (by {@code Vary}, key headers, key cookies) is listed once per layer that holds it. With a shared
   * layer, its copy of the URL is listed, and those of its variants that this JVM's memory holds too
   * (a shared store cannot list keys). At most 1,000 variants; nothing is counted as a hit, and
   * nothing is copied between layers.
   *
   * @param url an absolute URL as clients request it, e.g. {@code http://example.com/wiki/Home}
   * @return the copies, those in memory first; empty when nothing is stored or no rule matches the URL
   * @throws IllegalArgumentException when {@code url} is not absolute
   */
  List<StoredPage> lookup(URI url);
}
