package dev.pagecache;

import dev.pagecache.internal.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the pages users name hot: renders them when the application starts and again shortly
 * before they expire, with jitter, so the most expensive pages are never cold. A render is an
 * ordinary request to this server over loopback, marked with a secret per-filter token so the
 * filter renders and stores it even while a fresh copy exists. It names the site by the configured
 * base URL (its {@code Host}, and the scheme, host and port of the key the page is stored under),
 * never by anything a client sent. A failing refresh keeps the old copy and backs off.
 *
 * <p>Each page has one schedule: every store of it, by a warm render or by a client's miss,
 * replaces the pending refresh rather than adding one.
 */
final class Warmer implements AutoCloseable {
  static final String TOKEN_HEADER = "X-Pagecache-Refresh";
  /** The site a refresh after a purge is stored under: that of the page it replaces. Trusted only with the token. */
  static final String SITE_HEADER = "X-Pagecache-Refresh-Site";
  /** Marks a refresh after a purge (not a refresh ahead of expiry). Trusted only with the token. */
  static final String AFTER_PURGE_HEADER = "X-Pagecache-Refresh-After-Purge";
  /** Refreshes after a purge run at most this many at once, and at most {@link #REFRESH_QUEUE} wait. */
  static final int REFRESH_THREADS = 2;
  static final int REFRESH_QUEUE = 1000;
  private static final Logger LOG = System.getLogger(PageCacheFilter.class.getName());
  private static final Duration MIN_DELAY = Duration.ofSeconds(1);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  /** Renders one path; answers the status, or -1 when there was no answer. */
  @FunctionalInterface
  interface Render {
    int render(Target target, String path, String token);
  }

  /** Where this server answers (learned from the socket a request came in on) and the site it serves. */
  record Target(String address, int port, URI site, String contextPath, boolean afterPurge) {
    Target(String address, int port, URI site, String contextPath) {
      this(address, port, site, contextPath, false);
    }
  }

  private final byte[] token;
  private final String tokenText;
  private final InstantSource clock;
  private final ScheduledExecutorService scheduler;
  /** The scheduler's threads; none are known when a test brings its own scheduler. */
  private DaemonThreads schedulerThreads = new DaemonThreads("pagecache-warmer");
  private final DaemonThreads refreshThreads = new DaemonThreads("pagecache-refresh");
  private final Render renderer;
  private final Optional<URI> site;
  private final Set<String> paths = ConcurrentHashMap.newKeySet();
  /** The one pending render of each path. */
  private final Map<String, ScheduledFuture<?>> schedules = new ConcurrentHashMap<>();
  private final Map<String, Duration> backoff = new ConcurrentHashMap<>();
  private volatile Target target;
  private volatile boolean refreshesAfterPurges;
  private final java.util.concurrent.ThreadPoolExecutor refresher;
  /** Pages queued for a refresh after a purge, so that one queued twice renders once. */
  private final Set<String> queuedRefreshes = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.LongAdder refreshesQueued = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder refreshesDropped = new java.util.concurrent.atomic.LongAdder();

  /** @param site the base URL clients use, e.g. {@code https://www.example.com}; empty if none is configured */
  Warmer(InstantSource clock, Optional<URI> site) {
    this(clock, site, new DaemonThreads("pagecache-warmer"));
  }

  private Warmer(InstantSource clock, Optional<URI> site, DaemonThreads schedulerThreads) {
    this(clock, site, Executors.newSingleThreadScheduledExecutor(schedulerThreads), Warmer::overLoopback);
    this.schedulerThreads = schedulerThreads;
  }

  Warmer(InstantSource clock, Optional<URI> site, ScheduledExecutorService scheduler, Render renderer) {
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    this.tokenText = HexFormat.of().formatHex(secret);
    this.token = tokenText.getBytes(StandardCharsets.US_ASCII);
    this.clock = clock;
    this.site = site;
    this.scheduler = scheduler;
    this.renderer = renderer;
    this.refresher = new java.util.concurrent.ThreadPoolExecutor(REFRESH_THREADS, REFRESH_THREADS, 30, TimeUnit.SECONDS,
        new java.util.concurrent.ArrayBlockingQueue<>(REFRESH_QUEUE), refreshThreads);
    refresher.allowCoreThreadTimeOut(true);
  }

  /** Pages of rules with {@code refreshOnPurge} will be refreshed: the server's address must be learned. */
  void refreshAfterPurges() {
    refreshesAfterPurges = true;
  }

