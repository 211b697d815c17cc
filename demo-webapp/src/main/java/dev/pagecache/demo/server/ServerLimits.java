package dev.pagecache.demo.server;

import java.time.Duration;

/**
 * How much the demo server takes on at once, and how long it waits for the origin. Past
 * {@code maxRequests} requests in progress, a request waits without a thread, in a queue of at most
 * {@code maxQueued}, for at most {@code queueWait}; a request that finds the queue full, or waits
 * longer, is answered {@code 503} with {@code Retry-After} at once. Nothing waits unboundedly, and
 * the server needs no restart once the load falls.
 *
 * @param maxRequests requests in progress at once (each waiting for the origin or rendering)
 * @param maxQueued requests that may wait for one of those places
 * @param queueWait the longest such a wait lasts
 * @param originTimeout proxy mode: the longest a request to the origin may take, its answer
 *     included; past it the client gets a 504
 */
public record ServerLimits(int maxRequests, int maxQueued, Duration queueWait, Duration originTimeout) {
  /**
   * Requests in progress at once in proxy mode: {@value}. A request waiting for the origin holds no
   * thread, only its two connections (client and origin) and a few kilobytes, so this is bounded by
   * file descriptors (raise {@code ulimit -n} above twice this) rather than by threads.
   */
  public static final int DEFAULT_PROXY_MAX_REQUESTS = 4000;
  /**
   * Requests in progress at once for the demo pages: {@value}. Each one renders on a thread of the
   * server's 200; the rest are kept for the selector, the cache's waiters and the stats page.
   */
  public static final int DEFAULT_PAGES_MAX_REQUESTS = 150;
  /** Requests that may wait for a place: {@value}. */
  public static final int DEFAULT_MAX_QUEUED = 1000;
  /** The longest a request waits for a place. */
  public static final Duration DEFAULT_QUEUE_WAIT = Duration.ofSeconds(5);
  /** The longest a request to the origin may take (Jetty's proxy default). */
  public static final Duration DEFAULT_ORIGIN_TIMEOUT = Duration.ofSeconds(60);

  public ServerLimits {
    if (maxRequests < 1 || maxQueued < 0) {
      throw new IllegalArgumentException("maxRequests must be positive and maxQueued not negative");
    }
    if (queueWait.isNegative() || originTimeout.isNegative() || originTimeout.isZero()) {
      throw new IllegalArgumentException("queueWait must not be negative, originTimeout must be positive");
    }
  }

  /** The limits of a run with none given, for the demo pages or for proxy mode. */
  public static ServerLimits defaults(boolean proxy) {
    return new ServerLimits(proxy ? DEFAULT_PROXY_MAX_REQUESTS : DEFAULT_PAGES_MAX_REQUESTS, DEFAULT_MAX_QUEUED,
        DEFAULT_QUEUE_WAIT, DEFAULT_ORIGIN_TIMEOUT);
  }
}
