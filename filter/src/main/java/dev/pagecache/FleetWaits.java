package dev.pagecache;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The renders this JVM waits for in other JVMs of the fleet, watched together. Each tick one
 * thread asks the shared layer, in one round trip, which of the watched leases are still held; the
 * waiters of those that are gone (released by their holder, or expired with it) are woken to look
 * in the cache once. So waiting for other JVMs costs one multi-get per tick however many pages are
 * awaited, and no request thread sleeps in a polling loop: each blocks on its own wait, with its own
 * deadline. When the shared layer cannot say (it fails, its breaker is open), every waiter is woken
 * to render for itself, as at its deadline.
 *
 * <p>What is kept is bounded by the requests waiting: a key is watched while a waiter of it has not
 * given up, and dropped as soon as it is woken or its last waiter leaves. The thread starts at the
 * first wait (a cache without a shared layer never has one) and idles while nothing is watched.
 */
final class FleetWaits implements AutoCloseable {
  private static final Logger LOG = System.getLogger(PageCacheFilter.class.getName());
  /** How often the watched leases are checked: {@value} ms. */
  static final long TICK_MILLIS = 25;
  static final String THREAD_NAME = "pagecache-fleet-waits";

  /** Which of these keys' leases some JVM still holds; throws when the shared layer cannot say. */
  @FunctionalInterface
  interface Leases {
    Set<String> held(Collection<String> keys);
  }

  /** How a wait for another JVM's render ended. */
  enum Outcome {
    /** The lease is gone: its holder released it (its page stored, or not storable) or died. */
    RELEASED,
    /** The shared layer could not say, or the cache is closing: render without waiting longer. */
    UNKNOWN,
    /** The waiter's own deadline passed first. */
    TIMED_OUT
  }

  private final Leases leases;
  private final boolean ticking;
  private final ConcurrentHashMap<String, Watch> watched = new ConcurrentHashMap<>();
  private final Object signal = new Object();
  /** Guarded by {@link #signal}. */
  private Thread thread;
  /** Guarded by {@link #signal}. */
  private boolean closed;

  FleetWaits(Leases leases) {
    this(leases, true);
  }

  /** With {@code ticking} false no thread calls {@link #check}: tests tick by hand. */
  FleetWaits(Leases leases, boolean ticking) {
    this.leases = leases;
    this.ticking = ticking;
  }

  /**
   * Starts watching the lease of {@code key}, which another JVM holds; the caller then waits with
   * {@link Wait#await} and must close the wait, however it ends.
   */
  Wait watch(String key) {
    Watch watch = watched.compute(key, (k, current) -> {
      Watch joined = current == null || current.woken.isDone() ? new Watch() : current;
      joined.waiters++;
      return joined;
    });
    synchronized (signal) {
      if (closed) {
        wake(key, watch, Outcome.UNKNOWN);
      } else if (thread == null && ticking) {
        thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
      }
      signal.notifyAll();
    }
    return new Wait(key, watch);
  }

  /** How many keys are watched now. */
  int watchedKeys() {
    return watched.size();
  }

  /**
   * One tick: asks about every watched lease at once, and wakes the waiters of those that are gone,
   * or everyone when the answer does not come. Keys watched only since the question was asked are
   * left for the next tick.
   */
  void check() {
    Map<String, Watch> asked = new HashMap<>(watched);
    if (asked.isEmpty()) {
      return;
    }
    Set<String> held;
    try {
      held = leases.held(asked.keySet());
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, () -> "pagecache: checking " + asked.size() + " leases failed; their waiters render", e);
      asked.forEach((key, watch) -> wake(key, watch, Outcome.UNKNOWN));
      return;
    }
    asked.forEach((key, watch) -> {
      if (!held.contains(key)) {
        wake(key, watch, Outcome.RELEASED);
      }
    });
  }

  private void wake(String key, Watch watch, Outcome outcome) {
    watched.remove(key, watch);
    watch.wake(outcome);
  }

  private void run() {
    try {
      while (true) {
        synchronized (signal) {
          while (watched.isEmpty() && !closed) {
            signal.wait();
          }
          if (closed) {
            return;
          }
        }
        // A tick after the first wait began: its holder has just been seen holding the lease.
        Thread.sleep(TICK_MILLIS);
        check();
      }
    } catch (InterruptedException closing) {
      // close() interrupts a sleep or a check in progress
    } catch (RuntimeException | Error e) {
      LOG.log(Level.ERROR, "pagecache: the fleet waits' thread failed; waits end at their deadlines", e);
    } finally {
      synchronized (signal) {
        thread = null; // the next watch starts another
      }
    }
  }

  /** Wakes every waiter to render for itself, and stops the thread. */
  @Override
  public void close() {
    Thread running;
    synchronized (signal) {
      closed = true;
      running = thread;
      signal.notifyAll();
    }
    if (running != null) {
      running.interrupt();
      try {
        running.join(TimeUnit.SECONDS.toMillis(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    watched.forEach((key, watch) -> wake(key, watch, Outcome.UNKNOWN));
  }

  /** One watched key: how its waiters are woken, and how many there still are. */
  private static final class Watch {
    final CompletableFuture<Outcome> woken = new CompletableFuture<>();
    /** Changed only inside {@code watched.compute}. */
    int waiters;

    void wake(Outcome outcome) {
      woken.complete(outcome);
    }
  }

  /** One request's wait for another JVM's render of a key. */
  final class Wait implements AutoCloseable {
    private final String key;
    private final Watch watch;
    private boolean closed;

    private Wait(String key, Watch watch) {
      this.key = key;
      this.watch = watch;
    }

    /** Blocks until the lease is gone or the shared layer cannot say, at most {@code max}. */
    Outcome await(Duration max) throws InterruptedException {
      try {
        return watch.woken.get(max.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return Outcome.TIMED_OUT;
      } catch (ExecutionException e) {
        return Outcome.UNKNOWN; // never completed exceptionally; said for completeness
      }
    }

    /** Whether the wait has ended (without blocking). */
    boolean isWoken() {
      return watch.woken.isDone();
    }

    /** Stops watching the key for this waiter; the key is dropped once no waiter is left. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      watched.computeIfPresent(key, (k, current) -> current != watch || --current.waiters > 0 ? current : null);
    }
  }
}
