package dev.pagecache.internal.purge;

import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.store.PurgeLog;
import dev.pagecache.internal.DaemonThreads;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Purges for one JVM of a fleet, with a promise: a purge made anywhere stops every JVM's memory
 * copies within the sync interval. Each purge is published to the {@link PurgeLog} under the next
 * sequence number and recorded in this JVM's {@link GroupVersions} at once; a thread of its own
 * reads the log twice per interval (one {@code get} of the latest number, one multi-get of the
 * records when it moved) and records what the other JVMs purged.
 *
 * <p>When the log cannot be read for longer than the interval, this JVM cannot know what the others
 * purged meanwhile, so it keeps its promise another way: a memory copy is served only if its render
 * began within the last interval. When it falls too far behind (more records than one read takes,
 * or records the log has lost), it forgets every group, drops its memory layer and looks groups up
 * again as pages are read. A purge it cannot publish is kept (its pages stay purged here) and
 * published once the log answers.
 */
public final class FleetPurges implements AutoCloseable {
  private static final Logger LOG = System.getLogger(FleetPurges.class.getName());
  private static final String EVERYTHING = PurgeGroups.EVERYTHING;
  /** The most records one sync reads; a JVM further behind starts afresh. */
  static final int MAX_CATCH_UP = 1000;
  /** A record still missing after this many syncs is lost, not late. */
  static final int GAP_PATIENCE = 2;
  static final int MAX_PENDING = 10_000;
  /**
   * How many records before the counter a JVM that starts afresh reads again: purges whose number
   * was taken but whose records were still being written when it read the counter.
   */
  static final int RESTART_OVERLAP = 64;
  static final long MAX_GROUPS = 100_000;

  private final PurgeLog log;
  private final GroupVersions versions = new GroupVersions(MAX_GROUPS);
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Runnable dropMemory;
  private final AtomicLong known = new AtomicLong();
  /** Purges made here not yet published, oldest first, each group once. */
  private final java.util.LinkedHashSet<String> pending = new java.util.LinkedHashSet<>();
  /** Whether the pending purge of everything stands for purges that did not fit. */
  private boolean pendingOverflowed;
  private final LongAdder published = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder publishFailures = new LongAdder();
  private final LongAdder syncFailures = new LongAdder();
  private final LongAdder restarts = new LongAdder();
  private final LongAdder lookups = new LongAdder();
  private final LongAdder purgedHits = new LongAdder();
  private final LongAdder untrusted = new LongAdder();
  private volatile Consumer<String> onPurge = group -> { };
  /** Sync state, touched by the sync thread only (and by tests calling {@link #sync}). */
  private long synced = -1;
  private long gapAt = -1;
  private int gapSeen;
  /** After a restart, the records {@code (overlapFrom, overlapUntil]} are read again for a few syncs. */
  private long overlapFrom;
  private long overlapUntil;
  private int overlapReads;
  private volatile long lastSyncNanos;
  private volatile boolean inSync;
  private final DaemonThreads syncerThreads = new DaemonThreads("pagecache-shared-purges");
  private ScheduledExecutorService syncer;

