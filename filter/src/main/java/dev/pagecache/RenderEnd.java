package dev.pagecache;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Who ends a render, exactly once. A synchronous render ends on the request thread when the chain
 * returns. Once the application goes asynchronous, the request thread leaves it alone, and the
 * first of these ends it: the application's {@code complete()}, the end of the async dispatch it
 * asked for, a timeout, an error, or the container completing the request by itself. They run on
 * different threads and may race (a {@code complete()} as the timeout fires): the first claim wins,
 * the others do nothing.
 */
final class RenderEnd {
  private volatile boolean async;
  private final AtomicBoolean ended = new AtomicBoolean();

  /** The application started asynchronous processing: the request thread no longer ends the render. */
  void wentAsync() {
    async = true;
  }

  /** Whether the application went asynchronous at some point of this render. */
  boolean isAsync() {
    return async;
  }

  /**
   * The chain returned on the request thread: true when that thread ends the render now (it did
   * not go asynchronous, and nothing ended it yet).
   */
  boolean endsOnRequestThread() {
    return !async && ended.compareAndSet(false, true);
  }

  /** True for the first caller only: that caller ends the render. */
  boolean claim() {
    return ended.compareAndSet(false, true);
  }

  boolean hasEnded() {
    return ended.get();
  }
}