  /**
   * Renders a page again in the background, at once, after a purge stopped it: under its own site
   * (scheme, host and port of the key it was stored under). At most {@link #REFRESH_THREADS} at a
   * time; when {@link #REFRESH_QUEUE} wait already, it is dropped (the next visitor renders it).
   */
  void refreshNow(URI site, String pathAndQuery) {
    Target to = target;
    if (to == null || !queuedRefreshes.add(site + pathAndQuery)) {
      return;
    }
    try {
      refresher.execute(() -> {
        queuedRefreshes.remove(site + pathAndQuery);
        renderer.render(new Target(to.address(), to.port(), site, to.contextPath(), true), pathAndQuery, tokenText);
      });
      refreshesQueued.increment();
    } catch (java.util.concurrent.RejectedExecutionException full) {
      queuedRefreshes.remove(site + pathAndQuery);
      refreshesDropped.increment();
    }
  }

  long refreshesQueued() {
    return refreshesQueued.sum();
  }

  long refreshesDropped() {
    return refreshesDropped.sum();
  }

  /**
   * The site a render with this filter's token is stored under: the refreshed page's own (from
   * {@link #SITE_HEADER}, which only a request with the token may set), else the configured one.
   */
  URI siteOf(String siteHeader) {
    if (siteHeader != null) {
      try {
        URI named = URI.create(siteHeader);
        if (named.getScheme() != null && named.getHost() != null) {
          return named;
        }
      } catch (IllegalArgumentException malformed) {
        // fall back to the configured site
      }
    }
    return site.orElseThrow(() -> new IllegalStateException("a render with the token but no site"));
  }

  /** Whether any path is kept warm; without one, no request needs looking at for a token. */
  boolean warming() {
    return !paths.isEmpty() || refreshesAfterPurges;
  }

  /** Whether a request carries this filter's token; compared in constant time. */
  boolean isRefresh(String headerValue) {
    return headerValue != null
        && MessageDigest.isEqual(token, headerValue.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The base URL warm renders are stored under. */
  Optional<URI> site() {
    return site;
  }

  /** Adds a path (inside the application) to keep warm; renders it as soon as the server is known. */
  void keepWarm(String path) {
    if (site.isEmpty()) {
      throw new IllegalStateException("keeping " + path + " warm needs the base URL clients use: set "
          + PageCacheConfig.WARM_BASE_URL_PARAM + " (or PageCacheConfig.Builder.warmBaseUrl)");
    }
    if (paths.add(path) && target != null) {
      schedule(path, Duration.ZERO);
    }
  }

  /** Learns, from a request's socket, how to reach this server; then warms every path. */
  void learn(String localAddress, int localPort, String contextPath) {
    if (target != null || !warming()) {
      return;
    }
    synchronized (this) {
      if (target != null) {
        return;
      }
      target = new Target(localAddress, localPort, site.orElse(null), contextPath);
    }
    for (String path : paths) {
      schedule(path, Duration.ZERO);
    }
  }

  /** Whether warm paths wait for {@link #learn}: false once learned, and false with nothing to warm. */
  boolean needsServer() {
    return target == null && warming();
  }

  /** After a warm path was stored (by anyone), refresh it a little before it expires. */
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

  /** Replaces the path's pending render, if any, with one after {@code delay}. */
  private void schedule(String path, Duration delay) {
    if (scheduler.isShutdown()) {
      return;
    }
    schedules.compute(path, (p, pending) -> {
      if (pending != null) {
        pending.cancel(false);
      }
      return scheduler.schedule(() -> render(path), delay.toMillis(), TimeUnit.MILLISECONDS);
    });
  }

  /** The number of renders waiting to run, for tests. */
  int pending() {
    return (int) schedules.values().stream().filter(future -> !future.isDone()).count();
  }

  private void render(String path) {
    int status = renderer.render(target, path, tokenText);
    if (status < 200 || status >= 400) {
      // The old copy (if any) stays; try again later, less often each time.
      Duration next = backoff.merge(path, MIN_DELAY.multipliedBy(5), (old, base) -> {
        Duration doubled = old.multipliedBy(2);
        return doubled.compareTo(Duration.ofMinutes(10)) > 0 ? Duration.ofMinutes(10) : doubled;
      });
      schedule(path, next);
    }
  }

  /** A plain HTTP/1.1 request to this server's own socket, with the site's Host. */
  private static int overLoopback(Target to, String path, String token) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(to.address(), to.port()), (int) CONNECT_TIMEOUT.toMillis());
      socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      URI site = to.site();
      out.write(("GET " + to.contextPath() + path + " HTTP/1.1\r\nHost: " + site.getRawAuthority() + "\r\n"
          + TOKEN_HEADER + ": " + token + "\r\n"
          + SITE_HEADER + ": " + site.getScheme() + "://" + site.getRawAuthority() + "\r\n"
          + (to.afterPurge() ? AFTER_PURGE_HEADER + ": 1\r\n" : "")
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      int status = statusOf(in);
      in.transferTo(OutputStream.nullOutputStream());
      return status;
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, () -> "pagecache: warming " + path + " failed", e);
      return -1;
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

  /** Returns once its threads have ended (or after a few seconds): a container looks for them next. */
  @Override
  public void close() {
    schedulerThreads.stopNow(scheduler);
    refreshThreads.stopNow(refresher);
  }
}