  /**
   * @param dropMemory empties this JVM's memory layer (not the shared one): run when it lost track
   */
  public FleetPurges(PurgeLog log, Duration interval, Runnable dropMemory, LongSupplier nanoTime) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
    this.dropMemory = dropMemory;
    this.nanoTime = nanoTime;
    this.inSync = !log.shared();
  }

  /** For a JVM alone: every purge is known the moment it is made. */
  public static FleetPurges local() {
    return new FleetPurges(new LocalPurgeLog(), Duration.ofSeconds(1), () -> { }, System::nanoTime);
  }

  /**
   * Reads the log once before returning, then every half interval on a daemon thread. The first
   * read is waited for (bounded by the log's own timeout) because a render that began before it has
   * no sequence number to be checked by: once the log is read, such a page's groups are looked up,
   * and a group nobody ever purged has no record yet, so the page would count as purged and render
   * again for nothing. If the log does not answer, or its server did not answer at start-up
   * already, start-up goes on out of step, as before.
   */
  public synchronized void start() {
    if (!log.shared() || syncer != null) {
      return;
    }
    if (log.answeredAtStartUp()) {
      syncQuietly();
    }
    syncer = Executors.newSingleThreadScheduledExecutor(syncerThreads);
    long period = Math.max(1, intervalNanos / 2);
    syncer.scheduleWithFixedDelay(this::syncQuietly, period, period, TimeUnit.NANOSECONDS);
  }

  /** Told each group purged, here or elsewhere (for refreshes). */
  public void onPurge(Consumer<String> listener) {
    this.onPurge = listener;
  }

  /** The number a render starting now records: purges numbered above it may postdate what it reads. */
  public long sequence() {
    return known.get();
  }

  /**
   * Purges {@code group} for the fleet. Never throws: when the log cannot take it, the group stays
   * purged here and is published as soon as the log answers.
   */
  public void purge(String group) {
    long sequence;
    try {
      sequence = log.publish(group, known.get());
    } catch (RuntimeException e) {
      publishFailures.increment();
      synchronized (pending) {
        if (pending.size() >= MAX_PENDING && !pending.contains(group)) {
          pending.clear();
          pending.add(EVERYTHING); // one purge that covers what did not fit
          pendingOverflowed = true;
          versions.recordPending(EVERYTHING);
        } else {
          pending.add(group);
          versions.recordPending(group);
        }
      }
      inSync = false; // what this JVM keeps in memory may now differ from what the others keep
      LOG.log(Level.DEBUG, () -> "pagecache: publishing a purge of " + group + " failed; kept to publish later", e);
      onPurge.accept(group);
      return;
    }
    published.increment();
    versions.record(group, sequence);
    known.accumulateAndGet(sequence, Math::max);
    onPurge.accept(group);
  }

  /** What a page's groups say, given the sequence number it recorded. Never throws. */
  public GroupVersions.Verdict check(long sequence, List<String> groups) {
    GroupVersions.Verdict verdict = versions.check(sequence, groups, null);
    if (verdict == GroupVersions.Verdict.UNKNOWN) {
      if (!log.shared()) {
        verdict = GroupVersions.Verdict.PURGED; // forgotten here, and nowhere to ask
      } else {
        try {
          List<String> unknown = new ArrayList<>();
          versions.check(sequence, groups, unknown);
          lookups.increment();
          versions.recordFetched(log.lastPurges(unknown));
          verdict = versions.check(sequence, groups, null);
        } catch (RuntimeException e) {
          verdict = GroupVersions.Verdict.PURGED;
        }
        if (verdict == GroupVersions.Verdict.UNKNOWN) {
          verdict = GroupVersions.Verdict.PURGED;
        }
      }
    }
    if (verdict == GroupVersions.Verdict.PURGED) {
      purgedHits.increment();
    }
    return verdict;
  }

  /**
   * Whether a page whose groups are current may be served now: always while this JVM is in step
   * with the log; otherwise only a copy this JVM rendered itself, whose render began within the last
   * interval (by {@link System#nanoTime()}, which no other JVM's clock and no step of the wall clock
   * moves), so that no purge this JVM could not hear of is older than the interval when it is served.
   *
   * @param renderStartNanos {@code CachedPage.renderStartNanos()}
   */
  public boolean trusted(long renderStartNanos) {
    long now = nanoTime.getAsLong();
    if (!log.shared() || inSync && now - lastSyncNanos <= intervalNanos) {
      return true;
    }
    boolean recent = renderStartNanos != dev.pagecache.internal.store.CachedPage.NOT_RENDERED_HERE
        && now - renderStartNanos <= intervalNanos;
    if (!recent) {
      untrusted.increment();
    }
    return recent;
  }

  /** One round: publishes what waits, then reads what the others published. Package-visible for tests. */
  void sync() {
    if (!publishPending()) {
      syncFailures.increment();
      return;
    }
    // Every purge published before this instant is in what the reads below find: the promise
    // counts from here, not from when the reads end.
    long readFrom = nanoTime.getAsLong();
    long latest;
    try {
      latest = log.latest();
    } catch (RuntimeException e) {
      syncFailures.increment();
      return;
    }
    if (synced >= 0 && latest < synced) {
      // Set back (lost and recreated low, or tampered with): numbers must never be given twice.
      try {
        log.raiseTo(synced + 1);
      } catch (RuntimeException e) {
        syncFailures.increment();
        return;
      }
      restart(synced + 1);
      latest = synced;
    } else if (synced < 0 || latest - synced > MAX_CATCH_UP) {
      restart(latest);
    } else if (latest > synced && !catchUp(latest)) {
      syncFailures.increment();
      return;
    }
    if (overlapReads > 0 && !readOverlap()) {
      syncFailures.increment();
      return;
    }
    known.accumulateAndGet(latest, Math::max);
    lastSyncNanos = readFrom;
    inSync = true;
  }

  private void syncQuietly() {
    try {
      sync();
    } catch (RuntimeException e) {
      syncFailures.increment();
      LOG.log(Level.WARNING, "pagecache: reading the purge log failed", e);
    }
  }

  /** Reads the records after {@link #synced}; false if the log did not answer. */
  private boolean catchUp(long latest) {
    Map<Long, String> entries;
    try {
      entries = log.entries(synced, latest);
    } catch (RuntimeException e) {
      return false;
    }
    long contiguous = synced;
    long firstGap = -1;
    for (long n = synced + 1; n <= latest; n++) {
      String group = entries.get(n);
      if (group == null) {
        if (firstGap < 0) {
          firstGap = n;
        }
        continue;
      }
      received.increment();
      versions.record(group, n);
      known.accumulateAndGet(n, Math::max); // a refresh this sets off renders after the purge
      onPurge.accept(group);
      if (firstGap < 0) {
        contiguous = n;
      }
    }
    if (firstGap < 0) {
      synced = latest;
      gapAt = -1;
      gapSeen = 0;
      return true;
    }
    // A record may be late (its number taken, its text not written yet) or lost (evicted).
    gapSeen = firstGap == gapAt ? gapSeen + 1 : 1;
    gapAt = firstGap;
    if (gapSeen > GAP_PATIENCE) {
      restart(latest);
    } else {
      synced = contiguous;
    }
    return true;
  }

  /** Reads again the records just below where this JVM started afresh; false if the log did not answer. */
  private boolean readOverlap() {
    Map<Long, String> entries;
    try {
      entries = log.entries(overlapFrom, overlapUntil);
    } catch (RuntimeException e) {
      return false;
    }
    entries.forEach((n, group) -> {
      versions.record(group, n);
      known.accumulateAndGet(n, Math::max);
    });
    overlapReads--;
    return true;
  }

  /** Loses track on purpose: forgets every group, drops memory, and starts from {@code latest}. */
  private void restart(long latest) {
    if (synced >= 0) {
      restarts.increment();
      LOG.log(Level.INFO, () -> "pagecache: lost track of the fleet's purges (at " + synced + ", log at " + latest
          + "); dropping this JVM's memory layer and starting afresh");
    }
    versions.reset(latest);
    if (synced >= 0) {
      // Lost track: what memory holds may be older than purges this JVM missed. (At the first read
      // there is nothing to drop: what was rendered since start-up has its groups looked up.)
      dropMemory.run();
    }
    synced = latest;
    // Records just below the counter may still be being written: read them for a few syncs more
    // (recording a purge twice does no harm; one that never comes is no gap to restart for).
    overlapFrom = Math.max(0, latest - RESTART_OVERLAP);
    overlapUntil = latest;
    overlapReads = GAP_PATIENCE + 1;
    gapAt = -1;
    gapSeen = 0;
  }

  /** Publishes this JVM's unpublished purges, oldest first; false while the log does not take them. */
  private boolean publishPending() {
    while (true) {
      String group;
      synchronized (pending) {
        if (pending.isEmpty()) {
          return true;
        }
        group = pending.iterator().next();
      }
      long sequence;
      try {
        sequence = log.publish(group, known.get());
      } catch (RuntimeException e) {
        return false;
      }
      published.increment();
      known.accumulateAndGet(sequence, Math::max);
      synchronized (pending) {
        pending.remove(group);
        if (group.equals(EVERYTHING) && pendingOverflowed) {
          versions.settleAll(sequence); // it stands for every purge that did not fit
          pendingOverflowed = false;
        } else {
          versions.settle(group, sequence);
        }
      }
    }
  }

  /** Counters and state for the stats page. */
  public Map<String, Long> stats() {
    Map<String, Long> stats = new LinkedHashMap<>();
    stats.put("published", published.sum());
    stats.put("received", received.sum());
    stats.put("publishFailures", publishFailures.sum());
    synchronized (pending) {
      stats.put("pending", (long) pending.size());
    }
    stats.put("syncFailures", syncFailures.sum());
    stats.put("restarts", restarts.sum());
    stats.put("lookups", lookups.sum());
    stats.put("purgedHits", purgedHits.sum());
    stats.put("untrustedHits", untrusted.sum());
    stats.put("groupsKnown", versions.groupsKnown());
    stats.put("sequence", known.get());
    stats.put("inSync", inSync && nanoTime.getAsLong() - lastSyncNanos <= intervalNanos ? 1L : 0L);
    return stats;
  }

  /** Returns once its thread has ended (or after a few seconds): a container looks for it next. */
  @Override
  public synchronized void close() {
    if (syncer != null) {
      syncerThreads.stopNow(syncer);
    }
    log.close();
  }
}
