package dev.pagecache.memcached;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagecache.internal.http.Headers;
import dev.pagecache.it.MemcachedServer;
import dev.pagecache.store.CacheEntry;
import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.store.ChunkManifest;
import dev.pagecache.store.PageCodec;
import dev.pagecache.internal.store.VariantIndex;
import dev.pagecache.store.WriteHints;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The memcached store against a real memcached. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemcachedPageStoreIT {
  private MemcachedServer server;
  private MemcachedServer smallItems;
  private MemcachedClient raw;
  private final InstantSource clock = InstantSource.system();
  /** The largest body the rules of these tests' imagined application store. */
  private static final int LARGEST_BODY = 16 << 20;

  @BeforeAll
  void start() throws Exception {
    server = MemcachedServer.start();
    smallItems = MemcachedServer.start("-I", "512k");
    raw = new MemcachedClient(new ConnectionFactoryBuilder().setProtocol(ConnectionFactoryBuilder.Protocol.BINARY)
        .setDaemon(true).build(), List.of(new InetSocketAddress("127.0.0.1", server.port())));
  }

  @AfterAll
  void stop() throws Exception {
    raw.shutdown();
    server.close();
    smallItems.close();
  }

  private MemcachedPageStore store(MemcachedServer on, MemcachedSettings settings) {
    return MemcachedPageStore.connect(settings, clock, LARGEST_BODY);
  }

  private MemcachedSettings settings(MemcachedServer on) {
    return MemcachedSettings.servers(on.address()).withTimeout(Duration.ofMillis(500))
        .withNamespace("t" + Long.toHexString(new Random().nextLong()));
  }

  private static CachedPage page(byte[] body) {
    Instant now = Instant.now();
    return CachedPage.builder().status(200).headers(Headers.builder().add("X-Test", "yes").build())
        .contentType("application/octet-stream").body(body).storedAt(now).expiresAt(now.plusSeconds(60)).build();
  }

  private static byte[] noise(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static CachedPage found(Optional<CacheEntry> entry) {
    assertThat(entry).isPresent();
    return (CachedPage) entry.get();
  }

  @Test
  void pagesAndVariantIndexesRoundTrip() {
    try (MemcachedPageStore store = store(server, settings(server))) {
      CachedPage page = page("hello".getBytes(StandardCharsets.UTF_8));
      VariantIndex index = new VariantIndex(7, List.of("accept-language"), Instant.now().plusSeconds(60));
      store.put("http://example.com:80/a", page);
      store.put("http://example.com:80/b", index);

      assertThat(found(store.get("http://example.com:80/a")).sameAs(page)).isTrue();
      assertThat(store.get("http://example.com:80/b")).contains(index);
      assertThat(store.get("http://example.com:80/c")).isEmpty();
    }
  }

  @Test
  void aThreeMegabytePageRoundTripsThroughChunksByteForByte() {
    try (MemcachedPageStore store = store(server, settings(server))) {
      CachedPage page = page(noise(3 * 1024 * 1024, 3));
      store.put("http://example.com:80/big", page);

      assertThat(found(store.get("http://example.com:80/big")).sameAs(page)).isTrue();
      assertThat(store.stats().sharedLayer()).containsEntry("chunkedWrites", 1L).containsEntry("chunkedReads", 1L);
    }
  }

  @Test
  void aMissingOrDamagedChunkIsAMissNeverAMixedPage() throws Exception {
    try (MemcachedPageStore store = store(server, settings(server))) {
      String key = "http://example.com:80/chunks";
      store.put(key, page(noise(2_500_000, 4)));
      long generation = generationOf((byte[]) raw.get(store.memcachedKey(key), RAW));

      raw.set(store.memcachedChunkKey(key, generation, 1), 60, new byte[] {1, 2, 3}, new BytesTranscoder(1 << 20)).get();
      assertThat(store.get(key)).as("a damaged chunk").isEmpty();

      raw.delete(store.memcachedChunkKey(key, generation, 0)).get();
      assertThat(store.get(key)).as("a missing chunk").isEmpty();
      assertThat(store.stats().sharedLayer().get("decodeFailures")).isGreaterThanOrEqualTo(1L);
    }
  }

  @Test
  void aServerWithSmallerItemsIsHandledWhenConfiguredAndNeverSilentlyDroppedWhenNot() {
    byte[] body = noise(700 * 1024, 5);
    MemcachedSettings configured = settings(smallItems).withItemSize(512 * 1024);
    try (MemcachedPageStore store = store(smallItems, configured)) {
      store.put("http://example.com:80/mid", page(body));
      assertThat(found(store.get("http://example.com:80/mid")).bodyLength()).isEqualTo(body.length);
      assertThat(store.stats().sharedLayer()).containsEntry("chunkedWrites", 1L);
    }
    try (MemcachedPageStore store = store(smallItems, settings(smallItems))) {
      store.put("http://example.com:80/mid", page(body), new WriteHints("rule '/mid'", true));
      assertThat(store.get("http://example.com:80/mid")).isEmpty();
      assertThat(store.stats().sharedLayer()).containsEntry("oversize", 1L).containsEntry("refused", 1L);
    }
  }

  @Test
  void aRuleCanKeepLargePagesOutOfMemcached() {
    try (MemcachedPageStore store = store(server, settings(server))) {
      store.put("http://example.com:80/local", page(noise(2_000_000, 6)), new WriteHints("rule '/local'", false));

      assertThat(store.get("http://example.com:80/local")).isEmpty();
      assertThat(store.stats().sharedLayer()).containsEntry("keptLocal", 1L);
    }
  }

  @Test
  void garbageOrHostileValuesUnderOurKeysAreMisses() throws Exception {
    MemcachedSettings signed = settings(server).withSecret("sixteen-plus-byte secret");
    try (MemcachedPageStore store = store(server, signed);
        MemcachedPageStore unsigned = store(server, signed.withNamespace(signed.namespace()).withSecret("another secret of 16+ bytes"))) {
      String key = "http://example.com:80/planted";
      raw.set(store.memcachedKey(key), 60, "<html>owned</html>".getBytes(StandardCharsets.UTF_8),
          new BytesTranscoder(1 << 20)).get();
      assertThat(store.get(key)).as("garbage").isEmpty();

      unsigned.put(key, page("planted by someone without our secret".getBytes(StandardCharsets.UTF_8)));
      assertThat(store.get(key)).as("signed with another secret").isEmpty();
      assertThat(store.stats().sharedLayer().get("decodeFailures")).isEqualTo(2L);
    }
  }

  private static final BytesTranscoder RAW = new BytesTranscoder(Integer.MAX_VALUE);

  /** Copies what memcached holds under one key to another, as anyone who can reach memcached can. */
  private void copy(String fromMemcachedKey, String toMemcachedKey) throws Exception {
    byte[] value = (byte[]) raw.get(fromMemcachedKey, RAW);
    assertThat(value).as("a value under " + fromMemcachedKey).isNotNull();
    assertThat(raw.set(toMemcachedKey, 60, value, RAW).get()).isTrue();
  }

  /** The generation a chunk manifest names: its chunks' keys derive from it. */
  private static long generationOf(byte[] manifest) {
    return java.nio.ByteBuffer.wrap(manifest, 7, 8).getLong();
  }

  @Test
  void anEntryCopiedUnderAnotherUrlsKeyIsRefusedSignedOrNot() throws Exception {
    for (MemcachedSettings settings : List.of(settings(server), settings(server).withSecret("sixteen-plus-byte secret"))) {
      try (MemcachedPageStore store = store(server, settings)) {
        store.put("http://example.com:80/account", page("the page of /account".getBytes(StandardCharsets.UTF_8)));
        store.put("http://example.com:80/public", page("the page of /public".getBytes(StandardCharsets.UTF_8)));

        copy(store.memcachedKey("http://example.com:80/account"), store.memcachedKey("http://example.com:80/public"));

        assertThat(store.get("http://example.com:80/public")).as(settings.toString()).isEmpty();
        assertThat(store.stats().sharedLayer()).as(settings.toString()).containsEntry("decodeFailures", 1L);
      }
    }
  }

  @Test
  void aChunkedEntryCopiedUnderAnotherUrlsKeysIsRefused() throws Exception {
    try (MemcachedPageStore store = store(server, settings(server))) {
      String from = "http://example.com:80/big-account";
      String to = "http://example.com:80/big-public";
      store.put(from, page(noise(2_500_000, 7)));
      store.put(to, page(noise(2_500_000, 8)));
      byte[] manifest = (byte[]) raw.get(store.memcachedKey(from), RAW);
      long generation = generationOf(manifest);

      copy(store.memcachedKey(from), store.memcachedKey(to));
      for (int i = 0; i < 3; i++) {
        copy(store.memcachedChunkKey(from, generation, i), store.memcachedChunkKey(to, generation, i));
      }

      assertThat(store.get(to)).isEmpty();
      assertThat(store.stats().sharedLayer()).containsEntry("decodeFailures", 1L);
    }
  }

  @Test
  void aTwentyThreeByteManifestClaimingTwoGibibytesIsRefusedWithoutAllocatingThem() throws Exception {
    try (MemcachedPageStore store = store(server, settings(server))) {
      String key = "http://example.com:80/hostile";
      long generation = 42;
      // The manifest format before values were bound to their keys: magic, version 1, generation,
      // one chunk, 2 GiB in all, a checksum nobody checked before allocating.
      byte[] manifest = java.nio.ByteBuffer.allocate(23).put(new byte[] {'P', 'G', 'C', 'M', 1}).putLong(generation)
          .putShort((short) 1).putInt(Integer.MAX_VALUE - 16).putInt(0).array();
      raw.set(store.memcachedKey(key), 60, manifest, RAW).get();
      raw.set(store.memcachedChunkKey(key, generation, 0), 60, new byte[] {0}, RAW).get();

      long allocated = dev.pagecache.store.AllocatedBytes.during(() -> assertThat(store.get(key)).isEmpty());

      assertThat(allocated).as("bytes allocated to refuse it").isLessThan(16L << 20);
      assertThat(store.stats().sharedLayer()).containsEntry("decodeFailures", 1L);
    }
  }

  @Test
  void manifestsOfTheCurrentFormatWithRightChecksumsButHostileSizesAreRefusedBeforeAnyChunkIsFetched() throws Exception {
    try (MemcachedPageStore store = store(server, settings(server))) {
      String key = "http://example.com:80/hostile-v2";
      long generation = 43;
      // What anyone who can write to memcached can make without a secret: a checksum bound to the right key.
      PageCodec forger = new PageCodec(null, 0, Integer.MAX_VALUE);
      List<ChunkManifest> hostile = List.of(
          new ChunkManifest(generation, Integer.MAX_VALUE - 16, 1, Integer.MAX_VALUE - 16), // chunk larger than an item
          ChunkManifest.split(generation, (1 << 20) - 1024, 2_000_000_000), // far more than any rule stores
          ChunkManifest.split(generation, 1024, 16_000_000)); // within the size, but tiny chunks: a 15,625-key multi-get
      for (ChunkManifest manifest : hostile) {
        raw.set(store.memcachedKey(key), 60, forger.encodeManifest(manifest, store.memcachedKey(key)), RAW).get();
        raw.set(store.memcachedChunkKey(key, generation, 0), 60, new byte[] {0}, RAW).get();

        long allocated = dev.pagecache.store.AllocatedBytes.during(() -> assertThat(store.get(key)).as(manifest.toString()).isEmpty());

        assertThat(allocated).as("bytes allocated to refuse " + manifest).isLessThan(16L << 20);
      }
      assertThat(store.stats().sharedLayer()).containsEntry("decodeFailures", 3L).containsEntry("chunkedReads", 0L);
    }
  }

  @Test
  void onARequestThreadOnlyLookupsAndLeasesWaitForASilentServerAndEachAtMostTheTimeout() throws Exception {
    try (dev.pagecache.it.BrokenMemcached silent = dev.pagecache.it.BrokenMemcached.silent()) {
      MemcachedSettings settings = MemcachedSettings.servers(silent.address()).withTimeout(Duration.ofMillis(200))
          .withBreaker(100, Duration.ofSeconds(30));
      try (MemcachedPageStore store = store(null, settings)) {
        long get = millis(() -> store.get("http://example.com:80/x"));
        long lease = millis(() -> store.tryLease("http://example.com:80/x", Duration.ofSeconds(5)));
        long release = millis(() -> store.releaseLease("http://example.com:80/x"));

        assertThat(get).as("a get, the namespace version not waited for").isLessThan(300L);
        assertThat(lease).as("a lease").isLessThan(350L);
        assertThat(release).as("releasing a lease: nobody needs its answer").isLessThan(100L);
      }
    }
  }

  @Test
  void connectingToAnUnreachableServerTakesNoLongerThanTheTimeout() throws Exception {
    try (dev.pagecache.it.BrokenMemcached refused = dev.pagecache.it.BrokenMemcached.refused()) {
      MemcachedSettings settings = MemcachedSettings.servers(refused.address()).withTimeout(Duration.ofMillis(50));
      long started = System.nanoTime();
      try (MemcachedPageStore store = store(null, settings)) {
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(500L);
      }
    }
  }

  private static long millis(Runnable action) {
    long started = System.nanoTime();
    try {
      action.run();
    } catch (RuntimeException failed) {
      // a failure is a miss; only the time counts here
    }
    return (System.nanoTime() - started) / 1_000_000;
  }

  @Test
  void releasingALeaseThatOutlivedItsRenderLeavesAloneTheLeaseAnotherJvmTookSince() throws Exception {
    MemcachedSettings settings = settings(server);
    String key = "http://example.com:80/slow";
    try (MemcachedPageStore slow = store(server, settings); MemcachedPageStore next = store(server, settings);
        MemcachedPageStore third = store(server, settings)) {
      assertThat(slow.tryLease(key, Duration.ofSeconds(30))).isTrue();
      String leaseKey = slow.memcachedLeaseKey(key);
      raw.delete(leaseKey).get(5, TimeUnit.SECONDS); // its lease expired while it rendered
      assertThat(next.tryLease(key, Duration.ofSeconds(30))).as("another JVM takes the lease").isTrue();

      slow.releaseLease(key);
      awaitRelease(slow, leaseKey);

      assertThat(raw.get(leaseKey)).as("the other JVM's lease").isNotNull();
      assertThat(third.tryLease(key, Duration.ofSeconds(30))).as("a third JVM waits for the other's render").isFalse();

      next.releaseLease(key);
      awaitRelease(next, leaseKey);
      assertThat(third.tryLease(key, Duration.ofSeconds(30))).as("after its owner released it").isTrue();
    }
  }

  @Test
  void theLeasesHeldInTheFleetAreAskedAboutInOneMultiGet() throws Exception {
    MemcachedSettings settings = settings(server);
    String a = "http://example.com:80/a";
    String b = "http://example.com:80/b";
    String never = "http://example.com:80/never";
    try (MemcachedPageStore first = store(server, settings); MemcachedPageStore second = store(server, settings);
        MemcachedPageStore waiting = store(server, settings)) {
      assertThat(first.tryLease(a, Duration.ofSeconds(30))).isTrue();
      assertThat(second.tryLease(b, Duration.ofSeconds(30))).isTrue();

      assertThat(waiting.leasesHeld(List.of(a, b, never))).containsExactlyInAnyOrder(a, b);
      assertThat(waiting.stats().sharedLayer()).containsEntry("leaseChecks", 1L).containsEntry("gets", 0L);

      first.releaseLease(a);
      awaitRelease(first, first.memcachedLeaseKey(a));
      raw.delete(second.memcachedLeaseKey(b)).get(5, TimeUnit.SECONDS); // expired with its holder
      assertThat(waiting.leasesHeld(List.of(a, b, never))).as("released, expired, never taken").isEmpty();
    }
  }

  @Test
  void askingAboutLeasesFailsWhenTheSharedLayerCannotSay() throws Exception {
    try (dev.pagecache.it.BrokenMemcached refused = dev.pagecache.it.BrokenMemcached.refused()) {
      MemcachedSettings settings = MemcachedSettings.servers(refused.address()).withTimeout(Duration.ofMillis(50));
      try (MemcachedPageStore store = store(null, settings)) {
        assertThatThrownBy(() -> store.leasesHeld(List.of("http://example.com:80/a")))
            .as("nobody can say: its waiters must not wait on").isInstanceOf(RuntimeException.class);
      }
    }
  }

  /** Waits until a release sent without waiting has been answered (or its lease key is gone). */
  private void awaitRelease(MemcachedPageStore store, String leaseKey) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline && raw.get(leaseKey) != null
        && store.stats().sharedLayer().getOrDefault("leasesReleased", 0L)
            + store.stats().sharedLayer().getOrDefault("leasesNotOurs", 0L) == 0) {
      Thread.sleep(5);
    }
  }

  @Test
  void clearMovesEveryJvmToANewNamespaceVersion() {
    MemcachedSettings settings = settings(server);
    try (MemcachedPageStore first = store(server, settings); MemcachedPageStore second = store(server, settings)) {
      first.put("http://example.com:80/x", page("x".getBytes(StandardCharsets.UTF_8)));
      assertThat(second.get("http://example.com:80/x")).isPresent();

      first.clear();
      assertThat(first.get("http://example.com:80/x")).isEmpty();
    }
  }

  @Test
  void aPurgeOfEverythingReachesAnIdleJvmWithinAboutASecond() throws Exception {
    MemcachedSettings settings = settings(server);
    try (MemcachedPageStore purging = store(server, settings); MemcachedPageStore idle = store(server, settings)) {
      purging.put("http://example.com:80/x", page("x".getBytes(StandardCharsets.UTF_8)));
      assertThat(idle.get("http://example.com:80/x")).isPresent();

      purging.clear();
      Thread.sleep(1_500); // no request reaches the idle JVM meanwhile

      assertThat(idle.get("http://example.com:80/x")).as("its first request after the purge").isEmpty();
    }
  }

  @Test
  void aServerLostAfterStartUpIsATimelyFailureAndThenAnOpenBreaker() throws Exception {
    try (MemcachedServer lost = MemcachedServer.start();
        MemcachedPageStore store = store(lost, MemcachedSettings.servers(lost.address())
            .withTimeout(Duration.ofMillis(50)).withBreaker(3, Duration.ofSeconds(30)))) {
      awaitInUse(store); // a starved machine may not read the namespace version within the start-up wait
      lost.close();
      long started = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        assertThatThrownBy(() -> store.get("http://example.com:80/x")).isInstanceOf(RuntimeException.class);
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(millis).as("five calls, at most a timeout each").isLessThan(5 * 50 + 500);
      assertThat(store.stats().sharedLayer()).containsEntry("breakerOpen", 1L);
      assertThat(store.stats().sharedLayer().get("skippedOpenBreaker")).isGreaterThanOrEqualTo(1L);
    }
  }

  /** Waits until the store answers a get (the namespace version is known). */
  private static void awaitInUse(MemcachedPageStore store) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        store.get("http://example.com:80/warm-up");
        return;
      } catch (RuntimeException notYet) {
        assertThat(System.nanoTime()).as("the store came into use").isLessThan(deadline);
        Thread.sleep(20);
      }
    }
  }

  @Test
  void aServerUnreachableAtStartUpIsNotUsedAtAllUntilItAnswers() throws Exception {
    try (MemcachedServer late = MemcachedServer.start()) {
      MemcachedSettings settings = MemcachedSettings.servers(late.address()).withTimeout(Duration.ofMillis(50));
      late.kill();
      try (MemcachedPageStore store = store(late, settings)) {
        long started = System.nanoTime();
        for (int i = 0; i < 5; i++) {
          assertThatThrownBy(() -> store.get("http://example.com:80/x")).hasMessage("namespace version not read yet");
        }
        assertThat((System.nanoTime() - started) / 1_000_000).as("five calls, none waiting a timeout").isLessThan(200L);
        assertThat(store.stats().sharedLayer()).containsEntry("versionUnknown", 5L).containsEntry("gets", 0L);

        late.restart();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean answered = false;
        while (!answered && System.nanoTime() < deadline) {
          try {
            answered = store.get("http://example.com:80/x").isEmpty();
          } catch (RuntimeException notYet) {
            Thread.sleep(50);
          }
        }
        assertThat(answered).as("used again once it answers").isTrue();
      }
    }
  }
}
