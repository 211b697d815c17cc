package dev.pagecache.store;

import java.time.Duration;
import java.time.InstantSource;

/**
 * A store shared by every JVM of a fleet (memcached in {@code pagecache-memcached}), kept behind
 * each JVM's memory. Besides pages it carries the fleet's purge log and the clock the fleet agrees
 * on, so that every JVM expires and purges the same pages at the same time.
 */
public interface SharedStore extends PageStore {
  /**
   * The fleet's purge log, on this store's connections.
   *
   * @return the log every JVM of the fleet publishes its purges to and reads the others' from
   */
  PurgeLog purgeLog();

  /**
   * The clock every JVM reads for freshness and expiry, set by the shared servers' clock where
   * they have one.
   *
   * @return the fleet's clock
   */
  InstantSource clock();

  /**
   * How often a JVM reads the purge log; it serves from its own memory between reads.
   *
   * @return the interval between two reads of the purge log
   */
  Duration syncInterval();

  /**
   * Asks the shared servers whether they answer, now. Blocks for at most the store's call timeout;
   * while the store's circuit breaker is open, asks nothing and answers unreachable.
   *
   * @return whether the shared layer answered, and the state of its circuit breaker
   */
  SharedStoreHealth health();

  /** {@inheritDoc} A shared store is shared by definition. */
  @Override
  default boolean sharedAcrossJvms() {
    return true;
  }
}
