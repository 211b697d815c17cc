package dev.pagecache.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Makes the named daemon threads of one executor, and can stop them so that none is alive
 * afterwards. A container checks for the application's threads right after the filter is destroyed
 * (Tomcat warns about each one still alive, and a live one keeps the application's class loader).
 * {@link ExecutorService#awaitTermination} is not enough for that: it returns while the last
 * worker is still on its way out, alive for a moment longer, so the threads are joined as well.
 *
 * <p>Not an API.
 */
public final class DaemonThreads implements ThreadFactory {
  /** Long enough for a thread between two I/O calls to notice; short enough not to stall an undeploy. */
  public static final Duration STOP_BOUND = Duration.ofSeconds(2);

  private final String name;
  private final Set<Thread> started = ConcurrentHashMap.newKeySet();

  public DaemonThreads(String name) {
    this.name = name;
  }

  @Override
  public Thread newThread(Runnable task) {
    started.removeIf(thread -> !thread.isAlive());
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    started.add(thread);
    return thread;
  }

  /** Interrupts what {@code executor} (made with this factory) runs, and returns once its threads have ended. */
  public void stopNow(ExecutorService executor) {
    executor.shutdownNow();
    awaitEnd(executor);
  }

  /** Lets {@code executor} (made with this factory) finish its queued tasks, and returns once its threads have ended. */
  public void stopOrderly(ExecutorService executor) {
    executor.shutdown();
    awaitEnd(executor);
  }

  private void awaitEnd(ExecutorService executor) {
    long deadline = System.nanoTime() + STOP_BOUND.toNanos();
    try {
      executor.awaitTermination(STOP_BOUND.toNanos(), TimeUnit.NANOSECONDS);
      for (Thread thread : started) {
        join(thread, deadline);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for {@code thread}, already told to stop, to end; at most {@link #STOP_BOUND}. */
  public static void join(Thread thread) {
    try {
      join(thread, System.nanoTime() + STOP_BOUND.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void join(Thread thread, long deadline) throws InterruptedException {
    long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (millis > 0) {
      thread.join(millis);
    }
  }
}
