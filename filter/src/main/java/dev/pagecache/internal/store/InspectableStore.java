package dev.pagecache.internal.store;

import dev.pagecache.store.CacheEntry;
import java.util.Optional;

/**
 * A store whose contents can be looked at without disturbing them: no hit counted, no eviction
 * order or frequency touched, nothing copied between layers. For the admin page and
 * {@code PageCache.lookup}, never for serving.
 */
public interface InspectableStore {

  /** An entry of this JVM's memory and the reads of it since it was stored. */
  record Held(CacheEntry entry, long hits) {}

  /** Receives the entries of {@link #forEachInMemory}. */
  @FunctionalInterface
  interface Visitor {
    void visit(String key, CacheEntry entry, long hits);
  }

  /**
   * Every entry this JVM's memory holds, as a concurrent map's iterator sees them: entries stored
   * or removed meanwhile may or may not be visited.
   */
  void forEachInMemory(Visitor visitor);

  /** The entry under {@code key} in this JVM's memory, if any. */
  Optional<Held> peekMemory(String key);

  /** Whether a layer shared across JVMs is behind this JVM's memory. */
  default boolean hasSharedLayer() {
    return false;
  }

  /**
   * The entry under {@code key} in the shared layer, if any; never copied into memory.
   *
   * @throws RuntimeException when the shared layer cannot answer
   */
  default Optional<CacheEntry> peekShared(String key) {
    return Optional.empty();
  }
}
