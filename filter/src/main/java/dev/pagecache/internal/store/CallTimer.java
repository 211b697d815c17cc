package dev.pagecache.internal.store;

import dev.pagecache.store.Latency;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Count, total and longest time of one kind of call, from any number of threads without a lock.
 * The three are read one after the other, so a snapshot taken while calls end may be off by the
 * calls that ended meanwhile: fine for monitoring, never negative.
 */
final class CallTimer {
  private final LongAdder count = new LongAdder();
  private final LongAdder totalNanos = new LongAdder();
  private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

  /** Records one call that began at {@code startNanos} ({@link System#nanoTime()}) and ends now. */
  void since(long startNanos) {
    long took = Math.max(0, System.nanoTime() - startNanos);
    count.increment();
    totalNanos.add(took);
    maxNanos.accumulate(took);
  }

  Latency snapshot() {
    return new Latency(count.sum(), totalNanos.sum(), maxNanos.get());
  }
}
