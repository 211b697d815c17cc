package dev.pagecache.memcached;

import dev.pagecache.internal.DaemonThreads;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * This JVM's clock, set by memcached's: the fleet's JVMs compare absolute instants (a page another
 * JVM stored expires at an instant of that JVM's clock), so a JVM whose clock is behind would
 * serve pages past their expiry. Each JVM reads the servers' {@code time} (whole seconds) at
 * start-up and every minute, and moves its clock by the difference when that is more than
 * {@link #TOLERANCE}; JVMs so set agree within about a second and a half, however far apart their
 * own clocks are. Nothing changes while the servers cannot be read.
 */
public final class MemcachedClock implements InstantSource, AutoCloseable {
  private static final Logger LOG = System.getLogger(MemcachedClock.class.getName());
  /** memcached tells whole seconds, and a round trip adds to it: below this, nothing can be told. */
  static final Duration TOLERANCE = Duration.ofMillis(1500);
  private static final long REFRESH_SECONDS = 60;

  private final InstantSource base;
  private volatile long offsetMillis;
  private final DaemonThreads threads = new DaemonThreads("pagecache-shared-clock");
  private ScheduledExecutorService refresher;

  /**
   * A clock that reads {@code base} until {@link #follow} sets it by the servers'.
   *
   * @param base this JVM's own clock
   */
  public MemcachedClock(InstantSource base) {
    this.base = base;
  }

  @Override
  public Instant instant() {
    long offset = offsetMillis;
    return offset == 0 ? base.instant() : base.instant().plusMillis(offset);
  }

  /**
   * {@return how far this JVM's clock is set, in milliseconds: positive when it was behind the
   * servers'; 0 when within the tolerance, or before the servers were read}
   */
  public long offsetMillis() {
    return offsetMillis;
  }

  /**
   * Reads the servers' time now and then every minute, on a daemon thread.
   *
   * @param serverTimes each server's {@code time} stat, in epoch seconds; may throw or be empty
   */
  public synchronized void follow(Supplier<List<Long>> serverTimes) {
    if (refresher != null) {
      return;
    }
    refresher = Executors.newSingleThreadScheduledExecutor(threads);
    refresher.scheduleWithFixedDelay(() -> refresh(serverTimes), 0, REFRESH_SECONDS, TimeUnit.SECONDS);
  }

  /** One reading; package-visible for tests. */
  void refresh(Supplier<List<Long>> serverTimes) {
    try {
      long before = base.millis();
      List<Long> seconds = new ArrayList<>(serverTimes.get());
      long after = base.millis();
      if (seconds.isEmpty()) {
        return;
      }
      Collections.sort(seconds);
      // The server's second began up to a second before it answered: its middle is the best guess.
      long serverMillis = seconds.get(seconds.size() / 2) * 1000 + 500;
      long offset = serverMillis - (before + after) / 2;
      long previous = offsetMillis;
      offsetMillis = Math.abs(offset) > TOLERANCE.toMillis() ? offset : 0;
      if (offsetMillis != 0 && Math.abs(offsetMillis - previous) > TOLERANCE.toMillis()) {
        LOG.log(Level.WARNING, () -> "pagecache: this JVM's clock is " + Math.abs(offset) + " ms "
            + (offset > 0 ? "behind" : "ahead of") + " memcached's; pagecache uses memcached's time. Check NTP on both.");
      }
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "pagecache: reading memcached's time failed; keeping the clock as it was", e);
    }
  }

  /** The {@code time} stat of each server that answered. */
  static List<Long> serverTimes(Map<SocketAddress, Map<String, String>> stats) {
    List<Long> times = new ArrayList<>();
    for (Map<String, String> server : stats.values()) {
      String time = server == null ? null : server.get("time");
      if (time != null) {
        try {
          times.add(Long.parseLong(time.trim()));
        } catch (NumberFormatException e) {
          // not a server we understand
        }
      }
    }
    return times;
  }

  @Override
  public synchronized void close() {
    if (refresher != null) {
      threads.stopNow(refresher);
    }
  }
}
