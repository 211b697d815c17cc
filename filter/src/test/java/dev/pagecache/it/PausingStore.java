package dev.pagecache.it;

import dev.pagecache.store.CacheEntry;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.StoreHit;
import dev.pagecache.store.StoreStats;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A store that can hold one lookup right after it has read the store, as a thread the scheduler
 * parks there would be: what it read goes stale while it waits. For races between a lookup and
 * a render that others do meanwhile.
 */
final class PausingStore implements PageStore {
  private final PageStore delegate;
  private final AtomicReference<String> pauseOn = new AtomicReference<>();
  private volatile CountDownLatch paused = new CountDownLatch(0);
  private volatile CountDownLatch resume = new CountDownLatch(0);

  PausingStore(PageStore delegate) {
    this.delegate = delegate;
  }

  /** The next lookup of a key containing {@code keyPart} reads the store, then waits for {@link #resume()}. */
  void pauseNextLookupOf(String keyPart) {
    paused = new CountDownLatch(1);
    resume = new CountDownLatch(1);
    pauseOn.set(keyPart);
  }

  boolean awaitPaused() throws InterruptedException {
    return paused.await(10, TimeUnit.SECONDS);
  }

  void resume() {
    resume.countDown();
  }

  @Override
  public Optional<StoreHit> fetch(String key) {
    Optional<StoreHit> found = delegate.fetch(key);
    String part = pauseOn.get();
    if (part != null && key.contains(part) && pauseOn.compareAndSet(part, null)) {
      paused.countDown();
      try {
        resume.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return found;
  }

  @Override
  public Optional<CacheEntry> get(String key) {
    return delegate.get(key);
  }

  @Override
  public void put(String key, CacheEntry entry) {
    delegate.put(key, entry);
  }

  @Override
  public void remove(String key) {
    delegate.remove(key);
  }

  @Override
  public void clear() {
    delegate.clear();
  }

  @Override
  public StoreStats stats() {
    return delegate.stats();
  }
}
