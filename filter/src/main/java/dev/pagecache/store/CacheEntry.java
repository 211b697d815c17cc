package dev.pagecache.store;

import java.time.Instant;
import java.util.List;

/**
 * What a {@link PageStore} keeps under one key: a page, or the index of a URL's variants. Only
 * pagecache makes entries; a store keeps them as they are, and turns them into bytes and back with
 * {@link PageCodec} when it keeps them outside the JVM.
 */
public interface CacheEntry {

  /**
   * The instant after which the store may drop the entry: its lifetime, and any time it is kept
   * for revalidation or stale serving.
   *
   * @return when the entry may be dropped
   */
  Instant evictableAt();

  /**
   * Approximate bytes of memory the entry holds, for a byte-bounded store.
   *
   * @return the entry's weight in bytes
   */
  int weight();

  /**
   * The version groups (URL, path prefixes, tags) whose purge makes this entry stale. A store
   * shared by a fleet records them in its purge log before it stores the entry.
   *
   * @return the groups; empty for an entry that no purge group covers
   */
  default List<String> purgeGroups() {
    return List.of();
  }

  /**
   * The purge log's sequence number when the entry's render began: a purge of one of its groups
   * with a higher number makes it stale.
   *
   * @return the sequence number; 0 for an entry that no purge group covers
   */
  default long purgeSequence() {
    return 0;
  }
}
