package dev.pagecache.store.memcached;

import dev.pagecache.store.CacheEntry;
import dev.pagecache.store.CorruptEntryException;
import dev.pagecache.store.PageCodec;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.StoreStats;
import dev.pagecache.store.WriteHints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32C;
import net.spy.memcached.ConnectionFactory;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.DefaultHashAlgorithm;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.internal.OperationFuture;

/**
 * Entries in a memcached cluster, as {@link PageCodec} bytes. Every call is bounded by the
 * configured timeout and guarded by a circuit breaker; a failure throws (the tiered store makes it
 * a miss) and is counted. Entries larger than one item are split into chunks under keys tied to a
 * random generation, with a small manifest under the entry's own key; they are read back with one
 * multi-get, all or nothing.
 */
public final class MemcachedPageStore implements PageStore {
  private static final Logger LOG = System.getLogger(MemcachedPageStore.class.getName());
  private static final byte[] MANIFEST_MAGIC = {'P', 'G', 'C', 'M'};
  private static final int MANIFEST_BYTES = 4 + 1 + 8 + 2 + 4 + 4;
  /** Room left in an item for the key and memcached's own item header. */
  private static final int ITEM_OVERHEAD = 1024;
  private static final int MAX_RELATIVE_EXPIRY = 30 * 24 * 3600;
  private static final Duration VERSION_REFRESH = Duration.ofSeconds(1);

  private final MemcachedClient client;
  private final MemcachedSettings settings;
  private final PageCodec codec;
  private final BytesTranscoder bytes;
  private final CircuitBreaker breaker;
  private final InstantSource clock;
  private final long timeoutMillis;
  private final long writeTimeoutMillis;
  private final String versionKey;
  private volatile long namespaceVersion;
  private volatile Instant versionReadAt = Instant.MIN;
  private final Set<String> oversizeLogged = ConcurrentHashMap.newKeySet();
  private final Map<String, LongAdder> counters = new LinkedHashMap<>();

