package dev.pagecache.store;

import java.util.Collection;
import java.util.Map;

/**
 * The fleet's record of purges: one sequence of numbers, each purge taking the next, and what each
 * number purged. A JVM alone keeps it in memory; a fleet keeps it in memcached, where every JVM
 * reads what the others published. Calls that need the network throw when it does not answer.
 */
public interface PurgeLog extends AutoCloseable {

  /** Whether other JVMs read this log: then it must be polled, and its failures matter. */
  boolean shared();

  /** Gives a purge of {@code group} the next number and records it for every JVM; returns the number. */
  long publish(String group);

  /**
   * Like {@link #publish(String)}, with a number above {@code floor}, the highest this JVM has seen:
   * a counter set back (lost, or its node back with an old value) must not give a purge a number
   * that pages rendered since already carry.
   */
  default long publish(String group, long floor) {
    return publish(group);
  }

  /**
   * Whether start-up may wait for a first read: false when the log's server did not answer at
   * start-up already, so that start-up waits for an unreachable server once, not once per use.
   */
  default boolean answeredAtStartUp() {
    return true;
  }

  /** The highest number given so far. */
  long latest();

  /** What the numbers in {@code (after, upTo]} purged; a number whose record is not there is absent. */
  Map<Long, String> entries(long after, long upTo);

  /**
   * The number of each group's last purge, from the fleet's record. A group whose record is lost
   * is purged now (so no page older than the loss counts as current), and gets that number.
   */
  Map<String, Long> lastPurges(Collection<String> groups);

  /** Raises the numbering to at least {@code floor}, after someone set it back. */
  default void raiseTo(long floor) {}

  /**
   * Makes sure each group has a record before a page of it is shared, so that a lost one is told
   * from a never-purged one: a missing record is created as purged at {@code pageSequence} (the
   * page's own number), so pages older than it count as purged, never the page itself.
   */
  default void ensureRecorded(Collection<String> groups, long pageSequence) {}

  @Override
  default void close() {}
}
