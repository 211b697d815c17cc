package dev.pagecache.store.memcached;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The namespace version every key carries: purging everything bumps it, for every JVM at once.
 * No request waits for it. One thread of its own re-reads it every second, each read bounded by
 * the timeout, so a purge-all reaches this JVM within about a second however few requests it
 * serves; a request uses the version last read. Until a first read is answered the version is
 * unknown, and the shared layer is not used: guessing 0 could serve pages from before a purge.
 *
 * <p>Versions are random, not counted: a version key that is lost (evicted, or its node died and
 * the key moved) is replaced with a fresh random version, added so that one JVM's wins, and never
 * read as 0 or counted up again into a namespace used before.
 */
final class NamespaceVersion implements AutoCloseable {
  static final String THREAD_NAME = "pagecache-shared-version";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Supplier<Future<byte[]>> read;
  private final LongFunction<Future<Boolean>> create;
  private final long timeoutMillis;
  private ScheduledExecutorService refresher;
  private OptionalLong known = OptionalLong.empty();
  /** Moves on with each version this JVM sets itself, so a read sent before that cannot undo it. */
  private long epoch;

  /**
   * @param read sends a read of the version key and returns its answer to come; throws when the
   *     shared layer cannot take it now
   * @param create sends an add of the version key with the given version, never to expire, and
   *     returns whether it was added; throws as {@code read} does
   */
  NamespaceVersion(Supplier<Future<byte[]>> read, LongFunction<Future<Boolean>> create, long timeoutMillis) {
    this.read = read;
    this.create = create;
    this.timeoutMillis = timeoutMillis;
  }

  /** Re-reads the version every {@code intervalMillis} from now on, on a daemon thread. */
  synchronized void refreshEvery(long intervalMillis) {
    if (refresher == null) {
      refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, THREAD_NAME);
        thread.setDaemon(true);
        return thread;
      });
      refresher.scheduleWithFixedDelay(this::refresh, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** The version to use now, without waiting; empty while none has been read. */
  synchronized OptionalLong current() {
    return known;
  }

  /** A version no namespace has used, but by a chance of one in 2^63. */
  static long fresh() {
    return RANDOM.nextLong() & Long.MAX_VALUE;
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
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, Math.min(maxWaitMillis, timeoutMillis)));
    try {
      byte[] value = await(read.get(), deadline);
      long version;
      if (value != null) {
        version = parse(value);
      } else {
        // No version key: never made, or lost. A fresh one, whichever JVM adds it first.
        long fresh = fresh();
        if (Boolean.TRUE.equals(await(create.apply(fresh), deadline))) {
          version = fresh;
        } else {
          byte[] theirs = await(read.get(), deadline);
          if (theirs == null) {
            return current().isPresent(); // lost again at once: the next refresh tries again
          }
          version = parse(theirs);
        }
      }
      synchronized (this) {
        if (epoch == startedIn) {
          known = OptionalLong.of(version);
        }
      }
    } catch (TimeoutException | ExecutionException | RuntimeException e) {
      // memcached failed, did not answer, or sent something that is not a number: keep what we had
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return current().isPresent();
  }

  private static <T> T await(Future<T> answer, long deadline)
      throws TimeoutException, ExecutionException, InterruptedException {
    try {
      return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      answer.cancel(false);
      throw e;
    }
  }

  static long parse(byte[] value) {
    return Long.parseLong(new String(value, StandardCharsets.US_ASCII).trim());
  }

  static byte[] format(long version) {
    return Long.toString(version).getBytes(StandardCharsets.US_ASCII);
  }

  private void refresh() {
    refresh(timeoutMillis);
  }

  @Override
  public synchronized void close() {
    if (refresher != null) {
      refresher.shutdownNow();
    }
  }
}
