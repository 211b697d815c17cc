package dev.pagecache;

import dev.pagecache.internal.policy.CacheKeys;
import dev.pagecache.internal.policy.RequestView;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.store.CacheEntry;
import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.StoreHit;
import dev.pagecache.store.WriteHints;
import dev.pagecache.internal.store.VariantIndex;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds and files pages under their keys: a page alone under its URL's primary key when nothing
 * else keys it, otherwise a {@link VariantIndex} there and the pages under secondary keys. What
 * else keys a page: the rule's key headers and cookies, the response's {@code Vary}, and the
 * steering headers a request carries ({@link dev.pagecache.internal.policy.SteeringHeaders}). Once a URL
 * has an index, every variant lives under it, the plain one too, so that requests with and without
 * steering headers never push each other's pages out.
 */
final class PageIndex {
  private final PageStore store;

  PageIndex(PageStore store) {
    this.store = store;
  }

  /**
   * What a lookup found: a page, or which kind of miss (RFC 9211 {@code uri-miss},
   * {@code vary-miss}, or a purged page), and whether the URL is stored under a variant index.
   */
  record Found(CachedPage page, boolean varyMiss, boolean shared, boolean indexed, boolean purged) {
    static final Found URI_MISS = new Found(null, false, false, false, false);
    static final Found VARY_MISS = new Found(null, true, false, true, false);
    /** The URL's plain page is stored, but this request's steering headers key another one. */
    static final Found PLAIN_ONLY = new Found(null, true, false, false, false);

    Found(CachedPage page, boolean varyMiss, boolean shared, boolean indexed) {
      this(page, varyMiss, shared, indexed, false);
    }

    boolean isHit() {
      return page != null;
    }

    /** A page was found, but a purge since its render stops it (RFC 9211 {@code fwd=stale}). */
    Found asPurged() {
      return new Found(null, false, shared, indexed, true);
    }
  }

  /** @param steering the request's keyed steering headers ({@link dev.pagecache.internal.policy.SteeringHeaders#keyed}) */
  Found find(String primaryKey, RequestView request, CacheRule rule, List<String> steering) {
    Optional<StoreHit> entry = store.fetch(primaryKey);
    if (entry.isEmpty()) {
      return Found.URI_MISS;
    }
    if (entry.get().entry() instanceof CachedPage page) {
      // Stored before the rule gained key headers or cookies: it cannot tell users apart.
      if (rule.hasKeyPartsBeyondUrl()) {
        return Found.URI_MISS;
      }
      // The plain page, rendered without the header this request carries.
      return steering.isEmpty() ? new Found(page, false, entry.get().shared(), false) : Found.PLAIN_ONLY;
    }
    VariantIndex index = (VariantIndex) entry.get().entry();
    String secondaryKey = CacheKeys.secondary(primaryKey, index.generation(), request, rule, steering,
        index.varyHeaders());
    Optional<StoreHit> variant = store.fetch(secondaryKey);
    return variant.isPresent() && variant.get().entry() instanceof CachedPage page
        ? new Found(page, false, variant.get().shared(), true) : Found.VARY_MISS;
  }

  /**
   * @param indexed whether the lookup before the render found the URL under a variant index: a
   *     plain page then joins it rather than replacing it
   */
  void file(String primaryKey, RequestView request, CacheRule rule, List<String> steering, boolean indexed,
      CachedPage page, List<String> varyHeaders) {
    WriteHints hints = new WriteHints(rule.describe(), rule.shareLargePages());
    if (!rule.hasKeyPartsBeyondUrl() && varyHeaders.isEmpty() && steering.isEmpty() && !indexed) {
      store.put(primaryKey, page, hints);
      return;
    }
    Optional<CacheEntry> existing = store.get(primaryKey);
    VariantIndex index = existing.isPresent() && existing.get() instanceof VariantIndex current
        && current.varyHeaders().equals(varyHeaders)
        ? current.extendedTo(page.evictableAt())
        // A new generation: variants filed under an older Vary list become unreachable.
        : new VariantIndex(ThreadLocalRandom.current().nextLong(), varyHeaders, page.evictableAt());
    store.put(CacheKeys.secondary(primaryKey, index.generation(), request, rule, steering, varyHeaders), page, hints);
    if (existing.isEmpty() || existing.get() != index) {
      store.put(primaryKey, index, hints);
    }
  }

  void purge(String primaryKey) {
    store.remove(primaryKey);
  }

  void purgeAll() {
    store.clear();
  }
}
