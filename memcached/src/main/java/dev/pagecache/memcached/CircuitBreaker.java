package dev.pagecache.memcached;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Skips a failing dependency for a cool-down after {@code threshold} consecutive failures, then
 * lets one call through as a probe: its success closes the breaker, its failure opens it again.
 * Thread-safe and lock-free.
 */
final class CircuitBreaker {
  enum State { CLOSED, OPEN, HALF_OPEN }

  private final int threshold;
  private final Duration coolDown;
  private final InstantSource clock;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final AtomicReference<Instant> openUntil = new AtomicReference<>();
  private final AtomicReference<State> state = new AtomicReference<>(State.CLOSED);
  private final java.util.concurrent.atomic.LongAdder openings = new java.util.concurrent.atomic.LongAdder();

  CircuitBreaker(int threshold, Duration coolDown, InstantSource clock) {
    this.threshold = threshold;
    this.coolDown = coolDown;
    this.clock = clock;
  }

  /**
   * Whether a call may go ahead now. When the cool-down ends one probe is let through; should the
   * probe never report back, another is let through a cool-down later.
   */
  boolean allows() {
    State current = state.get();
    if (current == State.CLOSED) {
      return true;
    }
    Instant now = clock.instant();
    Instant until = openUntil.get();
    if (now.isBefore(until)) {
      return false;
    }
    // One caller wins the probe; the deadline moves so a lost probe does not wedge the breaker.
    if (openUntil.compareAndSet(until, now.plus(coolDown))) {
      state.set(State.HALF_OPEN);
      return true;
    }
    return false;
  }

  void recordSuccess() {
    consecutiveFailures.set(0);
    state.set(State.CLOSED);
  }

  void recordFailure() {
    if (state.get() == State.HALF_OPEN || consecutiveFailures.incrementAndGet() >= threshold) {
      openUntil.set(clock.instant().plus(coolDown));
      if (state.getAndSet(State.OPEN) != State.OPEN) {
        openings.increment();
      }
    }
  }

  /** How often it went from closed or half-open to open: each an outage seen, or a probe that failed. */
  long openings() {
    return openings.sum();
  }

  State state() {
    return state.get();
  }
}
