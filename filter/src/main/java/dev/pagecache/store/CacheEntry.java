package dev.pagecache.store;

import java.time.Instant;

/** What a {@link PageStore} keeps under one key: a page, or the index of a URL's variants. */
public sealed interface CacheEntry permits CachedPage, VariantIndex {

  /** After this instant the store may drop the entry. */
  Instant evictableAt();

  /** Approximate bytes of memory the entry holds, for a byte-bounded store. */
  int weight();
}