  private MemcachedPageStore(MemcachedClient client, MemcachedSettings settings, InstantSource clock) {
    this.client = client;
    this.settings = settings;
    this.clock = clock;
    this.codec = new PageCodec(settings.secret().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null),
        settings.compressionThreshold(), Integer.MAX_VALUE - 16);
    this.bytes = new BytesTranscoder(Integer.MAX_VALUE);
    this.breaker = new CircuitBreaker(settings.breakerFailures(), settings.breakerCoolDown(), clock);
    this.timeoutMillis = settings.timeout().toMillis();
    // Writes run on a background thread: they may take longer than a request would wait.
    this.writeTimeoutMillis = Math.max(1000, 10 * timeoutMillis);
    this.versionKey = settings.namespace() + ":version";
    for (String name : List.of("gets", "hits", "misses", "errors", "timeouts", "skippedOpenBreaker",
        "decodeFailures", "writes", "writeBytes", "chunkedWrites", "chunkedReads", "refused", "oversize",
        "keptLocal", "leasesWon", "leasesLost")) {
      counters.put(name, new LongAdder());
    }
  }

  /**
   * Connects (lazily: an unreachable server is not an error here, only an unreadable setting).
   * The client's defaults suit batch jobs, not request threads; each is set on purpose below.
   */
  public static MemcachedPageStore connect(MemcachedSettings settings, InstantSource clock) {
    ConnectionFactory factory = new ConnectionFactoryBuilder()
        // Binary protocol: a refused over-size set is an error status, not a dropped connection.
        .setProtocol(ConnectionFactoryBuilder.Protocol.BINARY)
        // Ketama consistent hashing: adding or losing a node remaps only its share of keys.
        .setLocatorType(ConnectionFactoryBuilder.Locator.CONSISTENT)
        .setHashAlg(DefaultHashAlgorithm.KETAMA_HASH)
        // One node: a dead node's calls fail fast (Cancel) and the breaker takes over. Several:
        // a dead node's keys move to the next node on the ring (Redistribute), miss there once,
        // are stored there, and the hit ratio recovers while the node is down.
        .setFailureMode(settings.servers().size() > 1 ? FailureMode.Redistribute : FailureMode.Cancel)
        // Never block a request thread on a full queue (the default waits up to 10 s).
        .setOpQueueMaxBlockTime(5)
        // Per-call timeouts are ours (future.get); this is only the client's outer bound.
        .setOpTimeout(Math.max(settings.timeout().toMillis(), 1000))
        // Recycle a dead socket after a few timeouts, not after ~1000.
        .setTimeoutExceptionThreshold(8)
        .setMaxReconnectDelay(2)
        // The IO thread must not keep a redeployed web application's JVM alive.
        .setDaemon(true)
        .setTranscoder(new ObjectRefusingTranscoder())
        .build();
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (InetSocketAddress server : settings.servers()) {
      addresses.add(new InetSocketAddress(server.getHostString(), server.getPort()));
    }
    MemcachedClient client;
    try {
      client = new MemcachedClient(factory, addresses);
    } catch (IOException e) {
      throw new UncheckedIOException("memcached client could not start", e);
    }
    awaitConnections(client, addresses.size());
    return new MemcachedPageStore(client, settings, clock);
  }

  /**
   * Gives the connections a moment to open, so the first requests after start-up are not
   * cancelled as "node not connected"; an unreachable server only costs this wait, never start-up.
   */
  private static void awaitConnections(MemcachedClient client, int servers) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (client.getAvailableServers().size() < servers && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public Optional<CacheEntry> get(String key) {
    String memcachedKey = key(key);
    count("gets");
    byte[] value = await(client.asyncGet(memcachedKey, bytes), timeoutMillis);
    if (value == null) {
      count("misses");
      return Optional.empty();
    }
    try {
      byte[] whole = isManifest(value) ? readChunks(key, value) : value;
      if (whole == null) {
        count("misses");
        return Optional.empty();
      }
      CacheEntry entry = codec.decode(whole);
      if (!clock.instant().isBefore(entry.evictableAt())) {
        count("misses");
        return Optional.empty();
      }
      count("hits");
      return Optional.of(entry);
    } catch (CorruptEntryException e) {
      count("decodeFailures");
      LOG.log(Level.DEBUG, () -> "pagecache: memcached value for " + key + " does not decode: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** All chunks of one generation, or null when any is missing or they do not add up. */
  private byte[] readChunks(String key, byte[] manifest) throws CorruptEntryException {
    ByteBuffer in = ByteBuffer.wrap(manifest);
    if (manifest.length != MANIFEST_BYTES || in.position(4).get() != 1) {
      throw new CorruptEntryException("bad chunk manifest");
    }
    long generation = in.getLong();
    int count = in.getShort() & 0xffff;
    int total = in.getInt();
    int crc = in.getInt();
    if (count == 0 || total < 0) {
      throw new CorruptEntryException("bad chunk manifest");
    }
    List<String> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      keys.add(chunkKey(key, generation, i));
    }
    count("chunkedReads");
    Map<String, byte[]> chunks = await(client.asyncGetBulk(keys, bytes), timeoutMillis);
    if (chunks.size() != count) {
      return null;
    }
    byte[] whole = new byte[total];
    int at = 0;
    for (String chunkKey : keys) {
      byte[] chunk = chunks.get(chunkKey);
      if (chunk == null || at + chunk.length > total) {
        throw new CorruptEntryException("chunks do not match their manifest");
      }
      System.arraycopy(chunk, 0, whole, at, chunk.length);
      at += chunk.length;
    }
    CRC32C check = new CRC32C();
    check.update(whole);
    if (at != total || (int) check.getValue() != crc) {
      throw new CorruptEntryException("chunks do not match their manifest");
    }
    return whole;
  }

  @Override
  public void put(String key, CacheEntry entry) {
    put(key, entry, WriteHints.NONE);
  }

  @Override
  public void put(String key, CacheEntry entry, WriteHints hints) {
    int expiry = expiry(entry.evictableAt());
    if (expiry == 0) {
      return;
    }
    byte[] value = codec.encode(entry);
    int maxValue = settings.itemSize() - ITEM_OVERHEAD;
    if (value.length <= maxValue) {
      set(key, key(key), expiry, value, hints);
      return;
    }
    if (!hints.shareLargePages() || !settings.chunkLargePages()) {
      count("keptLocal");
      return;
    }
    long generation = ThreadLocalRandom.current().nextLong();
    int count = (value.length + maxValue - 1) / maxValue;
    for (int i = 0; i < count; i++) {
      byte[] chunk = Arrays.copyOfRange(value, i * maxValue, Math.min(value.length, (i + 1) * maxValue));
      if (!set(key, chunkKey(key, generation, i), expiry, chunk, hints)) {
        return;
      }
    }
    CRC32C crc = new CRC32C();
    crc.update(value);
    ByteBuffer manifest = ByteBuffer.allocate(MANIFEST_BYTES).put(MANIFEST_MAGIC).put((byte) 1)
        .putLong(generation).putShort((short) count).putInt(value.length).putInt((int) crc.getValue());
    if (set(key, key(key), expiry, manifest.array(), hints)) {
      count("chunkedWrites");
    }
  }

  private boolean set(String key, String memcachedKey, int expiry, byte[] value, WriteHints hints) {
    OperationFuture<Boolean> future = client.set(memcachedKey, expiry, value, bytes);
    Boolean stored = await(future, writeTimeoutMillis);
    count("writes");
    counters.get("writeBytes").add(value.length);
    if (Boolean.TRUE.equals(stored)) {
      return true;
    }
    count("refused");
    String status = future.getStatus() == null ? "refused" : future.getStatus().getMessage();
    if (status != null && status.toLowerCase(java.util.Locale.ROOT).contains("large")) {
      count("oversize");
      if (oversizeLogged.add(hints.rule())) {
        LOG.log(Level.WARNING, "pagecache: memcached refused a " + value.length + "-byte value for " + key
            + " (" + hints.rule() + "): larger than its item size. Set the memcached itemSize setting to the "
            + "server's -I, or shareLargePages = false to keep such pages in JVM memory only. Logged once per rule.");
      }
    }
    return false;
  }

  /** A memcached {@code add}: only one caller in the fleet creates the lease key. */
  @Override
  public boolean tryLease(String key, Duration ttl) {
    int seconds = (int) Math.max(1, Math.min(MAX_RELATIVE_EXPIRY, ttl.toSeconds()));
    Boolean added = await(client.add(leaseKey(key), seconds, new byte[] {1}, bytes), timeoutMillis);
    boolean won = Boolean.TRUE.equals(added);
    count(won ? "leasesWon" : "leasesLost");
    return won;
  }

  @Override
  public void releaseLease(String key) {
    await(client.delete(leaseKey(key)), timeoutMillis);
  }

  @Override
  public boolean sharedAcrossJvms() {
    return true;
  }

  private String leaseKey(String cacheKey) {
    return key(cacheKey + "\nlease");
  }

  @Override
  public void remove(String key) {
    await(client.delete(key(key)), timeoutMillis);
  }

  /** Purges everything for every JVM at once: all keys carry the namespace version, which this bumps. */
  @Override
  public void clear() {
    Long version = await(client.asyncIncr(versionKey, 1, 1, 0), timeoutMillis);
    if (version != null && version >= 0) {
      namespaceVersion = version;
      versionReadAt = clock.instant();
    }
  }

  @Override
  public StoreStats stats() {
    Map<String, Long> values = new LinkedHashMap<>();
    counters.forEach((name, adder) -> values.put(name, adder.sum()));
    values.put("breakerOpen", breaker.state() == CircuitBreaker.State.CLOSED ? 0L : 1L);
    return new StoreStats(0, 0, 0, 0, values);
  }

  @Override
  public void close() {
    client.shutdown(2, TimeUnit.SECONDS);
  }

  /** The memcached key an entry is stored under (for tests that tamper with it). */
  String memcachedKey(String cacheKey) {
    return key(cacheKey);
  }

  /** The memcached key of one chunk (for tests that tamper with it). */
  String memcachedChunkKey(String cacheKey, long generation, int index) {
    return chunkKey(cacheKey, generation, index);
  }

  private String key(String cacheKey) {
    return SafeKeys.of(settings.namespace() + ":" + version() + ":", cacheKey);
  }

  private String chunkKey(String cacheKey, long generation, int index) {
    return key(cacheKey + "\nchunk:" + Long.toHexString(generation) + ":" + index);
  }

  /** The namespace version, re-read at most once a second so a purge-all reaches every JVM quickly. */
  private long version() {
    Instant now = clock.instant();
    if (Duration.between(versionReadAt, now).compareTo(VERSION_REFRESH) < 0) {
      return namespaceVersion;
    }
    versionReadAt = now;
    try {
      byte[] value = await(client.asyncGet(versionKey, bytes), timeoutMillis);
      namespaceVersion = value == null ? 0 : Long.parseLong(new String(value, StandardCharsets.US_ASCII).trim());
    } catch (RuntimeException e) {
      // keep the version we had; the call that needed it will meet the same failure
    }
    return namespaceVersion;
  }

  /** Relative seconds up to 30 days, an absolute Unix time beyond (memcached's rule); 0 when already due. */
  private int expiry(Instant evictableAt) {
    long seconds = Duration.between(clock.instant(), evictableAt).getSeconds();
    if (seconds <= 0) {
      return 0;
    }
    return seconds <= MAX_RELATIVE_EXPIRY ? (int) seconds : (int) Math.min(Integer.MAX_VALUE, evictableAt.getEpochSecond());
  }

  private <T> T await(Future<T> future, long timeout) {
    if (!breaker.allows()) {
      future.cancel(false);
      count("skippedOpenBreaker");
      throw new SharedLayerUnavailable("circuit breaker open");
    }
    try {
      T value = future.get(timeout, TimeUnit.MILLISECONDS);
      breaker.recordSuccess();
      return value;
    } catch (TimeoutException e) {
      future.cancel(false);
      count("timeouts");
      breaker.recordFailure();
      throw new SharedLayerUnavailable("timed out after " + timeout + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      breaker.recordFailure();
      throw new SharedLayerUnavailable("interrupted");
    } catch (ExecutionException | RuntimeException e) {
      count("errors");
      breaker.recordFailure();
      throw new SharedLayerUnavailable(String.valueOf(e.getCause() != null ? e.getCause() : e));
    }
  }

  private static boolean isManifest(byte[] value) {
    return value.length >= 4 && Arrays.equals(value, 0, 4, MANIFEST_MAGIC, 0, 4);
  }

  private void count(String name) {
    counters.get(name).increment();
  }

  /** Why a shared-layer call did not answer; the tiered store turns it into a miss. */
  static final class SharedLayerUnavailable extends RuntimeException {
    SharedLayerUnavailable(String message) {
      super(message, null, false, false);
    }
  }
}
