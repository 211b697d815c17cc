package dev.pagecache.store;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * Where entries are kept. Implementations must be thread-safe. A store may fail (a network layer
 * times out, a value does not decode): it then throws a {@link RuntimeException}, and the caller
 * treats the call as a miss or a skipped write, counts it, and carries on with the origin. A store
 * never returns an entry past its {@link CacheEntry#evictableAt()}.
 */
public interface PageStore extends AutoCloseable {

  /**
   * The entry under a key.
   *
   * @param key the entry's cache key, as pagecache builds it
   * @return the entry; empty when there is none, or it is past its {@link CacheEntry#evictableAt()}
   * @throws RuntimeException when the store cannot answer (the caller treats it as a miss)
   */
  Optional<CacheEntry> get(String key);

  /**
   * Like {@link #get}, saying which layer answered; a single-layer store answers locally.
   *
   * @param key the entry's cache key
   * @return the entry and where it came from; empty when there is none
   * @throws RuntimeException when the store cannot answer (the caller treats it as a miss)
   */
  default Optional<StoreHit> fetch(String key) {
    return get(key).map(entry -> new StoreHit(entry, false));
  }

  /**
   * Keeps an entry under a key, replacing what was there, until its {@link CacheEntry#evictableAt()}
   * at most; a bounded store may drop it sooner.
   *
   * @param key the entry's cache key
   * @param entry the entry to keep
   * @throws RuntimeException when the write fails (the caller counts it and carries on)
   */
  void put(String key, CacheEntry entry);

  /**
   * Like {@link #put}, with hints a layered store may use; the default ignores them.
   *
   * @param key the entry's cache key
   * @param entry the entry to keep
   * @param hints where the write comes from, and whether a large page may be shared in chunks
   * @throws RuntimeException when the write fails (the caller counts it and carries on)
   */
  default void put(String key, CacheEntry entry, WriteHints hints) {
    put(key, entry);
  }

  /**
   * Drops the entry under a key, if there is one.
   *
   * @param key the entry's cache key
   * @throws RuntimeException when the store cannot be reached
   */
  void remove(String key);

  /**
   * Drops every entry this store holds: a store shared by a fleet, for every JVM of it. A layered
   * store empties this JVM's memory first, so that holds even when the shared layer fails.
   *
   * @throws RuntimeException when a layer cannot be reached
   */
  void clear();

  /**
   * Takes a short lease on {@code key} for the whole fleet, so that one JVM renders it while the
   * others wait for its result. A store shared by no one always grants it; a shared store that
   * cannot answer grants it too (each JVM then renders for itself, as without the lease).
   *
   * @param key the cache key of the page to render
   * @param ttl how long the lease lasts if its holder dies without releasing it
   * @return whether this caller holds the lease
   */
  default boolean tryLease(String key, java.time.Duration ttl) {
    return true;
  }

  /**
   * Gives up a lease taken with {@link #tryLease}; harmless if it expired meanwhile.
   *
   * @param key the key the lease was taken on
   */
  default void releaseLease(String key) {}

  /**
   * Which of {@code keys} are leased now, by any JVM ({@link #tryLease}), asked in one round trip:
   * a key missing from the answer was released by its holder, or expired with it. A store shared
   * by no one holds none. A shared store that grants leases should answer this too: without it,
   * JVMs that lost a lease wait a moment, look once, and render for themselves.
   *
   * @param keys the keys waited on
   * @return those of them leased now; empty for a store shared by no one
   * @throws RuntimeException when the shared store cannot say (its waiters then stop waiting)
   */
  default Set<String> leasesHeld(Collection<String> keys) {
    return Set.of();
  }

  /** {@return whether leases mean anything here: only a store shared across JVMs says yes} */
  default boolean sharedAcrossJvms() {
    return false;
  }

  /** {@return the entries and bytes held now, and what the store had to drop} */
  StoreStats stats();

  /** Releases threads and connections; the default holds none. */
  @Override
  default void close() {}
}
