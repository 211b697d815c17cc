package dev.pagecache.memcached;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Logs at most one message per topic per interval and says how many it held back, so a failure
 * that repeats every few milliseconds (memcached down, a flood of forged values) is a line a
 * minute, not a flood. Topics are a small fixed set (a message kind, not its text).
 */
final class RateLimitedLog {
  private final Logger logger;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /** One topic's state: when it may log again, and what it held back meanwhile. */
  private static final class Window {
    final AtomicLong nextAt;
    final AtomicLong heldBack = new AtomicLong();

    Window(long now) {
      nextAt = new AtomicLong(now);
    }
  }

  RateLimitedLog(Logger logger, long intervalMillis, LongSupplier nanoTime) {
    this.logger = logger;
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    this.nanoTime = nanoTime;
  }

  Logger logger() {
    return logger;
  }

  /** Logs {@code message} unless {@code topic} logged less than an interval ago; builds it only if it logs. */
  void log(Level level, String topic, Supplier<String> message) {
    if (!logger.isLoggable(level)) {
      return;
    }
    long now = nanoTime.getAsLong();
    Window window = windows.computeIfAbsent(topic, t -> new Window(now));
    long nextAt = window.nextAt.get();
    if (now - nextAt < 0 || !window.nextAt.compareAndSet(nextAt, now + intervalNanos)) {
      window.heldBack.incrementAndGet();
      return;
    }
    long heldBack = window.heldBack.getAndSet(0);
    String text = message.get();
    logger.log(level, heldBack == 0 ? text : text + " (and " + heldBack + " more like it since the last one logged)");
  }
}
