package dev.pagecache.internal.purge;

import dev.pagecache.store.PurgeLog;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.it.MemcachedServer;
import dev.pagecache.internal.purge.GroupVersions.Verdict;
import dev.pagecache.memcached.MemcachedPageStore;
import dev.pagecache.memcached.MemcachedSettings;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fleet purge log against a real memcached when records are lost, long, or the counter is set back (found in review). */
class FleetPurgeLogFaultsIT {
  private MemcachedServer server;
  private MemcachedClient raw;
  private final List<MemcachedPageStore> stores = new ArrayList<>();
  private final AtomicLong nanos = new AtomicLong();
  private final AtomicInteger drops = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    server = MemcachedServer.start();
    raw = new MemcachedClient(new ConnectionFactoryBuilder().setProtocol(ConnectionFactoryBuilder.Protocol.BINARY)
        .setDaemon(true).build(), List.of(new InetSocketAddress("127.0.0.1", server.port())));
  }

  @AfterEach
  void stop() throws Exception {
    stores.forEach(MemcachedPageStore::close);
    raw.shutdown();
    server.close();
  }

  /** One JVM's purge log: its own client and connections. */
  private PurgeLog log() {
    MemcachedPageStore store = MemcachedPageStore.connect(
        MemcachedSettings.servers(server.address()).withTimeout(Duration.ofMillis(500)), InstantSource.system(), 1 << 20);
    stores.add(store);
    return store.purgeLog();
  }

  private FleetPurges jvm(PurgeLog log) {
    FleetPurges purges = new FleetPurges(log, Duration.ofSeconds(1), drops::incrementAndGet, nanos::get);
    purges.sync();
    return purges;
  }

  /**
   * A lost record (last purged at n) recreated by another page's write must not read "never purged": a JVM
   * that looks the group up (its first sync, a restart, a raised horizon) finds a page older than
   * the purge current.
   */
  @Test
  void aLostGroupRecordRecreatedByAnotherPageWriteDoesNotBringBackPurgedPages() throws Exception {
    PurgeLog a = log();
    long pageSequence = a.latest();
    a.ensureRecorded(List.of("*", "t:wiki"), pageSequence); // JVM A shares page P of t:wiki
    a.publish("t:wiki"); // an edit: P is purged
    raw.delete("pagecache:group:t:wiki").get(); // the tiny, never-read record is evicted

    PurgeLog b = log();
    b.ensureRecorded(List.of("*", "t:wiki"), b.latest()); // JVM B shares another wiki page, rendered after the edit
    FleetPurges c = jvm(log()); // JVM C starts (or restarts), reads P from memcached

    assertThat(c.check(pageSequence, List.of("*", "t:wiki"))).isEqualTo(Verdict.PURGED);
  }

  /**
   * A purge record longer than MAX_GROUP_BYTES + 64 is read as missing: a gap that never fills, so
   * every JVM of the fleet drops its memory layer. purge(URI) of a long URL, purgeTag of a long tag,
   * or an unsafe request to a long URL produce one.
   */
  @Test
  void aPurgeOfALongUrlDoesNotMakeEveryJvmDropItsMemory() throws Exception {
    FleetPurges a = jvm(log());
    FleetPurges b = jvm(log());
    int before = drops.get();
    a.purge(PurgeGroups.url("http://example.com:80/" + "x".repeat(9000))); // as every purge names its group
    for (int i = 0; i < 4; i++) {
      b.sync();
    }
    assertThat(b.stats().get("restarts")).isZero();
    assertThat(drops.get()).isEqualTo(before);
  }

  /**
   * A counter set back (with several nodes and FailureMode.Redistribute: the counter's node comes
   * back holding its old value) gives numbers below those pages already recorded: a purge under
   * such a number never stops them, on any JVM.
   */
  @Test
  void aPurgeNumberedAfterTheCounterWasSetBackStillStopsOlderPages() throws Exception {
    PurgeLog logA = log();
    PurgeLog logB = log();
    FleetPurges a = jvm(logA);
    FleetPurges b = jvm(logB);
    logB.ensureRecorded(List.of("*", "t:wiki"), b.sequence());
    long pageSequence = b.sequence(); // B renders page P of t:wiki, before the edit
    long old = logA.latest() - 100;
    raw.set("pagecache:purges:seq", 0, Long.toString(old).getBytes(StandardCharsets.US_ASCII),
        dev.pagecache.memcached.RawBytes.bytes()).get();

    a.purge("t:wiki"); // the edit, numbered old + 1
    b.sync();
    a.sync();

    assertThat(b.check(pageSequence, List.of("*", "t:wiki"))).as("on B").isEqualTo(Verdict.PURGED);
    assertThat(a.check(pageSequence, List.of("*", "t:wiki"))).as("on A").isEqualTo(Verdict.PURGED);
  }
}
