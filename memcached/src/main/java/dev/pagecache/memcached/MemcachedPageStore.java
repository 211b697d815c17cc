package dev.pagecache.memcached;

import dev.pagecache.internal.DaemonThreads;
import dev.pagecache.store.CacheEntry;
import dev.pagecache.store.ChunkManifest;
import dev.pagecache.store.CorruptEntryException;
import dev.pagecache.store.PageCodec;
import dev.pagecache.store.PurgeLog;
import dev.pagecache.store.SharedStore;
import dev.pagecache.store.SharedStoreHealth;
import dev.pagecache.store.StoreStats;
import dev.pagecache.store.WriteHints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import net.spy.memcached.CASValue;
import net.spy.memcached.ConnectionFactory;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.DefaultHashAlgorithm;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.MemcachedNode;
import net.spy.memcached.internal.OperationFuture;
import net.spy.memcached.ops.OperationStatus;

/**
 * Entries in a memcached cluster, as {@link PageCodec} bytes bound to their memcached key. Entries
 * larger than one item are split into chunks under keys tied to a random generation, with a
 * {@link ChunkManifest} under the entry's own key; they are read back with one multi-get, all or
 * nothing.
 *
 * <p>A request thread waits for memcached only in {@link #get} (the entry, then its chunks),
 * {@link #tryLease}, and the purges {@link #remove} and {@link #clear}, each call at most the
 * configured timeout, and not at all while the circuit breaker is open. The namespace version is
 * re-read every second on a thread of its own, and a lease is released without waiting. A lease
 * holds a random token of the JVM that took it, and is deleted only while it still holds that
 * token (a gets, then a delete guarded by its CAS): a render that outlived its lease never deletes
 * the lease another JVM took since. A
 * failure throws (the tiered store makes it a miss) and is counted; a value that does not verify
 * is a miss, counted as a decode failure.
 */
public final class MemcachedPageStore implements SharedStore {
  private static final Logger LOG = System.getLogger(MemcachedPageStore.class.getName());
  /** Room left in an item for the key and memcached's own item header. */
  private static final int ITEM_OVERHEAD = 1024;
  /** Room in an encoded entry for its fields and times beyond the body: more than any container lets a response's header be. */
  private static final int FIELDS_ALLOWANCE = 1024 * 1024;
  private static final int MAX_RELATIVE_EXPIRY = 30 * 24 * 3600;
  private static final long VERSION_REFRESH_MILLIS = 1000;

  private final MemcachedClient client;
  private final MemcachedSettings settings;
  private final PageCodec codec;
  private final BytesTranscoder bytes;
  private final CircuitBreaker breaker;
  private final InstantSource clock;
  private final long timeoutMillis;
  private final long writeTimeoutMillis;
  private final int maxEntryBytes;
  private final String versionKey;
  private final NamespaceVersion namespaceVersion;
  private final MemcachedPurgeLog purgeLog;
  /** Whether memcached answered within the start-up deadline: if not, start-up waits for it no more. */
  private volatile boolean answeredAtStartUp = true;
  private final RateLimitedLog refusals = new RateLimitedLog(System.getLogger(MemcachedClientLog.LOGGER_NAME), 60_000,
      System::nanoTime);
  private final Set<String> oversizeLogged = ConcurrentHashMap.newKeySet();
  private final Map<String, LongAdder> counters = new LinkedHashMap<>();
  /** The leases this JVM holds, by cache key: the memcached key it added and its token there. */
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
  private final SecureRandom tokens = new SecureRandom();
  /** Where the client runs the callbacks that finish a lease's release; ours, so that it is a daemon. */
  private final ExecutorService callbacks;
  private final DaemonThreads callbackThreads;
  private volatile MemcachedClock fleetClock;

