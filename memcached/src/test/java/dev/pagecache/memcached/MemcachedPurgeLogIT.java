package dev.pagecache.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.it.MemcachedServer;
import dev.pagecache.store.PurgeLog;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fleet's purge log against a real memcached: numbering, records, and what a lost or forged record means. */
class MemcachedPurgeLogIT {
  private static final BytesTranscoder RAW = new BytesTranscoder(1 << 20);
  private MemcachedServer server;
  private MemcachedClient raw;
  private MemcachedPageStore store;

  @BeforeEach
  void start() throws Exception {
    server = MemcachedServer.start();
    raw = new MemcachedClient(new ConnectionFactoryBuilder().setProtocol(ConnectionFactoryBuilder.Protocol.BINARY)
        .setDaemon(true).build(), List.of(new InetSocketAddress("127.0.0.1", server.port())));
  }

  @AfterEach
  void stop() throws Exception {
    if (store != null) {
      store.close();
    }
    raw.shutdown();
    server.close();
  }

  private PurgeLog log(MemcachedSettings settings) {
    store = MemcachedPageStore.connect(settings.withTimeout(Duration.ofMillis(500)), InstantSource.system(), 1 << 20);
    return store.purgeLog();
  }

  @Test
  void eachPurgeTakesTheNextNumberAndEveryJvmCanReadWhatItPurged() {
    PurgeLog log = log(MemcachedSettings.servers(server.address()));
    long first = log.latest();
    long a = log.publish("t:wiki");
    long b = log.publish("u:http://x:80/a");

    assertThat(a).isEqualTo(first + 1);
    assertThat(b).isEqualTo(first + 2);
    assertThat(log.latest()).isEqualTo(b);
    assertThat(log.entries(first, b)).isEqualTo(Map.of(a, "t:wiki", b, "u:http://x:80/a"));
    assertThat(log.lastPurges(List.of("t:wiki"))).containsEntry("t:wiki", a);
  }

  @Test
  void theCounterStartsHighAndALostCounterComesBackHigherThanBefore() throws Exception {
    PurgeLog log = log(MemcachedSettings.servers(server.address()));
    long before = log.publish("t:a");
    assertThat(before).as("microseconds of the clock, not 1").isGreaterThan(1_000_000_000_000_000L);

    assertThat(raw.delete("pagecache:purges:seq").get()).isTrue(); // evicted
    Thread.sleep(2);
    assertThat(log.latest()).isGreaterThan(before);
    assertThat(log.publish("t:b")).isGreaterThan(before);
  }

  @Test
  void aGroupRecordLostAfterItsPagesWereSharedMakesThemPurgedNotCurrent() throws Exception {
    PurgeLog log = log(MemcachedSettings.servers(server.address()));
    long renderedAt = log.latest();
    log.ensureRecorded(List.of("t:kept", "t:lost"), renderedAt);
    assertThat(log.lastPurges(List.of("t:kept"))).as("recorded as of the page: the page itself is current")
        .containsEntry("t:kept", renderedAt);
    long later = log.publish("t:unrelated"); // the fleet goes on purging

    raw.delete("pagecache:group:t:lost").get(); // evicted
    long lost = log.lastPurges(List.of("t:lost")).get("t:lost");

    assertThat(lost).as("purged now: pages rendered before are not current").isGreaterThanOrEqualTo(later)
        .isGreaterThan(renderedAt);
    assertThat(log.lastPurges(List.of("t:lost"))).as("and the record says so from now on").containsEntry("t:lost", lost);
  }

  @Test
  void aGroupRecordOnlyEverGrows() {
    PurgeLog log = log(MemcachedSettings.servers(server.address()));
    long first = log.publish("t:a");
    long second = log.publish("t:a");

    assertThat(log.lastPurges(List.of("t:a"))).containsEntry("t:a", second);
    assertThat(second).isGreaterThan(first);
  }

  @Test
  void withASecretAForgedRecordCountsAsLost() throws Exception {
    PurgeLog log = log(MemcachedSettings.servers(server.address()).withSecret("a fleet secret of 16+ bytes"));
    long renderedAt = log.latest();
    log.ensureRecorded(List.of("t:x"), renderedAt);
    // Someone who can write to memcached says t:x was never purged.
    raw.set("pagecache:group:t:x", 0, "0".getBytes(StandardCharsets.UTF_8), RAW).get();
    raw.set("pagecache:purges:" + (renderedAt + 1), 3600, "*".getBytes(StandardCharsets.UTF_8), RAW).get();
    raw.incr("pagecache:purges:seq", 1);

    assertThat(log.lastPurges(List.of("t:x")).get("t:x")).isGreaterThan(renderedAt);
    assertThat(log.entries(renderedAt, renderedAt + 1)).as("a forged record is not read").isEmpty();
  }
}
