package dev.pagecache.internal.purge;

import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.store.PurgeLog;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.internal.purge.GroupVersions.Verdict;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The sync rules, with the log in memory: what memcached does is tested against a real one in
 * {@code FleetPurgeIT} and {@code MemcachedPurgeLogIT}; here, what a JVM does with what it reads.
 */
class FleetPurgesTest {
  private static final Duration INTERVAL = Duration.ofSeconds(1);

  /** A shared log two JVMs read, that can fail, lose records or be set back. */
  static final class MemoryLog implements PurgeLog {
    final TreeMap<Long, String> entries = new TreeMap<>();
    final Map<String, Long> groups = new HashMap<>();
    long counter = 1000;
    boolean down;
    /** As memcached's log: a group without a record lost it, and counts as purged now. */
    boolean missingMeansLost;
    /** As memcached's log when memcached did not answer at start-up. */
    boolean answeredAtStartUp = true;
    /** The threads {@code latest()} was called on. */
    final java.util.Set<Thread> readers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Makes the next {@code latest()} slow, as a network read is. */
    volatile long nextLatestDelayMillis;

    @Override
    public boolean shared() {
      return true;
    }

    @Override
    public synchronized long publish(String group) {
      failIfDown();
      long n = ++counter;
      entries.put(n, group);
      groups.merge(group, n, Math::max);
      return n;
    }

    @Override
    public boolean answeredAtStartUp() {
      return answeredAtStartUp;
    }

    @Override
    public long latest() {
      readers.add(Thread.currentThread());
      long delay = nextLatestDelayMillis;
      if (delay > 0) {
        nextLatestDelayMillis = 0;
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      synchronized (this) {
        failIfDown();
        return counter;
      }
    }

    @Override
    public synchronized Map<Long, String> entries(long after, long upTo) {
      failIfDown();
      return new HashMap<>(entries.subMap(after, false, upTo, true));
    }

    @Override
    public synchronized Map<String, Long> lastPurges(Collection<String> names) {
      failIfDown();
      Map<String, Long> last = new HashMap<>();
      for (String name : names) {
        last.put(name, groups.getOrDefault(name, missingMeansLost ? counter : 0L));
      }
      return last;
    }

    @Override
    public synchronized void raiseTo(long floor) {
      counter = Math.max(counter, floor);
    }

    private void failIfDown() {
      if (down) {
        throw new IllegalStateException("down");
      }
    }
  }

  private final MemoryLog log = new MemoryLog();
  private final AtomicLong nanos = new AtomicLong();
  private final AtomicInteger drops = new AtomicInteger();

  private FleetPurges jvm() {
    FleetPurges purges = new FleetPurges(log, INTERVAL, drops::incrementAndGet, nanos::get);
    purges.sync();
    return purges;
  }

  @Test
  void aPurgeOnOneJvmReachesAnotherAtItsNextSync() {
    FleetPurges a = jvm();
    FleetPurges b = jvm();
    long rendered = b.sequence();
    a.purge("t:wiki");

    assertThat(b.check(rendered, List.of("*", "t:wiki"))).as("before B reads the log").isEqualTo(Verdict.CURRENT);
    b.sync();
    assertThat(b.check(rendered, List.of("*", "t:wiki"))).isEqualTo(Verdict.PURGED);
    assertThat(b.check(b.sequence(), List.of("*", "t:wiki"))).as("rendered after the purge").isEqualTo(Verdict.CURRENT);
  }

