package dev.pagecache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the pages users name hot: renders them when the application starts and again shortly
 * before they expire, with jitter, so the most expensive pages are never cold. A render is an
 * ordinary request to this server over loopback, marked with a per-filter token so the filter
 * renders and stores it even while a fresh copy exists; the client's Host is sent along, so the
 * page lands under the key real requests use. A failing refresh keeps the old copy and backs off.
 */
final class Warmer implements AutoCloseable {
  static final String TOKEN_HEADER = "X-Pagecache-Refresh";
  private static final Logger LOG = System.getLogger(PageCacheFilter.class.getName());
  private static final Duration MIN_DELAY = Duration.ofSeconds(1);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private final String token = Long.toHexString(ThreadLocalRandom.current().nextLong())
      + Long.toHexString(ThreadLocalRandom.current().nextLong());
  private final InstantSource clock;
  private final ScheduledExecutorService scheduler;
  private final Set<String> paths = ConcurrentHashMap.newKeySet();
  private final Map<String, Duration> backoff = new ConcurrentHashMap<>();
  private volatile Target target;

  /** Where this server answers and what Host its clients use. */
  record Target(String address, int port, String hostHeader, String contextPath) {}

  Warmer(InstantSource clock) {
    this.clock = clock;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "pagecache-warmer");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Whether any path is kept warm; without one, no request needs looking at for a token. */
  boolean warming() {
    return !paths.isEmpty();
  }

  boolean isRefresh(String headerValue) {
    return token.equals(headerValue);
  }

  /** Adds a path (inside the application) to keep warm; renders it as soon as the server is known. */
  void keepWarm(String path) {
    if (paths.add(path) && target != null) {
      schedule(path, Duration.ZERO);
    }
  }

  /** Learns, from the first request, how to reach this server; then warms every path. */
  void learn(Target learned) {
    if (target == null && !paths.isEmpty()) {
      synchronized (this) {
        if (target != null) {
          return;
        }
        target = learned;
      }
      for (String path : paths) {
        schedule(path, Duration.ZERO);
      }
    }
  }

  /** Whether warm paths wait for {@link #learn}: false once learned, and false with nothing to warm. */
  boolean needsServer() {
    return target == null && !paths.isEmpty();
  }

  /** After a warm path was stored, refresh it a little before it expires. */
  void stored(String path, Instant storedAt, Instant expiresAt) {
    if (!paths.contains(path)) {
      return;
    }
    backoff.remove(path);
    Duration lifetime = Duration.between(storedAt, expiresAt);
    // Lead by a tenth of the lifetime plus up to another twentieth, so a fleet's refreshes spread out.
    long leadMillis = lifetime.toMillis() / 10 + ThreadLocalRandom.current().nextLong(Math.max(1, lifetime.toMillis() / 20));
    Duration delay = Duration.between(clock.instant(), expiresAt).minusMillis(leadMillis);
    schedule(path, delay.compareTo(MIN_DELAY) < 0 ? MIN_DELAY : delay);
  }

  private void schedule(String path, Duration delay) {
    if (scheduler.isShutdown()) {
      return;
    }
    scheduler.schedule(() -> render(path), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void render(String path) {
    Target to = target;
    int status;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(to.address(), to.port()), (int) CONNECT_TIMEOUT.toMillis());
      socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + to.contextPath() + path + " HTTP/1.1\r\nHost: " + to.hostHeader() + "\r\n"
          + TOKEN_HEADER + ": " + token + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      status = statusOf(in);
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException | RuntimeException e) {
      status = -1;
      LOG.log(Level.DEBUG, () -> "pagecache: warming " + path + " failed", e);
    }
    if (status < 200 || status >= 400) {
      // The old copy (if any) stays; try again later, less often each time.
      Duration next = backoff.merge(path, MIN_DELAY.multipliedBy(5), (old, base) -> {
        Duration doubled = old.multipliedBy(2);
        return doubled.compareTo(Duration.ofMinutes(10)) > 0 ? Duration.ofMinutes(10) : doubled;
      });
      schedule(path, next);
    }
  }

  private static int statusOf(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
      line.append((char) c);
    }
    String[] parts = line.toString().split(" ");
    return parts.length > 1 ? Integer.parseInt(parts[1].trim()) : -1;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
