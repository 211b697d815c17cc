package dev.pagecache.memcached;

import dev.pagecache.internal.DaemonThreads;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The namespace version every key carries: purging everything bumps it, for every JVM at once.
 * No request waits for it. One thread of its own re-reads it every second, each read bounded by
 * the timeout, so a purge-all reaches this JVM within about a second however few requests it
 * serves; a request uses the version last read. Until a first read is answered the version is
 * unknown, and the shared layer is not used: guessing 0 could serve pages from before a purge.
 */
final class NamespaceVersion implements AutoCloseable {
  static final String THREAD_NAME = "pagecache-shared-version";

  private final Supplier<Future<byte[]>> read;
  private final long timeoutMillis;
  private final DaemonThreads threads = new DaemonThreads(THREAD_NAME);
  private ScheduledExecutorService refresher;
  private OptionalLong known = OptionalLong.empty();
  /** Moves on with each version this JVM sets itself, so a read sent before that cannot undo it. */
  private long epoch;

  /**
   * @param read sends a read of the version key and returns its answer to come; throws when the
   *     shared layer cannot take it now
   */
  NamespaceVersion(Supplier<Future<byte[]>> read, long timeoutMillis) {
    this.read = read;
    this.timeoutMillis = timeoutMillis;
  }

  /** Re-reads the version every {@code intervalMillis} from now on, on a daemon thread. */
  synchronized void refreshEvery(long intervalMillis) {
    if (refresher == null) {
      refresher = Executors.newSingleThreadScheduledExecutor(threads);
      refresher.scheduleWithFixedDelay(this::refresh, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** The version to use now, without waiting; empty while none has been read. */
  synchronized OptionalLong current() {
    return known;
  }

  /** What this JVM's own purge set the version to. */
  synchronized void set(long version) {
    known = OptionalLong.of(version);
    epoch++;
  }

  /**
   * Reads the version once, waiting at most the timeout (less if {@code maxWaitMillis} is less):
   * at start-up, and then on the refresher's thread. Keeps the version it had when the read fails.
   *
   * @return whether the version is known now
   */
  boolean refresh(long maxWaitMillis) {
    long startedIn;
    synchronized (this) {
      startedIn = epoch;
    }
    Future<byte[]> answer;
    try {
      answer = read.get();
    } catch (RuntimeException unavailable) {
      return current().isPresent();
    }
    try {
      byte[] value = answer.get(Math.max(0, Math.min(maxWaitMillis, timeoutMillis)), TimeUnit.MILLISECONDS);
      // No version key yet: no purge ever happened in this namespace.
      long version = value == null ? 0 : Long.parseLong(new String(value, StandardCharsets.US_ASCII).trim());
      synchronized (this) {
        if (epoch == startedIn) {
          known = OptionalLong.of(version);
        }
      }
    } catch (TimeoutException e) {
      answer.cancel(false);
    } catch (ExecutionException | RuntimeException e) {
      // memcached failed or sent something that is not a number: keep what we had
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return current().isPresent();
  }

  private void refresh() {
    refresh(timeoutMillis);
  }

  @Override
  public synchronized void close() {
    if (refresher != null) {
      threads.stopNow(refresher);
    }
  }
}
