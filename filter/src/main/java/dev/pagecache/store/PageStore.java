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

  Optional<CacheEntry> get(String key);

  /** Like {@link #get}, saying which layer answered; a single-layer store answers locally. */
  default Optional<StoreHit> fetch(String key) {
    return get(key).map(entry -> new StoreHit(entry, false));
  }

  void put(String key, CacheEntry entry);

  /** Like {@link #put}, with hints a layered store may use. */
  default void put(String key, CacheEntry entry, WriteHints hints) {
    put(key, entry);
  }

  void remove(String key);

  void clear();

  /**
   * Takes a short lease on {@code key} for the whole fleet, so that one JVM renders it while the
   * others wait for its result. A store shared by no one always grants it; a shared store that
   * cannot answer grants it too (each JVM then renders for itself, as without the lease).
   *
   * @param ttl how long the lease lasts if its holder dies without releasing it
   * @return whether this caller holds the lease
   */
  default boolean tryLease(String key, java.time.Duration ttl) {
    return true;
  }

  /** Gives up a lease taken with {@link #tryLease}; harmless if it expired meanwhile. */
  default void releaseLease(String key) {}

  /**
   * Which of {@code keys} are leased now, by any JVM ({@link #tryLease}), asked in one round trip:
   * a key missing from the answer was released by its holder, or expired with it. A store shared
   * by no one holds none. A shared store that grants leases should answer this too: without it,
   * JVMs that lost a lease wait a moment, look once, and render for themselves.
   *
   * @throws RuntimeException when the shared store cannot say (its waiters then stop waiting)
   */
  default Set<String> leasesHeld(Collection<String> keys) {
    return Set.of();
  }

  /** Whether leases mean anything here: only a store shared across JVMs says yes. */
  default boolean sharedAcrossJvms() {
    return false;
  }

  /** Entries and bytes held now, and what the store had to drop. */
  StoreStats stats();

  /** Releases threads and connections; the default holds none. */
  @Override
  default void close() {}
}
