package dev.pagecache.store;

import java.util.Collection;
import java.util.Map;

/**
 * The fleet's record of purges: one sequence of numbers, each purge taking the next, and what each
 * number purged. A JVM alone keeps it in memory; a fleet keeps it in memcached, where every JVM
 * reads what the others published. Calls that need the network throw when it does not answer.
 */
public interface PurgeLog extends AutoCloseable {

  /** {@return whether other JVMs read this log: then it must be polled, and its failures matter} */
  boolean shared();

  /**
   * Gives a purge the next number and records it for every JVM.
   *
   * @param group the version group purged: a URL, a path prefix or a tag
   * @return the purge's number; pages whose render began before it are stale
   * @throws RuntimeException when a shared log cannot be reached
   */
  long publish(String group);

  /**
   * Like {@link #publish(String)}, with a number above {@code floor}, the highest this JVM has seen:
   * a counter set back (lost, or its node back with an old value) must not give a purge a number
   * that pages rendered since already carry.
   *
   * @param group the version group purged
   * @param floor the highest number this JVM has seen
   * @return the purge's number, above {@code floor} for a log that can tell
   * @throws RuntimeException when a shared log cannot be reached
   */
  default long publish(String group, long floor) {
    return publish(group);
  }

  /**
   * Whether start-up may wait for a first read: false when the log's server did not answer at
   * start-up already, so that start-up waits for an unreachable server once, not once per use.
   *
   * @return {@code false} when the server did not answer at start-up; {@code true} for a local log
   */
  default boolean answeredAtStartUp() {
    return true;
  }

  /**
   * {@return the highest number given so far}
   *
   * @throws RuntimeException when a shared log cannot be reached
   */
  long latest();

  /**
   * What a range of numbers purged, for a JVM catching up.
   *
   * @param after the last number the caller has read (not included)
   * @param upTo the last number to read (included)
   * @return the group each number purged, by number; a number whose record is not there is absent
   * @throws RuntimeException when a shared log cannot be reached
   */
  Map<Long, String> entries(long after, long upTo);

  /**
   * The number of each group's last purge, from the fleet's record. A group whose record is lost
   * is purged now (so no page older than the loss counts as current), and gets that number.
   *
   * @param groups the version groups asked about
   * @return each group's last purge number, for every group asked about
   * @throws IllegalStateException for a log that is not {@link #shared()}: it keeps no record
   * @throws RuntimeException when a shared log cannot be reached
   */
  Map<String, Long> lastPurges(Collection<String> groups);

  /**
   * Raises the numbering after someone set it back; a local log has nothing to raise.
   *
   * @param floor the next purge gets a number above it
   */
  default void raiseTo(long floor) {}

  /**
   * Makes sure each group has a record before a page of it is shared, so that a lost one is told
   * from a never-purged one: a missing record is created as purged at {@code pageSequence} (the
   * page's own number), so pages older than it count as purged, never the page itself.
   *
   * @param groups the version groups of the page about to be shared
   * @param pageSequence the page's own purge sequence number
   */
  default void ensureRecorded(Collection<String> groups, long pageSequence) {}

  /** Releases the log's connections; the default holds none. */
  @Override
  default void close() {}
}
