package dev.pagecache.internal.purge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this JVM knows of the fleet's purges: for each version group purged lately (or looked up),
 * the sequence number of its last purge. A page records the sequence number known when its render
 * began; it is current while none of its groups was purged with a higher number. Nothing is
 * scanned: a purge of 100,000 pages is one number here, and each page finds out when it is next
 * looked at.
 *
 * <p>The groups kept are bounded. Forgetting a group raises the <em>horizon</em>: every purge
 * numbered above it is known here, so a page that began after it and whose groups are not listed
 * is current; a page older than the horizon whose groups are not listed is {@link Verdict#UNKNOWN}
 * until they are looked up ({@link #recordFetched}) — or, with nowhere to look them up, purged.
 */
public final class GroupVersions {
  public enum Verdict { CURRENT, PURGED, UNKNOWN }

  private final Cache<String, Long> lastPurged;
  /**
   * Groups purged here but not yet published: every page of them is purged until they are. Kept
   * apart from the bounded map, so that forgetting one neither loses it nor moves the horizon.
   */
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final AtomicLong horizon = new AtomicLong();
  /** The highest number recorded: a page that began at or after it (and the horizon) is current at once. */
  private final AtomicLong highest = new AtomicLong();

  public GroupVersions(long maxGroups) {
    this.lastPurged = Caffeine.newBuilder()
        .maximumSize(maxGroups)
        .executor(Runnable::run)
        .removalListener((String group, Long sequence, RemovalCause cause) -> {
          if (cause.wasEvicted() && sequence != null) {
            horizon.accumulateAndGet(sequence, Math::max);
          }
        })
        .build();
  }

  /**
   * @param sequence the number the page recorded when its render began
   * @param unknown receives the groups to look up when the answer is {@link Verdict#UNKNOWN}; null
   *     to only learn that there are some
   */
  public Verdict check(long sequence, List<String> groups, Collection<String> unknown) {
    long floor = horizon.get();
    boolean anyPending = !pending.isEmpty();
    if (sequence >= highest.get() && sequence >= floor && !anyPending) {
      return Verdict.CURRENT;
    }
    boolean missing = false;
    for (int i = 0; i < groups.size(); i++) {
      String group = groups.get(i);
      if (anyPending && pending.contains(group)) {
        return Verdict.PURGED;
      }
      Long purged = lastPurged.getIfPresent(group);
      if (purged != null) {
        if (purged > sequence) {
          return Verdict.PURGED;
        }
      } else if (sequence < floor) {
        missing = true;
        if (unknown != null) {
          unknown.add(group);
        }
      }
    }
    return missing ? Verdict.UNKNOWN : Verdict.CURRENT;
  }

  /** A purge of {@code group}, numbered {@code sequence}, seen here or in the fleet's log. */
  public void record(String group, long sequence) {
    lastPurged.asMap().merge(group, sequence, Math::max);
    highest.accumulateAndGet(sequence, Math::max);
  }

  /** A purge made here that could not be published yet: pages of the group are purged until it is. */
  public void recordPending(String group) {
    pending.add(group);
  }

  /** The number a pending purge was published under. */
  public void settle(String group, long sequence) {
    record(group, sequence);
    pending.remove(group);
  }

  /** Forgets every pending purge: one purge of everything, published, stands for them. */
  public void settleAll(long everything) {
    record(PurgeGroups.EVERYTHING, everything);
    pending.clear();
  }

  /** Last purges looked up in the fleet's record, for groups older than the horizon. */
  public void recordFetched(Map<String, Long> fetched) {
    fetched.forEach(this::record);
  }

  /**
   * Forgets every group: from now on a page that began before {@code sequence} is looked up again.
   * For a JVM that lost track of the fleet's purges.
   */
  public void reset(long sequence) {
    lastPurged.invalidateAll();
    horizon.set(sequence);
    highest.set(sequence);
  }

  public long horizon() {
    return horizon.get();
  }

  public long groupsKnown() {
    return lastPurged.estimatedSize();
  }
}
