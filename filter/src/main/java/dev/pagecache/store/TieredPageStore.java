package dev.pagecache.store;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Two layers: this JVM's memory first, then a shared store (memcached) that other JVMs fill too.
 * A local miss that the shared layer answers is copied into local memory, keeping its expiry, so
 * the local copy never outlives the shared one. Writes go to local memory at once and to the
 * shared layer from one background thread, so no client waits for the network; when that thread
 * falls behind, writes are dropped and counted rather than queued without bound. A failing shared
 * layer is a miss, never an error.
 */
public final class TieredPageStore implements PageStore {
  private static final Logger LOG = System.getLogger(TieredPageStore.class.getName());
  private static final int WRITE_QUEUE = 1024;

  private final PageStore local;
  private final PageStore shared;
  private final ThreadPoolExecutor writer;
  private final LongAdder sharedHits = new LongAdder();
  private final LongAdder sharedFailures = new LongAdder();
  private final LongAdder writesDropped = new LongAdder();

  public TieredPageStore(PageStore local, PageStore shared) {
    this.local = local;
    this.shared = shared;
    this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(WRITE_QUEUE), runnable -> {
      Thread thread = new Thread(runnable, "pagecache-shared-writer");
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public Optional<CacheEntry> get(String key) {
    return fetch(key).map(StoreHit::entry);
  }

  @Override
  public Optional<StoreHit> fetch(String key) {
    Optional<CacheEntry> mine = local.get(key);
    if (mine.isPresent()) {
      return Optional.of(new StoreHit(mine.get(), false));
    }
    Optional<CacheEntry> theirs;
    try {
      theirs = shared.get(key);
    } catch (RuntimeException e) {
      sharedFailures.increment();
      LOG.log(Level.DEBUG, () -> "pagecache: shared get " + key + " failed", e);
      return Optional.empty();
    }
    if (theirs.isEmpty()) {
      return Optional.empty();
    }
    sharedHits.increment();
    local.put(key, theirs.get());
    return Optional.of(new StoreHit(theirs.get(), true));
  }

  @Override
  public void put(String key, CacheEntry entry) {
    put(key, entry, WriteHints.NONE);
  }

  @Override
  public void put(String key, CacheEntry entry, WriteHints hints) {
    local.put(key, entry);
    try {
      writer.execute(() -> {
        try {
          shared.put(key, entry, hints);
        } catch (RuntimeException e) {
          sharedFailures.increment();
          LOG.log(Level.DEBUG, () -> "pagecache: shared put " + key + " failed", e);
        }
      });
    } catch (RejectedExecutionException busy) {
      writesDropped.increment();
    }
  }

  @Override
  public boolean tryLease(String key, java.time.Duration ttl) {
    try {
      return shared.tryLease(key, ttl);
    } catch (RuntimeException e) {
      sharedFailures.increment();
      return true; // without the shared layer, every JVM renders for itself
    }
  }

  @Override
  public void releaseLease(String key) {
    try {
      shared.releaseLease(key);
    } catch (RuntimeException e) {
      sharedFailures.increment(); // it expires on its own
    }
  }

  @Override
  public boolean sharedAcrossJvms() {
    return shared.sharedAcrossJvms();
  }

  @Override
  public void remove(String key) {
    local.remove(key);
    shared.remove(key); // a purge must reach every JVM: the caller counts a failure
  }

  @Override
  public void clear() {
    local.clear();
    shared.clear();
  }

  @Override
  public StoreStats stats() {
    StoreStats mine = local.stats();
    Map<String, Long> layer = new HashMap<>(shared.stats().sharedLayer());
    layer.put("hits", sharedHits.sum());
    layer.put("failures", sharedFailures.sum());
    layer.put("writesDropped", writesDropped.sum());
    layer.put("writesQueued", (long) writer.getQueue().size());
    return new StoreStats(mine.entries(), mine.weightedBytes(), mine.maxBytes(), mine.evictions(), layer);
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    local.close();
    shared.close();
  }
}
