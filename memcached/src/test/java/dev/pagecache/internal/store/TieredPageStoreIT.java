package dev.pagecache.internal.store;

import dev.pagecache.store.CacheEntry;
import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.StoreStats;
import dev.pagecache.store.WriteHints;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.internal.http.Headers;
import dev.pagecache.it.MemcachedServer;
import dev.pagecache.memcached.MemcachedPageStore;
import dev.pagecache.memcached.MemcachedSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Purges against the background writer and the promotion of shared copies, with a real memcached.
 * The shared layer is held at the racy point by a latch, not by luck: a write the background
 * thread has taken (or still queues) and a shared copy read before the purge, each let go after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TieredPageStoreIT {
  private static final String OLD = "http://example.com:80/old";
  private static final String OTHER = "http://example.com:80/other";
  private static final String SENTINEL = "http://example.com:80/sentinel";
  private final InstantSource clock = InstantSource.system();
  private MemcachedServer server;

  @BeforeAll
  void start() throws Exception {
    server = MemcachedServer.start();
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  private MemcachedSettings settings() {
    return MemcachedSettings.servers(server.address()).withTimeout(Duration.ofMillis(1000))
        .withNamespace("t" + Long.toHexString(new Random().nextLong()));
  }

  private MemcachedPageStore connect(MemcachedSettings settings) {
    return MemcachedPageStore.connect(settings, clock, 1 << 20);
  }

  private static CachedPage page(String body) {
    Instant now = Instant.now();
    return CachedPage.builder().status(200).headers(Headers.builder().build()).contentType("text/plain")
        .body(body.getBytes(StandardCharsets.UTF_8)).storedAt(now).expiresAt(now.plusSeconds(60)).build();
  }

  private static CaffeinePageStore memory() {
    return new CaffeinePageStore(1 << 24, InstantSource.system());
  }

  /** Waits until every write queued so far has run: the writer is one thread, in order. */
  private static void drain(TieredPageStore tiered, HeldStore held) throws InterruptedException {
    tiered.put(SENTINEL, page("sentinel"));
    assertThat(held.awaitWritten(SENTINEL)).as("the writer drained").isTrue();
  }

  @Test
  void aPurgeIsNotUndoneByAWriteTheBackgroundThreadHadTakenOrStillQueued() throws Exception {
    MemcachedSettings settings = settings();
    HeldStore held = new HeldStore(connect(settings));
    try (TieredPageStore tiered = new TieredPageStore(memory(), held)) {
      held.holdNextWriteOf(OTHER);
      tiered.put(OTHER, page("old other"));
      assertThat(held.awaitHeld()).isTrue(); // taken by the writer, not yet sent
      tiered.put(OLD, page("old")); // queued behind it

      tiered.remove(OTHER);
      tiered.remove(OLD);
      held.release();
      drain(tiered, held);

      try (MemcachedPageStore anotherJvm = connect(settings)) {
        assertThat(anotherJvm.get(OLD)).as("a queued write after its purge").isEmpty();
        assertThat(anotherJvm.get(OTHER)).as("a write in flight during its purge").isEmpty();
        assertThat(anotherJvm.get(SENTINEL)).as("writes after the purge still land").isPresent();
      }
      assertThat(tiered.get(OLD)).isEmpty();
      assertThat(tiered.get(OTHER)).isEmpty();
    }
  }

  @Test
  void aPurgeOfEverythingIsNotUndoneByWritesThatLandInTheNewNamespace() throws Exception {
    MemcachedSettings settings = settings();
    HeldStore held = new HeldStore(connect(settings));
    try (TieredPageStore tiered = new TieredPageStore(memory(), held)) {
      held.holdNextWriteOf(OTHER);
      tiered.put(OTHER, page("old other"));
      assertThat(held.awaitHeld()).isTrue();
      tiered.put(OLD, page("old"));

      tiered.clear();
      held.release();
      drain(tiered, held);

      try (MemcachedPageStore anotherJvm = connect(settings)) {
        assertThat(anotherJvm.get(OLD)).as("a queued write after the purge").isEmpty();
        assertThat(anotherJvm.get(OTHER)).as("a write in flight during the purge").isEmpty();
        assertThat(anotherJvm.get(SENTINEL)).as("writes after the purge still land").isPresent();
      }
    }
  }

  @Test
  void aSharedCopyReadBeforeAPurgeIsNotPromotedIntoMemoryAfterIt() throws Exception {
    MemcachedSettings settings = settings();
    try (MemcachedPageStore otherJvm = connect(settings)) {
      otherJvm.put(OLD, page("old"));
    }
    HeldStore held = new HeldStore(connect(settings));
    try (TieredPageStore tiered = new TieredPageStore(memory(), held)) {
      held.holdNextReadOf(OLD);
      CompletableFuture<Optional<CacheEntry>> lookup = CompletableFuture.supplyAsync(() -> tiered.get(OLD));
      assertThat(held.awaitHeld()).isTrue(); // it has read the old copy from memcached

      tiered.remove(OLD);
      held.release();
      lookup.get(10, TimeUnit.SECONDS);

      assertThat(tiered.get(OLD)).as("the next lookup in this JVM").isEmpty();
    }
  }

  @Test
  void aSharedCopyReadBeforeAPurgeOfEverythingIsNotPromotedIntoMemoryAfterIt() throws Exception {
    MemcachedSettings settings = settings();
    try (MemcachedPageStore otherJvm = connect(settings)) {
      otherJvm.put(OLD, page("old"));
    }
    HeldStore held = new HeldStore(connect(settings));
    try (TieredPageStore tiered = new TieredPageStore(memory(), held)) {
      held.holdNextReadOf(OLD);
      CompletableFuture<Optional<CacheEntry>> lookup = CompletableFuture.supplyAsync(() -> tiered.get(OLD));
      assertThat(held.awaitHeld()).isTrue();

      tiered.clear();
      held.release();
      lookup.get(10, TimeUnit.SECONDS);

      assertThat(tiered.get(OLD)).as("the next lookup in this JVM").isEmpty();
    }
  }

  @Test
  void aLeaseIsReleasedOnlyAfterTheWritesQueuedBeforeItSoAWokenWaiterFindsThePage() throws Exception {
    MemcachedSettings settings = settings();
    HeldStore held = new HeldStore(connect(settings));
    try (TieredPageStore tiered = new TieredPageStore(memory(), held); MemcachedPageStore anotherJvm = connect(settings)) {
      assertThat(tiered.tryLease(OLD, Duration.ofSeconds(30))).isTrue();
      held.holdNextWriteOf(OLD);
      tiered.put(OLD, page("rendered"));
      assertThat(held.awaitHeld()).isTrue(); // the render's page, taken by the writer, not sent yet

      tiered.releaseLease(OLD);

      assertThat(held.leasesReleased).as("releases sent to the shared layer meanwhile").hasValue(0);
      assertThat(anotherJvm.leasesHeld(List.of(OLD))).as("the lease, while its page is not in memcached").containsExactly(OLD);

      held.release();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!anotherJvm.leasesHeld(List.of(OLD)).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(anotherJvm.leasesHeld(List.of(OLD))).as("released once the page landed").isEmpty();
      assertThat(anotherJvm.get(OLD)).as("what a JVM woken by the release finds").isPresent();
    }
  }

  /** A shared store that can hold one write before it is sent, or one read after it is answered. */
  private static final class HeldStore implements PageStore {
    private final PageStore delegate;
    private final Set<String> written = ConcurrentHashMap.newKeySet();
    private volatile String holdWrite;
    private volatile String holdRead;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger leasesReleased = new AtomicInteger();

    HeldStore(PageStore delegate) {
      this.delegate = delegate;
    }

    void holdNextWriteOf(String key) {
      holdWrite = key;
    }

    void holdNextReadOf(String key) {
      holdRead = key;
    }

    boolean awaitHeld() throws InterruptedException {
      return held.await(10, TimeUnit.SECONDS);
    }

    void release() {
      release.countDown();
    }

    boolean awaitWritten(String key) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!written.contains(key)) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        Thread.sleep(5);
      }
      return true;
    }

    private void hold() {
      held.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public Optional<CacheEntry> get(String key) {
      Optional<CacheEntry> found = delegate.get(key);
      if (key.equals(holdRead)) {
        holdRead = null;
        hold();
      }
      return found;
    }

    @Override
    public void put(String key, CacheEntry entry) {
      put(key, entry, WriteHints.NONE);
    }

    @Override
    public void put(String key, CacheEntry entry, WriteHints hints) {
      if (key.equals(holdWrite)) {
        holdWrite = null;
        hold();
      }
      delegate.put(key, entry, hints);
      written.add(key);
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
    public boolean sharedAcrossJvms() {
      return true;
    }

    @Override
    public boolean tryLease(String key, Duration ttl) {
      return delegate.tryLease(key, ttl);
    }

    @Override
    public void releaseLease(String key) {
      leasesReleased.incrementAndGet();
      delegate.releaseLease(key);
    }

    @Override
    public Set<String> leasesHeld(Collection<String> keys) {
      return delegate.leasesHeld(keys);
    }

    @Override
    public StoreStats stats() {
      return delegate.stats();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