  private MemcachedPageStore(MemcachedClient client, MemcachedSettings settings, InstantSource clock, int largestBody,
      ExecutorService callbacks, DaemonThreads callbackThreads) {
    this.client = client;
    this.callbacks = callbacks;
    this.callbackThreads = callbackThreads;
    this.settings = settings;
    this.clock = clock;
    this.codec = new PageCodec(settings.secret().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null),
        settings.compressionThreshold(), largestBody);
    this.maxEntryBytes = (int) Math.min(Integer.MAX_VALUE - 16, (long) largestBody + FIELDS_ALLOWANCE);
    this.bytes = new BytesTranscoder(Integer.MAX_VALUE);
    this.breaker = new CircuitBreaker(settings.breakerFailures(), settings.breakerCoolDown(), clock);
    this.timeoutMillis = settings.timeout().toMillis();
    this.writeTimeoutMillis = writeTimeoutMillis(settings);
    this.versionKey = settings.namespace() + ":version";
    this.purgeLog = new MemcachedPurgeLog(this, client, settings.namespace(),
        settings.secret().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null), clock);
    this.namespaceVersion = new NamespaceVersion(() -> send(() -> client.asyncGet(versionKey, bytes)), timeoutMillis);
    for (String name : List.of("gets", "hits", "misses", "errors", "timeouts", "skippedOpenBreaker", "versionUnknown",
        "decodeFailures", "writes", "writeBytes", "chunkedWrites", "chunkedReads", "refused", "oversize",
        "keptLocal", "leasesWon", "leasesLost", "leasesReleased", "leasesNotOurs", "leaseChecks")) {
      counters.put(name, new LongAdder());
    }
  }

  /** Writes run on a background thread: they may take longer than a request would wait. */
  private static long writeTimeoutMillis(MemcachedSettings settings) {
    return Math.max(1000, 10 * settings.timeout().toMillis());
  }

  /**
   * Connects, waiting at most the configured timeout in all for the connections and the namespace
   * version: an unreachable server costs start-up no more than that, and is not an error here (only
   * an unreadable setting is). The client's defaults suit batch jobs, not request threads; each is
   * set on purpose below.
   *
   * @param settings the cluster and how to use it
   * @param clock the clock entries expire by; the fleet's ({@link MemcachedClock}) so that every JVM agrees
   * @param largestBody the largest body any rule stores: a value under our keys that claims more
   *     is refused before anything is allocated for it
   * @return the connected store, answering misses while the servers do not answer; the caller closes it
   * @throws java.io.UncheckedIOException if the client cannot start at all
   */
  public static MemcachedPageStore connect(MemcachedSettings settings, InstantSource clock, int largestBody) {
    MemcachedClientLog.install(); // before the client makes its first logger
    DaemonThreads callbackThreads = new DaemonThreads("pagecache-shared-callbacks");
    ExecutorService callbacks = Executors.newSingleThreadExecutor(callbackThreads);
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
        // Every caller waits for its own call with its own bound (future.get): a request the
        // configured timeout, the background writer longer. The client's timeout only decides when
        // its IO thread drops a queued call nobody waits for any more, so it is the longest of those.
        .setOpTimeout(writeTimeoutMillis(settings))
        // Recycle a dead socket after a few timeouts, not after ~1000.
        .setTimeoutExceptionThreshold(8)
        .setMaxReconnectDelay(2)
        // The IO thread must not keep a redeployed web application's JVM alive.
        .setDaemon(true)
        // The client's own pool for future listeners is of threads that are not daemons.
        .setListenerExecutorService(callbacks)
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
      callbacks.shutdown();
      throw new UncheckedIOException("memcached client could not start", e);
    }
    // The container's port is bound already: requests that come meanwhile wait for this.
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    awaitConnections(client, deadline);
    MemcachedPageStore store = new MemcachedPageStore(client, settings, clock, largestBody, callbacks, callbackThreads);
    store.answeredAtStartUp = store.namespaceVersion.refresh(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    if (!store.answeredAtStartUp) {
      LOG.log(Level.WARNING, () -> "pagecache: memcached " + settings.serverList() + " did not answer within "
          + settings.timeout().toMillis() + " ms at start-up; pages come from JVM memory and the origin until it does");
    }
    store.namespaceVersion.refreshEvery(VERSION_REFRESH_MILLIS);
    return store;
  }

  /**
   * Gives the connections until {@code deadline} to open, so the first requests after start-up are
   * not cancelled as "node not connected". A node whose first attempt failed already (refused) is
   * not waited for: it tries again only seconds later. (spymemcached counts a node's first attempt
   * as attempt 1, and a failed one makes it 2.)
   */
  private static void awaitConnections(MemcachedClient client, long deadline) {
    while (System.nanoTime() < deadline) {
      boolean settled = true;
      for (MemcachedNode node : client.getNodeLocator().getAll()) {
        settled &= node.isActive() || node.getReconnectCount() > 1;
      }
      if (settled) {
        return;
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public Optional<CacheEntry> get(String key) {
    String prefix = prefix();
    String memcachedKey = key(prefix, key);
    count("gets");
    byte[] value = call(() -> client.asyncGet(memcachedKey, bytes), timeoutMillis);
    if (value == null) {
      count("misses");
      return Optional.empty();
    }
    try {
      byte[] whole = PageCodec.isManifest(value) ? readChunks(key, prefix, memcachedKey, value) : value;
      if (whole == null) {
        count("misses");
        return Optional.empty();
      }
      CacheEntry entry = codec.decode(whole, memcachedKey);
      if (!clock.instant().isBefore(entry.evictableAt())) {
        count("misses");
        return Optional.empty();
      }
      count("hits");
      return Optional.of(entry);
    } catch (CorruptEntryException e) {
      count("decodeFailures");
      LOG.log(Level.DEBUG, () -> "pagecache: memcached value for " + key + " refused: " + e.getMessage());
      refusals.log(Level.WARNING, "refused", () -> "pagecache: refused a memcached value for " + key + ": "
          + e.getMessage() + ". Damage, a JVM with another secret, or someone writing to memcached; served from the origin.");
      return Optional.empty();
    }
  }

  /**
   * All chunks of one generation, or null when any is missing. The manifest is verified, and its
   * numbers and every chunk's length checked against our limits, before the entry is allocated:
   * what is allocated is what memcached already sent, never what a value claims.
   */
  private byte[] readChunks(String key, String prefix, String memcachedKey, byte[] value) throws CorruptEntryException {
    ChunkManifest manifest = codec.decodeManifest(value, memcachedKey);
    if (manifest.chunkSize() < MemcachedSettings.MIN_ITEM_SIZE - ITEM_OVERHEAD || manifest.chunkSize() > settings.itemSize()
        || manifest.totalBytes() > maxEntryBytes) {
      throw new CorruptEntryException("chunk manifest out of bounds: " + manifest);
    }
    List<String> keys = new ArrayList<>(manifest.chunkCount());
    for (int i = 0; i < manifest.chunkCount(); i++) {
      keys.add(chunkKey(prefix, key, manifest.generation(), i));
    }
    count("chunkedReads");
    Map<String, byte[]> chunks = call(() -> client.asyncGetBulk(keys, bytes), timeoutMillis);
    if (chunks.size() != keys.size()) {
      return null;
    }
    for (int i = 0; i < keys.size(); i++) {
      byte[] chunk = chunks.get(keys.get(i));
      if (chunk == null || chunk.length != manifest.chunkLength(i)) {
        throw new CorruptEntryException("chunk " + i + " does not match its manifest");
      }
    }
    byte[] whole = new byte[manifest.totalBytes()];
    int at = 0;
    for (String chunkKey : keys) {
      byte[] chunk = chunks.get(chunkKey);
      System.arraycopy(chunk, 0, whole, at, chunk.length);
      at += chunk.length;
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
    String prefix = prefix();
    String memcachedKey = key(prefix, key);
    if (!entry.purgeGroups().isEmpty()) {
      // Before the page: a group record missing later was lost, and then the page is not current.
      purgeLog.ensureRecorded(entry.purgeGroups(), entry.purgeSequence());
    }
    byte[] value = codec.encode(entry, memcachedKey);
    int maxValue = settings.itemSize() - ITEM_OVERHEAD;
    if (value.length <= maxValue) {
      set(key, memcachedKey, expiry, value, hints);
      return;
    }
    if (!hints.shareLargePages() || !settings.chunkLargePages()) {
      count("keptLocal");
      return;
    }
    ChunkManifest manifest = ChunkManifest.split(ThreadLocalRandom.current().nextLong(), maxValue, value.length);
    for (int i = 0; i < manifest.chunkCount(); i++) {
      byte[] chunk = Arrays.copyOfRange(value, i * maxValue, i * maxValue + manifest.chunkLength(i));
      if (!set(key, chunkKey(prefix, key, manifest.generation(), i), expiry, chunk, hints)) {
        return;
      }
    }
    if (set(key, memcachedKey, expiry, codec.encodeManifest(manifest, memcachedKey), hints)) {
      count("chunkedWrites");
    }
  }

  private boolean set(String key, String memcachedKey, int expiry, byte[] value, WriteHints hints) {
    OperationFuture<Boolean> future = send(() -> client.set(memcachedKey, expiry, value, bytes));
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

  /**
   * A memcached {@code add} of a random token: only one caller in the fleet creates the lease key,
   * and only the token's holder deletes it. Within this JVM one thread at a time leads the render
   * of a key (the coalescer), so one token per key is remembered.
   */
  @Override
  public boolean tryLease(String key, Duration ttl) {
    String leaseKey = leaseKey(prefix(), key);
    int seconds = (int) Math.max(1, Math.min(MAX_RELATIVE_EXPIRY, ttl.toSeconds()));
    byte[] token = new byte[16];
    tokens.nextBytes(token);
    Boolean added = call(() -> client.add(leaseKey, seconds, token, bytes), timeoutMillis);
    boolean won = Boolean.TRUE.equals(added);
    count(won ? "leasesWon" : "leasesLost");
    if (won) {
      leases.put(key, new Lease(leaseKey, token));
    }
    return won;
  }

  /**
   * Sent, not waited for: nobody needs the answer, and a lease not deleted expires on its own. The
   * lease key is read with its CAS, and deleted with that CAS only if it still holds our token; the
   * client's callback thread sends the delete, so no request thread waits for either call.
   */
  @Override
  public void releaseLease(String key) {
    Lease lease = leases.remove(key);
    if (lease == null) {
      return; // never ours, or given up already
    }
    OperationFuture<CASValue<byte[]>> read = send(() -> client.asyncGets(lease.memcachedKey(), bytes));
    read.addListener(answered -> deleteIfOurs(lease, read));
  }

  private void deleteIfOurs(Lease lease, OperationFuture<CASValue<byte[]>> read) {
    try {
      CASValue<byte[]> current = read.get(0, TimeUnit.MILLISECONDS); // answered already
      if (current == null || !Arrays.equals(current.getValue(), lease.token())) {
        count("leasesNotOurs"); // expired, and maybe another JVM's now
        return;
      }
      OperationFuture<Boolean> deleted = client.delete(lease.memcachedKey(), current.getCas());
      deleted.addListener(answered -> {
        OperationStatus status = deleted.getStatus();
        count(status != null && status.isSuccess() ? "leasesReleased" : "leasesNotOurs");
      });
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      count("errors"); // it expires on its own
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One multi-get of the lease keys, at most the timeout: a lease key that is gone was released,
   * or expired with its holder. Only which keys answered is used, never what they hold. Asked
   * from the cache's fleet-waits thread, never from a request's.
   */
  @Override
  public Set<String> leasesHeld(Collection<String> keys) {
    String prefix = prefix();
    Map<String, String> byLeaseKey = new HashMap<>();
    for (String key : keys) {
      byLeaseKey.put(leaseKey(prefix, key), key);
    }
    count("leaseChecks");
    Map<String, byte[]> found = call(() -> client.asyncGetBulk(byLeaseKey.keySet(), bytes), timeoutMillis);
    Set<String> held = new HashSet<>();
    for (String leaseKey : found.keySet()) {
      String key = byLeaseKey.get(leaseKey);
      if (key != null) {
        held.add(key);
      }
    }
    return held;
  }

  /** A lease this JVM added: its memcached key, and the token it holds there. */
  private record Lease(String memcachedKey, byte[] token) {}

  boolean answeredAtStartUp() {
    return answeredAtStartUp;
  }

  /** {@inheritDoc} On this store's connections and circuit breaker. */
  @Override
  public PurgeLog purgeLog() {
    return purgeLog;
  }

  /** {@inheritDoc} memcached's, once {@link #follow} has read it; this JVM's until then. */
  @Override
  public InstantSource clock() {
    MemcachedClock fleet = fleetClock;
    return fleet != null ? fleet : clock;
  }

  @Override
  public Duration syncInterval() {
    return settings.syncInterval();
  }

  /**
   * {@inheritDoc} The probe reads the namespace version, through the circuit breaker: when the
   * breaker's cool-down is over, the probe is the call that closes it again.
   */
  @Override
  public SharedStoreHealth health() {
    boolean reachable;
    try {
      call(() -> client.asyncGet(versionKey, bytes), timeoutMillis);
      reachable = true;
    } catch (SharedLayerUnavailable e) {
      reachable = false;
    }
    String state = switch (breaker.state()) {
      case CLOSED -> "closed";
      case OPEN -> "open";
      case HALF_OPEN -> "half-open";
    };
    return new SharedStoreHealth(reachable && breaker.state() == CircuitBreaker.State.CLOSED, state,
        settings.serverList());
  }

  long timeoutMillis() {
    return timeoutMillis;
  }

  /**
   * {@return each server's clock ({@code time} stat, epoch seconds), for {@link MemcachedClock};
   * empty while the breaker is open} Blocks up to the client's operation timeout: call it off
   * request threads.
   */
  public List<Long> serverTimes() {
    if (breaker.state() != CircuitBreaker.State.CLOSED) {
      return List.of();
    }
    return MemcachedClock.serverTimes(client.getStats());
  }

  /**
   * Sets a clock by this store's servers from now on; the clock is reported in the stats, and closed
   * with the store.
   *
   * @param clock the clock to set, usually the one this store was connected with
   */
  public void follow(MemcachedClock clock) {
    this.fleetClock = clock;
    clock.follow(this::serverTimes);
  }

  @Override
  public void remove(String key) {
    String memcachedKey = key(prefix(), key);
    call(() -> client.delete(memcachedKey), timeoutMillis);
  }

  /** Purges everything for every JVM at once: all keys carry the namespace version, which this bumps. */
  @Override
  public void clear() {
    Long version = call(() -> client.asyncIncr(versionKey, 1, 1, 0), timeoutMillis);
    if (version != null && version >= 0) {
      namespaceVersion.set(version);
    }
  }

  @Override
  public StoreStats stats() {
    Map<String, Long> values = new LinkedHashMap<>();
    counters.forEach((name, adder) -> values.put(name, adder.sum()));
    values.put("breakerOpen", breaker.state() == CircuitBreaker.State.CLOSED ? 0L : 1L);
    values.put("breakerOpenings", breaker.openings());
    if (fleetClock != null) {
      values.put("clockOffsetMillis", fleetClock.offsetMillis());
    }
    return StoreStats.ofSharedLayer(values);
  }

  @Override
  public void close() {
    if (fleetClock != null) {
      fleetClock.close();
    }
    namespaceVersion.close();
    try {
      client.shutdown(DaemonThreads.STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // Seen with a server that refuses connections: spymemcached's IO thread closes a channel
      // while shutdown closes the selector, and the JDK throws a NullPointerException from
      // AbstractSelectableChannel.removeKey. The IO thread stops either way (shutdown clears its
      // running flag in a finally); the transcoder pool the exception skipped must stop too.
      LOG.log(Level.DEBUG, "pagecache: memcached client shutdown raced its IO thread", e);
      client.getTranscoderService().shutdown();
    } finally {
      // shutdown() only tells the IO thread to stop: the container looks for it right after this.
      DaemonThreads.join(client.getConnection());
      callbackThreads.stopOrderly(callbacks);
    }
  }

  /** The memcached key an entry is stored under (for tests that tamper with it). */
  String memcachedKey(String cacheKey) {
    return key(prefix(), cacheKey);
  }

  /** The memcached key of a lease (for tests that let it expire). */
  String memcachedLeaseKey(String cacheKey) {
    return leaseKey(prefix(), cacheKey);
  }

  /** The memcached key of one chunk (for tests that tamper with it). */
  String memcachedChunkKey(String cacheKey, long generation, int index) {
    return chunkKey(prefix(), cacheKey, generation, index);
  }

  /**
   * What every key of this namespace, format and namespace version starts with. The format
   * version is in it so that JVMs of two releases side by side (a rolling upgrade) never read each
   * other's values: each just misses.
   *
   * @throws SharedLayerUnavailable while the namespace version has not been read
   */
  private String prefix() {
    OptionalLong version = namespaceVersion.current();
    if (version.isEmpty()) {
      count("versionUnknown");
      throw new SharedLayerUnavailable("namespace version not read yet");
    }
    return settings.namespace() + ":v" + PageCodec.VERSION + ":" + version.getAsLong() + ":";
  }

  private static String key(String prefix, String cacheKey) {
    return SafeKeys.of(prefix, cacheKey);
  }

  private static String chunkKey(String prefix, String cacheKey, long generation, int index) {
    return key(prefix, cacheKey + "\nchunk:" + Long.toHexString(generation) + ":" + index);
  }

  private static String leaseKey(String prefix, String cacheKey) {
    return key(prefix, cacheKey + "\nlease");
  }

  /** Relative seconds up to 30 days, an absolute Unix time beyond (memcached's rule); 0 when already due. */
  private int expiry(java.time.Instant evictableAt) {
    long seconds = Duration.between(clock.instant(), evictableAt).getSeconds();
    if (seconds <= 0) {
      return 0;
    }
    return seconds <= MAX_RELATIVE_EXPIRY ? (int) seconds : (int) Math.min(Integer.MAX_VALUE, evictableAt.getEpochSecond());
  }

  /** Sends a call and waits for it, at most {@code timeout}; while the breaker is open, sends nothing. */
  <T> T call(Supplier<? extends Future<T>> send, long timeout) {
    if (!breaker.allows()) {
      count("skippedOpenBreaker");
      throw new SharedLayerUnavailable("circuit breaker open");
    }
    Future<T> future;
    try {
      future = send.get();
    } catch (RuntimeException e) {
      count("errors");
      breaker.recordFailure();
      throw new SharedLayerUnavailable(String.valueOf(e));
    }
    return await(future, timeout);
  }

  /**
   * Sends a call without waiting for it here; unless the breaker is closed, sends nothing. It does
   * not ask the breaker for its probe: a call whose outcome the breaker never hears of would hold
   * the probe for a whole cool-down.
   */
  <F extends Future<?>> F send(Supplier<F> send) {
    if (breaker.state() != CircuitBreaker.State.CLOSED) {
      count("skippedOpenBreaker");
      throw new SharedLayerUnavailable("circuit breaker open");
    }
    try {
      return send.get();
    } catch (RuntimeException e) {
      count("errors");
      throw new SharedLayerUnavailable(String.valueOf(e));
    }
  }

  private <T> T await(Future<T> future, long timeout) {
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
