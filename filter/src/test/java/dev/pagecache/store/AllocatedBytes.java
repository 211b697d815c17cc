package dev.pagecache.store;

import java.lang.management.ManagementFactory;

/**
 * Bytes of heap the current thread allocates while running an action: how a test tells "refused
 * a hostile length" from "allocated it, then refused", which a big enough heap hides.
 */
public final class AllocatedBytes {
  /** An action that may throw anything; the test asserts on what it did, not on this. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  private AllocatedBytes() {}

  public static long during(Action action) throws Exception {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    action.run();
    return threads.getCurrentThreadAllocatedBytes() - before;
  }
}
