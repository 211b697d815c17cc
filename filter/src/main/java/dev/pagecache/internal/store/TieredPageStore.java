package dev.pagecache.internal.store;

import dev.pagecache.store.CacheEntry;
import dev.pagecache.store.Latency;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.StoreHit;
import dev.pagecache.store.StoreStats;
import dev.pagecache.store.WriteHints;
import dev.pagecache.internal.DaemonThreads;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Two layers: this JVM's memory first, then a shared store (memcached) that other JVMs fill too.
 * A local miss that the shared layer answers is copied into local memory, keeping its expiry, so
 * the local copy never outlives the shared one. Writes go to local memory at once and to the
 * shared layer from one background thread, so no client waits for the network; when that thread
 * falls behind, writes are dropped and counted rather than queued without bound. A failing shared
 * layer is a miss, never an error.
 *
 * <p>A purge wins over what began before it. A write still queued or in flight when its key is
 * removed (or everything is cleared) is dropped, or deleted again once it landed, so it cannot bring
 * the old page back to every JVM; a shared copy read before a purge is not copied into local memory
 * after it. Each purge takes a number from one sequence and marks its key's stripe with it (a
 * clear marks them all); a write or promotion remembers the number current when it began, and
 * yields to any later mark on its stripe. Keys share stripes, so a purge sometimes drops an
 * unrelated write too: one more miss, never a stale page.
 */
public final class TieredPageStore implements PageStore, InspectableStore {
  private static final Logger LOG = System.getLogger(TieredPageStore.class.getName());
  private static final int WRITE_QUEUE = 1024;
  /** A power of two: purge marks are kept per stripe of keys, in bounded memory, forever. */
  private static final int PURGE_STRIPES = 4096;

  private final PageStore local;
  private final PageStore shared;
  private final ThreadPoolExecutor writer;
  private final LongAdder sharedHits = new LongAdder();
  private final LongAdder sharedFailures = new LongAdder();
  private final DaemonThreads writerThreads = new DaemonThreads("pagecache-shared-writer");
  private final LongAdder writesDropped = new LongAdder();
  private final LongAdder writesPurged = new LongAdder();
  private final AtomicLong purgeSequence = new AtomicLong();
  private final AtomicLongArray purgedAt = new AtomicLongArray(PURGE_STRIPES);
  private volatile long clearedAt;
  /** Time spent in the shared layer, per operation, whichever store it is. */
  private final CallTimer getTimes = new CallTimer();
  private final CallTimer putTimes = new CallTimer();
  private final CallTimer removeTimes = new CallTimer();
  private final CallTimer clearTimes = new CallTimer();
  private final CallTimer leaseTimes = new CallTimer();
  private final CallTimer releaseTimes = new CallTimer();
  private final CallTimer leaseCheckTimes = new CallTimer();

