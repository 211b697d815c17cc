package dev.pagecache.internal.store;

import dev.pagecache.store.CacheEntry;
import java.time.Instant;
import java.util.List;

/**
 * Stored under a URL's primary key when its pages are keyed by more than the URL: by the rule's
 * key headers or cookies, or by the request headers the response {@code Vary}s on. Pages live
 * under secondary keys that include {@link #generation}, so dropping this one entry (a purge of
 * the URL) makes every variant unreachable at once; they then age out of the store.
 *
 * @param generation random per index, never reused for the same URL
 * @param varyHeaders request header names the stored responses vary on, lower-cased
 * @param evictableAt the latest expiry of any variant stored under this generation
 */
public record VariantIndex(long generation, List<String> varyHeaders, Instant evictableAt)
    implements CacheEntry {

  public VariantIndex {
    varyHeaders = List.copyOf(varyHeaders);
  }

  public VariantIndex extendedTo(Instant until) {
    return until.isAfter(evictableAt) ? new VariantIndex(generation, varyHeaders, until) : this;
  }

  @Override
  public int weight() {
    int weight = 64;
    for (String name : varyHeaders) {
      weight += 40 + name.length();
    }
    return weight;
  }
}