  @Test
  void aPageRenderedRightAfterStartUpIsNotTakenForPurgedOnceTheLogIsRead() throws InterruptedException {
    log.missingMeansLost = true;
    log.nextLatestDelayMillis = 300; // the log answers the first read after a while, as a network does
    FleetPurges started = new FleetPurges(log, INTERVAL, drops::incrementAndGet, System::nanoTime);
    try {
      started.start();
      long renderedAfter = started.sequence(); // a render that begins once start-up is over

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (started.stats().get("inSync") == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(started.stats().get("inSync")).as("read the log").isEqualTo(1);
      assertThat(started.check(renderedAfter, List.of("*", "t:never-purged")))
          .as("nobody purged anything: the page stays current").isEqualTo(Verdict.CURRENT);
      assertThat(started.stats().get("purgedHits")).isZero();
    } finally {
      started.close();
    }
  }

  @Test
  void startUpDoesNotWaitAgainForALogWhoseServerDidNotAnswerAtStartUp() {
    log.answeredAtStartUp = false;
    FleetPurges started = new FleetPurges(log, INTERVAL, drops::incrementAndGet, System::nanoTime);
    try {
      started.start();
      assertThat(log.readers).as("read on the caller's thread").doesNotContain(Thread.currentThread());
    } finally {
      started.close();
    }
    log.answeredAtStartUp = true;
    FleetPurges answered = new FleetPurges(log, INTERVAL, drops::incrementAndGet, System::nanoTime);
    try {
      answered.start();
      assertThat(log.readers).as("read during start-up").contains(Thread.currentThread());
    } finally {
      answered.close();
    }
  }

  @Test
  void aRecordNotWrittenYetIsWaitedForThenALostOneMakesTheJvmStartAfresh() {
    FleetPurges b = jvm();
    int dropsBefore = drops.get();
    log.counter++; // a number taken, its record not written (yet)
    log.publish("t:after-the-gap");
    long rendered = 0;

    b.sync();
    assertThat(b.check(rendered, List.of("t:after-the-gap"))).as("records after a gap apply at once").isEqualTo(Verdict.PURGED);
    b.sync();
    assertThat(drops.get()).as("still waiting for the late record").isEqualTo(dropsBefore);
    b.sync();
    b.sync();
    assertThat(drops.get()).as("given up: memory dropped").isEqualTo(dropsBefore + 1);
    assertThat(b.stats().get("restarts")).isEqualTo(1);
  }

  @Test
  void aJvmTooFarBehindStartsAfreshAndLooksOlderPagesUp() {
    FleetPurges a = jvm();
    FleetPurges b = jvm();
    long old = b.sequence();
    for (int i = 0; i <= FleetPurges.MAX_CATCH_UP; i++) {
      a.purge("t:n" + i);
    }
    b.sync();

    assertThat(b.stats().get("restarts")).isEqualTo(1);
    assertThat(b.check(old, List.of("*", "t:untouched"))).as("looked up: never purged").isEqualTo(Verdict.CURRENT);
    assertThat(b.check(old, List.of("*", "t:n5"))).as("looked up: purged since").isEqualTo(Verdict.PURGED);
    assertThat(b.stats().get("lookups")).isPositive();
  }

  @Test
  void aPurgeThatCannotBePublishedStaysHereAndIsPublishedWhenTheLogReturns() {
    FleetPurges a = jvm();
    FleetPurges b = jvm();
    long rendered = a.sequence();
    log.down = true;
    a.purge("t:x");

    assertThat(a.check(rendered, List.of("t:x"))).isEqualTo(Verdict.PURGED);
    assertThat(a.check(a.sequence() + 1000, List.of("t:x"))).as("pending: every page of the group").isEqualTo(Verdict.PURGED);
    assertThat(a.stats().get("pending")).isEqualTo(1);

    log.down = false;
    a.sync();
    b.sync();
    assertThat(a.stats().get("pending")).isZero();
    assertThat(b.check(rendered, List.of("t:x"))).isEqualTo(Verdict.PURGED);
    assertThat(a.check(a.sequence(), List.of("t:x"))).as("settled: pages after it are current").isEqualTo(Verdict.CURRENT);
  }

  @Test
  void outOfStepOnlyACopyThisJvmRenderedWithinOneIntervalIsTrusted() {
    FleetPurges b = jvm();
    long longAgo = nanos.get();
    nanos.addAndGet(INTERVAL.toNanos() / 4);
    assertThat(b.trusted(longAgo)).as("in step").isTrue();
    assertThat(b.trusted(dev.pagecache.internal.store.CachedPage.NOT_RENDERED_HERE)).as("in step, another JVM's").isTrue();

    log.down = true;
    nanos.addAndGet(INTERVAL.toNanos() + 1);
    b.sync();
    long justNow = nanos.get() - INTERVAL.toNanos() / 10;
    assertThat(b.trusted(longAgo)).isFalse();
    assertThat(b.trusted(justNow)).isTrue();
    assertThat(b.trusted(dev.pagecache.internal.store.CachedPage.NOT_RENDERED_HERE)).as("another JVM's clock cannot be vouched for").isFalse();

    log.down = false;
    b.sync();
    assertThat(b.trusted(longAgo)).as("back in step").isTrue();
  }

  @Test
  void aLogSetBackIsRaisedAgainSoNoNumberIsGivenTwice() {
    FleetPurges b = jvm();
    long before = log.counter;
    log.counter = 3; // lost and recreated low, or tampered with
    b.sync();

    assertThat(log.counter).isGreaterThan(before);
    assertThat(b.stats().get("restarts")).isEqualTo(1);
  }

  @Test
  void aJvmAloneKnowsEveryPurgeAtOnceAndForgetsNothingItCannotLookUp() {
    FleetPurges alone = FleetPurges.local();
    long rendered = alone.sequence();
    alone.purge("u:http://x:80/a");

    assertThat(alone.check(rendered, List.of("u:http://x:80/a"))).isEqualTo(Verdict.PURGED);
    assertThat(alone.check(rendered, List.of("u:http://x:80/b"))).isEqualTo(Verdict.CURRENT);
    assertThat(alone.trusted(dev.pagecache.internal.store.CachedPage.NOT_RENDERED_HERE)).isTrue();
  }
}
