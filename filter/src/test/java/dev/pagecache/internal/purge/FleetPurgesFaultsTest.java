package dev.pagecache.internal.purge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.internal.purge.GroupVersions.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the purge bookkeeping does when the log is down, full, or half-written (found in review). */
class FleetPurgesFaultsTest {
  private final FleetPurgesTest.MemoryLog log = new FleetPurgesTest.MemoryLog();
  private final AtomicLong nanos = new AtomicLong();

  private FleetPurges jvm() {
    FleetPurges purges = new FleetPurges(log, Duration.ofSeconds(1), () -> { }, nanos::get);
    purges.sync();
    return purges;
  }

  /** FleetPurges.purge: pending.clear() on overflow leaves the cleared groups PENDING for ever. */
  @Test
  void groupsDroppedFromAFullPendingQueueAreNotPurgedForEver() {
    FleetPurges a = jvm();
    log.down = true;
    a.purge("t:first");
    for (int i = 0; i < FleetPurges.MAX_PENDING; i++) {
      a.purge("t:n" + i);
    }
    log.down = false;
    a.sync(); // publishes the one '*' that stands for them all
    assertThat(a.stats().get("pending")).isZero();

    long renderedAfter = a.sequence();
    assertThat(a.check(renderedAfter, List.of("*", "t:other"))).isEqualTo(Verdict.CURRENT);
    assertThat(a.check(renderedAfter, List.of("*", "t:first")))
        .as("a page rendered after every purge was published").isEqualTo(Verdict.CURRENT);
  }

  /** GroupVersions: evicting a PENDING record raises the horizon to Long.MAX_VALUE. */
  @Test
  void anEvictedPendingPurgeDoesNotMakeEveryPageUnknownForEver() {
    GroupVersions versions = new GroupVersions(1);
    versions.recordPending("t:pending");
    for (int i = 0; i < 50 && versions.groupsKnown() > 0; i++) {
      versions.record("t:other" + i, 5);
    }
    versions.settle("t:pending", 10);
    assertThat(versions.horizon()).as("horizon").isLessThan(Long.MAX_VALUE);
    assertThat(versions.check(100, List.of("t:never"), new ArrayList<>())).isEqualTo(Verdict.CURRENT);
  }

  /**
   * restart(latest) starts from the counter, but a purge's group record is raised after its number
   * is taken: a lookup in between caches the old record, and the entry, numbered at or below the
   * restart point, is never read. The page stays current on this JVM for ever.
   */
  @Test
  void aJvmStartingWhileAPurgeIsBeingPublishedDoesNotMissIt() {
    jvm();
    long rendered = log.latest(); // page P of t:x, shared by another JVM before the edit
    long n = ++log.counter; // JVM A publishes t:x: number taken, entry written...
    log.entries.put(n, "t:x");
    FleetPurges c = jvm(); // ...JVM C starts (first sync) now
    c.check(rendered, List.of("*", "t:x")); // a request reads P from memcached: looked up
    log.groups.put("t:x", n); // A's publish raises the record
    c.sync();
    c.sync();
    assertThat(c.check(rendered, List.of("*", "t:x"))).isEqualTo(Verdict.PURGED);
  }
}
