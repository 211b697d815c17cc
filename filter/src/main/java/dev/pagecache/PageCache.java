package dev.pagecache;

import jakarta.servlet.ServletContext;
import java.net.URI;
import java.util.Optional;

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
   * Removes every stored variant of one URL, as a successful {@code POST} to it would.
   *
   * @param url an absolute URL as clients request it, e.g. {@code http://example.com/wiki/Home}
   */
  void purge(URI url);

  /**
   * Removes every page whose URL has {@code prefix}'s scheme, host and port and a path that
   * starts with {@code prefix}'s path, in whole segments: {@code http://example.com/wiki/}
   * purges {@code /wiki/Home} and {@code /wiki/a/b}, not {@code /wikipedia}.
   *
   * @param prefix an absolute URL without query, e.g. {@code http://example.com/wiki/}
   */
  void purgePrefix(URI prefix);

  /** Removes every page stored with {@code tag}. */
  void purgeTag(String tag);

  /**
   * Keeps a page warm: renders it now (or as soon as the server has seen its first request) and
   * again shortly before each copy expires. The path must match a rule that caches it.
   *
   * @param pathAndQuery inside the application, e.g. {@code /links?page=1}
   */
  void keepWarm(String pathAndQuery);

  /** Removes everything this cache holds. */
  void purgeAll();

  PageCacheStats stats();
}
