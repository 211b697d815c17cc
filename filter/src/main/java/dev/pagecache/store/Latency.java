package dev.pagecache.store;

import java.time.Duration;

/**
 * How long the calls of one kind to a store took, since the store was opened: failed and timed-out
 * calls included, since those are the slow ones that matter.
 *
 * @param count calls made
 * @param totalNanos their summed time, in nanoseconds
 * @param maxNanos the longest single call, in nanoseconds; 0 before the first
 */
public record Latency(long count, long totalNanos, long maxNanos) {
  /** No calls yet. */
  public static final Latency NONE = new Latency(0, 0, 0);

  /**
   * The mean time of a call.
   *
   * @return {@code totalNanos / count}, or zero before the first call
   */
  public Duration mean() {
    return count == 0 ? Duration.ZERO : Duration.ofNanos(totalNanos / count);
  }
}
