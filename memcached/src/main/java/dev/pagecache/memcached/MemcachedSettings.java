package dev.pagecache.memcached;

import dev.pagecache.store.SharedStore;
import dev.pagecache.store.SharedStoreSettings;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the shared memcached layer. Build with {@link #servers(String)}; every setter checks
 * its value and names the problem. Give them to {@code PageCacheConfig.Builder.sharedStore}.
 *
 * @param servers the cluster, in the order given; keys are spread over it by consistent hashing
 * @param timeout the longest a request waits for one memcached call before treating it as a miss
 * @param itemSize the largest value one memcached item holds (the server's {@code -I}, default 1 MiB)
 * @param compressionThreshold bodies of at least this many bytes are deflated when that saves space
 * @param namespace prefix of every key, so several applications can share a cluster
 * @param secret when present, entries are signed with it and unsigned or foreign entries refused
 * @param breakerFailures consecutive failures that open the circuit breaker
 * @param breakerCoolDown how long an open breaker skips memcached before it probes again
 * @param chunkLargePages whether pages larger than one item are split into chunks, or kept in JVM memory only
 * @param syncInterval a purge anywhere in the fleet stops every JVM's memory copies within this time
 */
public record MemcachedSettings(
    List<InetSocketAddress> servers,
    Duration timeout,
    int itemSize,
    int compressionThreshold,
    String namespace,
    Optional<String> secret,
    int breakerFailures,
    Duration breakerCoolDown,
    boolean chunkLargePages,
    Duration syncInterval) implements SharedStoreSettings {

  /** {@value} ms: well under the cost of a render, well over a loopback or LAN round trip. */
  public static final long DEFAULT_TIMEOUT_MILLIS = 50;
  /** memcached's own default item size: {@value} bytes. */
  public static final int DEFAULT_ITEM_SIZE = 1024 * 1024;
  /** The smallest item size accepted: {@value} bytes. */
  public static final int MIN_ITEM_SIZE = 64 * 1024;
  /** {@value} bytes: below this, deflate saves too little to pay for its CPU (see the README's measurement). */
  public static final int DEFAULT_COMPRESSION_THRESHOLD = 4096;
  /** Key prefix unless one is given: {@value}. Applications that share a cluster each need their own. */
  public static final String DEFAULT_NAMESPACE = "pagecache";
  /** Consecutive failures that open the circuit breaker by default: {@value}. */
  public static final int DEFAULT_BREAKER_FAILURES = 5;
  /** How long an open breaker skips memcached by default: 5 seconds. */
  public static final Duration DEFAULT_BREAKER_COOL_DOWN = Duration.ofSeconds(5);
  /** How often each JVM reads the fleet's purge log by default: every second. */
  public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(1);
  /** Shorter would have every JVM read the purge log more often than memcached answers under load. */
  public static final Duration MIN_SYNC_INTERVAL = Duration.ofMillis(100);

  /**
   * Checks every setting, so that unusable settings fail at start-up with a message that names them.
   *
   * @param servers at least one; copied
   * @param timeout positive
   * @param itemSize at least {@link #MIN_ITEM_SIZE} bytes
   * @param compressionThreshold bytes, 0 or more
   * @param namespace 1 to 40 visible ASCII characters
   * @param secret when present, at least 16 bytes in UTF-8
   * @param breakerFailures at least 1
   * @param breakerCoolDown how long an open breaker skips memcached
   * @param chunkLargePages whether pages larger than one item are split into chunks
   * @param syncInterval at least {@link #MIN_SYNC_INTERVAL}
   * @throws IllegalArgumentException naming the first setting that is not usable
   */
  public MemcachedSettings {
    servers = List.copyOf(servers);
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(breakerCoolDown, "breakerCoolDown");
    Objects.requireNonNull(syncInterval, "syncInterval");
    if (syncInterval.compareTo(MIN_SYNC_INTERVAL) < 0) {
      throw new IllegalArgumentException("memcached syncInterval must be at least " + MIN_SYNC_INTERVAL.toMillis()
          + " ms, was " + syncInterval.toMillis() + " ms");
    }
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("memcached servers: none given");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("memcached timeout must be positive, was " + timeout);
    }
    if (itemSize < MIN_ITEM_SIZE) {
      throw new IllegalArgumentException("memcached itemSize must be at least 64KiB, was " + itemSize);
    }
    if (compressionThreshold < 0) {
      throw new IllegalArgumentException("memcached compressionThreshold may not be negative");
    }
    if (namespace.isEmpty() || namespace.length() > 40 || !namespace.chars().allMatch(c -> c > ' ' && c < 127)) {
      throw new IllegalArgumentException("memcached namespace must be 1-40 visible ASCII characters, was '" + namespace + "'");
    }
    if (breakerFailures < 1) {
      throw new IllegalArgumentException("memcached breakerFailures must be at least 1");
    }
    if (secret.isPresent() && secret.get().getBytes(StandardCharsets.UTF_8).length < 16) {
      throw new IllegalArgumentException("memcached secret must be at least 16 bytes");
    }
  }

  /**
   * Settings with every default, for a cluster.
   *
   * @param serverList {@code host:port[,host:port...]}; IPv6 hosts in brackets
   * @return the settings, to change further with the {@code with...} methods
   * @throws IllegalArgumentException if the list cannot be read (see {@link #parseServers(String)})
   */
  public static MemcachedSettings servers(String serverList) {
    return new MemcachedSettings(parseServers(serverList), Duration.ofMillis(DEFAULT_TIMEOUT_MILLIS),
        DEFAULT_ITEM_SIZE, DEFAULT_COMPRESSION_THRESHOLD, DEFAULT_NAMESPACE, Optional.empty(),
        DEFAULT_BREAKER_FAILURES, DEFAULT_BREAKER_COOL_DOWN, true, DEFAULT_SYNC_INTERVAL);
  }

  /**
   * The longest a request waits for one memcached call before treating it as a miss.
   *
   * @param value positive; default {@value #DEFAULT_TIMEOUT_MILLIS} ms
   * @return a copy with that setting changed; the others as they are
   * @throws IllegalArgumentException if the value is not usable
   */
  public MemcachedSettings withTimeout(Duration value) {
    return new MemcachedSettings(servers, value, itemSize, compressionThreshold, namespace, secret,
        breakerFailures, breakerCoolDown, chunkLargePages, syncInterval);
  }

  /**
   * The largest value one memcached item holds: the servers' {@code -I}.
   *
   * @param value bytes, at least {@link #MIN_ITEM_SIZE}; default {@value #DEFAULT_ITEM_SIZE}
   * @return a copy with that setting changed; the others as they are
   * @throws IllegalArgumentException if the value is not usable
   */
  public MemcachedSettings withItemSize(int value) {
    return new MemcachedSettings(servers, timeout, value, compressionThreshold, namespace, secret,
        breakerFailures, breakerCoolDown, chunkLargePages, syncInterval);
  }

  /**
   * Bodies of at least this size are deflated when that saves space.
   *
   * @param value bytes, 0 or more; default {@value #DEFAULT_COMPRESSION_THRESHOLD}
   * @return a copy with that setting changed; the others as they are
   * @throws IllegalArgumentException if the value is not usable
   */
  public MemcachedSettings withCompressionThreshold(int value) {
    return new MemcachedSettings(servers, timeout, itemSize, value, namespace, secret,
        breakerFailures, breakerCoolDown, chunkLargePages, syncInterval);
  }

  /**
   * The prefix of every key, so several applications can share a cluster.
   *
   * @param value 1 to 40 visible ASCII characters; default {@value #DEFAULT_NAMESPACE}
   * @return a copy with that setting changed; the others as they are
   * @throws IllegalArgumentException if the value is not usable
   */
  public MemcachedSettings withNamespace(String value) {
    return new MemcachedSettings(servers, timeout, itemSize, compressionThreshold, value, secret,
        breakerFailures, breakerCoolDown, chunkLargePages, syncInterval);
  }

  /**
   * Signs every entry with a secret the fleet shares, and refuses entries not signed with it, so
   * that whoever can write to memcached can neither plant pages nor move them to other URLs.
   *
   * @param value at least 16 bytes in UTF-8; the same on every JVM of the fleet
   * @return a copy with that setting changed; the others as they are
   * @throws IllegalArgumentException if the value is not usable
   */
  public MemcachedSettings withSecret(String value) {
    return new MemcachedSettings(servers, timeout, itemSize, compressionThreshold, namespace,
        Optional.of(value), breakerFailures, breakerCoolDown, chunkLargePages, syncInterval);
  }

  /**
   * When the circuit breaker opens, and for how long it then skips memcached.
   *
   * @param failures consecutive failures that open it, at least 1; default {@value #DEFAULT_BREAKER_FAILURES}
   * @param coolDown how long it stays open before a probe call; default {@link #DEFAULT_BREAKER_COOL_DOWN}
   * @return a copy with that setting changed; the others as they are
   * @throws IllegalArgumentException if the value is not usable
   */
  public MemcachedSettings withBreaker(int failures, Duration coolDown) {
    return new MemcachedSettings(servers, timeout, itemSize, compressionThreshold, namespace, secret,
        failures, coolDown, chunkLargePages, syncInterval);
  }

  /**
   * Whether pages larger than one item are split into chunks in memcached.
   *
   * @param value {@code false} keeps such pages in each JVM's memory only; default {@code true}
   * @return a copy with that setting changed; the others as they are
   */
  public MemcachedSettings withChunkLargePages(boolean value) {
    return new MemcachedSettings(servers, timeout, itemSize, compressionThreshold, namespace, secret,
        breakerFailures, breakerCoolDown, value, syncInterval);
  }

  /**
   * How often each JVM reads the fleet's purge log: a purge anywhere stops every JVM's memory copies
   * within this time.
   *
   * @param value at least {@link #MIN_SYNC_INTERVAL}; default {@link #DEFAULT_SYNC_INTERVAL}
   * @return a copy with that setting changed; the others as they are
   * @throws IllegalArgumentException if the value is not usable
   */
  public MemcachedSettings withSyncInterval(Duration value) {
    return new MemcachedSettings(servers, timeout, itemSize, compressionThreshold, namespace, secret,
        breakerFailures, breakerCoolDown, chunkLargePages, value);
  }

  /**
   * Parses {@code host:port[,host:port...]}; hosts are not resolved here, so an unreachable
   * server does not stop start-up, but a list that cannot be read does.
   *
   * @param serverList {@code host:port[,host:port...]}; IPv6 hosts in brackets ({@code [::1]:11211})
   * @return the addresses, unresolved, in the order given
   * @throws IllegalArgumentException for an empty list, an entry that is not {@code host:port}, or a
   *     port outside 1-65535
   */
  public static List<InetSocketAddress> parseServers(String serverList) {
    if (serverList == null || serverList.isBlank()) {
      throw new IllegalArgumentException("memcached servers: none given (expected host:port[,host:port...])");
    }
    List<InetSocketAddress> servers = new ArrayList<>();
    for (String entry : serverList.split(",")) {
      String server = entry.trim();
      int colon = server.lastIndexOf(':');
      if (colon <= 0 || colon == server.length() - 1) {
        throw new IllegalArgumentException("memcached servers: '" + server + "' is not host:port");
      }
      String host = server.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(server.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("memcached servers: '" + server + "' has no numeric port");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("memcached servers: port " + port + " in '" + server + "' is out of range");
      }
      servers.add(InetSocketAddress.createUnresolved(host, port));
    }
    return servers;
  }

  /**
   * {@inheritDoc} The store reads time from memcached's clock, so that the fleet agrees on expiry
   * however far this JVM's clock is off.
   */
  @Override
  public SharedStore connect(InstantSource ownClock, int largestBodyBytes) {
    MemcachedClock clock = new MemcachedClock(ownClock);
    MemcachedPageStore store = MemcachedPageStore.connect(this, clock, largestBodyBytes);
    store.follow(clock);
    return store;
  }

  /**
   * The servers as a person writes them.
   *
   * @return {@code host:port} of each server, comma-separated, in the order given
   */
  public String serverList() {
    return String.join(", ", servers.stream().map(server -> server.getHostString() + ":" + server.getPort()).toList());
  }

  @Override
  public String toString() {
    return "memcached [" + serverList() + "] timeout=" + timeout.toMillis() + "ms itemSize=" + itemSize
        + " namespace=" + namespace + (secret.isPresent() ? " signed" : "");
  }
}