  public TieredPageStore(PageStore local, PageStore shared) {
    this.local = local;
    this.shared = shared;
    this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(WRITE_QUEUE), writerThreads);
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
    long began = purgeSequence.get();
    Optional<CacheEntry> theirs;
    long start = System.nanoTime();
    try {
      theirs = shared.get(key);
    } catch (RuntimeException e) {
      sharedFailures.increment();
      LOG.log(Level.DEBUG, () -> "pagecache: shared get " + key + " failed", e);
      return Optional.empty();
    } finally {
      getTimes.since(start);
    }
    if (theirs.isEmpty()) {
      return Optional.empty();
    }
    sharedHits.increment();
    if (!purgedSince(key, began)) {
      local.put(key, theirs.get());
      if (purgedSince(key, began)) {
        local.remove(key); // a purge ran while we copied: it wins
      }
    }
    return Optional.of(new StoreHit(theirs.get(), true));
  }

  @Override
  public void put(String key, CacheEntry entry) {
    put(key, entry, WriteHints.NONE);
  }

  @Override
  public void forEachInMemory(Visitor visitor) {
    if (local instanceof InspectableStore memory) {
      memory.forEachInMemory(visitor);
    }
  }

  @Override
  public Optional<Held> peekMemory(String key) {
    return local instanceof InspectableStore memory ? memory.peekMemory(key) : Optional.empty();
  }

  @Override
  public boolean hasSharedLayer() {
    return true;
  }

  @Override
  public Optional<CacheEntry> peekShared(String key) {
    try {
      return shared.get(key);
    } catch (RuntimeException e) {
      sharedFailures.increment();
      throw e;
    }
  }

  @Override
  public void put(String key, CacheEntry entry, WriteHints hints) {
    long queued = purgeSequence.get();
    local.put(key, entry);
    try {
      writer.execute(() -> {
        try {
          if (purgedSince(key, queued)) {
            writesPurged.increment();
            return;
          }
          long start = System.nanoTime();
          try {
            shared.put(key, entry, hints);
          } finally {
            putTimes.since(start);
          }
          if (purgedSince(key, queued)) {
            writesPurged.increment();
            removeShared(key); // a purge ran while we wrote: it wins
          }
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
    long start = System.nanoTime();
    try {
      return shared.tryLease(key, ttl);
    } catch (RuntimeException e) {
      sharedFailures.increment();
      return true; // without the shared layer, every JVM renders for itself
    } finally {
      leaseTimes.since(start);
    }
  }

  /**
   * Queued behind the shared writes queued before it, the render's own page among them: a JVM
   * that waits for the lease to go looks for the page once, so the page must be there first. (A
   * render that outlived its lease, followed within that moment by a new lease of this JVM on the
   * same key, may see the new lease released early: one more render in the fleet, no wrong page.)
   */
  @Override
  public void releaseLease(String key) {
    try {
      writer.execute(() -> releaseSharedLease(key));
    } catch (RejectedExecutionException busy) {
      releaseSharedLease(key); // sent now rather than left to expire
    }
  }

  private void releaseSharedLease(String key) {
    long start = System.nanoTime();
    try {
      shared.releaseLease(key);
    } catch (RuntimeException e) {
      sharedFailures.increment(); // it expires on its own
    } finally {
      releaseTimes.since(start);
    }
  }

  /** The shared layer's answer; a failure is counted and thrown: nobody can say, so nobody waits. */
  @Override
  public Set<String> leasesHeld(Collection<String> keys) {
    long start = System.nanoTime();
    try {
      return shared.leasesHeld(keys);
    } catch (RuntimeException e) {
      sharedFailures.increment();
      throw e;
    } finally {
      leaseCheckTimes.since(start);
    }
  }

  @Override
  public boolean sharedAcrossJvms() {
    return shared.sharedAcrossJvms();
  }

  @Override
  public void remove(String key) {
    purgedAt.accumulateAndGet(stripe(key), purgeSequence.incrementAndGet(), Math::max);
    local.remove(key);
    removeShared(key); // a purge must reach every JVM: the caller counts a failure
  }

  private void removeShared(String key) {
    long start = System.nanoTime();
    try {
      shared.remove(key);
    } finally {
      removeTimes.since(start);
    }
  }

  @Override
  public void clear() {
    clearedAt = purgeSequence.incrementAndGet();
    local.clear();
    long start = System.nanoTime();
    try {
      shared.clear();
    } finally {
      clearTimes.since(start);
    }
  }

  /**
   * Empties this JVM's memory layer only, for a JVM that lost track of the fleet's purges: the
   * shared layer's pages are checked against their groups when read again.
   */
  public void clearLocal() {
    clearedAt = purgeSequence.incrementAndGet(); // promotions under way must not refill it with what they read before
    local.clear();
  }

  @Override
  public StoreStats stats() {
    StoreStats mine = local.stats();
    Map<String, Long> layer = new HashMap<>(shared.stats().sharedLayer());
    layer.put("hits", sharedHits.sum());
    layer.put("failures", sharedFailures.sum());
    layer.put("writesDropped", writesDropped.sum());
    layer.put("writesPurged", writesPurged.sum());
    layer.put("writesQueued", (long) writer.getQueue().size());
    Map<String, Latency> latency = new HashMap<>();
    latency.put("get", getTimes.snapshot());
    latency.put("put", putTimes.snapshot());
    latency.put("remove", removeTimes.snapshot());
    latency.put("clear", clearTimes.snapshot());
    latency.put("lease", leaseTimes.snapshot());
    latency.put("release", releaseTimes.snapshot());
    latency.put("lease-check", leaseCheckTimes.snapshot());
    return new StoreStats(mine.entries(), mine.weightedBytes(), mine.maxBytes(), mine.evictedForSize(), mine.expired(),
        layer, latency);
  }

  /** Whether {@code key} was removed, or everything cleared, since the sequence stood at {@code began}. */
  private boolean purgedSince(String key, long began) {
    return clearedAt > began || purgedAt.get(stripe(key)) > began;
  }

  private static int stripe(String key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (PURGE_STRIPES - 1);
  }

  @Override
  public void close() {
    writerThreads.stopOrderly(writer);
    local.close();
    shared.close();
  }
}
