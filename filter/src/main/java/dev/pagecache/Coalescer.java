package dev.pagecache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One render per key at a time in this JVM (Varnish's waiting list, nginx's proxy_cache_lock):
 * concurrent misses wait, bounded, for the first one's render and then look in the cache again.
 * A render whose response said it may not be stored (a cookie, {@code private}, a status...)
 * marks its key uncacheable for a short while, so requests for a page that cannot be cached never
 * queue behind one another (Varnish's hit-for-miss). As in Varnish, each render made while the
 * mark stands renews it when its response again may not be stored, and removes it when its
 * response was stored: a page that stays uncacheable is never coalesced again while it is asked
 * for (each expiry of the mark used to make every request of that moment wait for one render
 * before rendering for itself), and a page that became cacheable is coalesced again at once. A
 * render that was not stored for reasons of its request or of the cache (a {@code HEAD}, a purge
 * that raced it) marks nothing: the next render of the page may well be stored.
 */
final class Coalescer {
  /** How long a key whose render stored nothing is rendered without waiting: {@value} seconds. */
  static final long UNCACHEABLE_SECONDS = 10;

  private final ConcurrentHashMap<String, CountDownLatch> inFlight = new ConcurrentHashMap<>();
  private final Cache<String, Boolean> uncacheable;

  Coalescer(java.time.InstantSource clock) {
    this.uncacheable = Caffeine.newBuilder()
        .expireAfterWrite(Duration.ofSeconds(UNCACHEABLE_SECONDS))
        .ticker(() -> {
          java.time.Instant now = clock.instant();
          return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        })
        .maximumSize(100_000)
        .executor(Runnable::run)
        .build();
  }

  /** The right to render {@code key}, or null when another request is rendering it. */
  Lead lead(String key) {
    CountDownLatch mine = new CountDownLatch(1);
    CountDownLatch current = inFlight.putIfAbsent(key, mine);
    return current == null ? new Lead(key, mine) : null;
  }

  boolean isUncacheable(String key) {
    return uncacheable.getIfPresent(key) != null;
  }

  /** What a render made while {@code key} was marked uncacheable says about the page. */
  void renderedWhileUncacheable(String key, RenderResult result) {
    if (result.predictsUncacheable()) {
      uncacheable.put(key, Boolean.TRUE); // renewed: the page still may not be stored
    } else if (result.isStored()) {
      uncacheable.invalidate(key);
    }
  }

  /**
   * Waits for the render of {@code key} in progress, at most {@code max}.
   *
   * @return whether it finished in time (or none was in progress)
   */
  boolean await(String key, Duration max) throws InterruptedException {
    CountDownLatch current = inFlight.get(key);
    return current == null || current.await(max.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** A render in progress; {@link #finish} or {@link #release} must run whatever the render does. */
  final class Lead {
    private final String key;
    private final CountDownLatch latch;

    private Lead(String key, CountDownLatch latch) {
      this.key = key;
      this.latch = latch;
    }

    /** Ends the render: waiters look in the cache again. */
    void finish(RenderResult result) {
      if (result.predictsUncacheable()) {
        uncacheable.put(key, Boolean.TRUE);
      }
      release();
    }

    /** Gives the lead up without a render of its own (another request's page was found meanwhile). */
    void release() {
      inFlight.remove(key, latch);
      latch.countDown();
    }
  }
}
