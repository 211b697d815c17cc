package dev.pagecache.spring.boot.actuate;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheStats;
import dev.pagecache.StoredPage;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;

/**
 * Actuator endpoint {@code pagecache}: {@code GET} reads the stats; {@code GET .../lookup?url=}
 * lists the stored copies of one URL; {@code POST} with one of
 * {@code url}, {@code tag} or {@code prefix} purges those pages; {@code DELETE} purges everything.
 * Purges reach every JVM of the fleet when the shared layer is on.
 *
 * <p>Guarded as every Actuator endpoint is: not on the web until
 * {@code management.endpoints.web.exposure.include} names it, then behind the application's Spring
 * Security rules for {@code EndpointRequest.to("pagecache")}; {@code management.endpoint.pagecache.access=read-only}
 * keeps the stats and turns purging off.
 */
@Endpoint(id = "pagecache", defaultAccess = Access.UNRESTRICTED)
public class PageCacheEndpoint {
  private final PageCache cache;

  /** @param cache the running cache */
  public PageCacheEndpoint(PageCache cache) {
    this.cache = cache;
  }

  /** @return what the cache has done since it started, and what it holds now */
  @ReadOperation
  public PageCacheStats stats() {
    return cache.stats();
  }

  /**
   * The copies a {@code GET} of one URL could be served, in memory and in the shared layer
   * ({@link PageCache#lookup}), at {@code /actuator/pagecache/lookup?url=...}. The URL is a query
   * parameter, not a path segment: an encoded {@code /} in a path is refused by servers and by
   * Spring Security's firewall.
   *
   * @param view {@code lookup}; anything else is not found
   * @param url an absolute URL as clients request it, e.g. {@code https://www.example.com/wiki/Home}
   * @return the stored copies, none when nothing is stored; null (404) for another view
   */
  @ReadOperation
  public List<StoredPage> lookup(@Selector String view, String url) {
    if (!"lookup".equals(view)) {
      return null;
    }
    return cache.lookup(absolute("url", url));
  }

  /**
   * Purges one URL's pages ({@code url}, absolute as clients request it), a tag's pages
   * ({@code tag}), or every URL under a path ({@code prefix}, absolute): exactly one of them.
   *
   * @param url an absolute URL, e.g. {@code https://www.example.com/wiki/Home}
   * @param tag a tag, e.g. {@code article:42}
   * @param prefix an absolute URL whose path is the prefix, e.g. {@code https://www.example.com/wiki/}
   * @return what was purged
   */
  @WriteOperation
  public Map<String, String> purge(@Nullable String url, @Nullable String tag, @Nullable String prefix) {
    int given = (url != null ? 1 : 0) + (tag != null ? 1 : 0) + (prefix != null ? 1 : 0);
    if (given != 1) {
      throw new InvalidEndpointRequestException("give exactly one of url, tag and prefix",
          "Give exactly one of url, tag and prefix");
    }
    if (url != null) {
      cache.purge(absolute("url", url));
      return Map.of("purged", "url", "url", url);
    }
    if (tag != null) {
      if (tag.isBlank()) {
        throw new InvalidEndpointRequestException("tag is blank", "tag is blank");
      }
      cache.purgeTag(tag);
      return Map.of("purged", "tag", "tag", tag);
    }
    cache.purgePrefix(absolute("prefix", prefix));
    return Map.of("purged", "prefix", "prefix", prefix);
  }

  /**
   * Purges everything this cache holds, on every JVM of the fleet.
   *
   * @return what was purged
   */
  @DeleteOperation
  public Map<String, String> purgeAll() {
    cache.purgeAll();
    return Map.of("purged", "all");
  }

  private static URI absolute(String name, String value) {
    URI uri;
    try {
      uri = URI.create(value.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidEndpointRequestException(name + " is not a URL: " + e.getMessage(), name + " is not a URL");
    }
    if (!uri.isAbsolute() || uri.getHost() == null
        || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
      throw new InvalidEndpointRequestException(name + " must be an absolute http(s) URL, was " + value,
          name + " must be an absolute http(s) URL, e.g. https://www.example.com/wiki/Home");
    }
    return uri;
  }
}
