package dev.pagecache.bench;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.PageCacheStats;
import dev.pagecache.rules.CacheRule;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ask: lookup + write of a 20 KB page by {@link PageCacheFilter}, against the same
 * servlet writing the same bytes with no filter, both inside one embedded Jetty 12 (ee10) and
 * driven through its in-memory {@link LocalConnector} on a keep-alive connection.
 *
 * <ul>
 *   <li>{@code baseline*}: {@code /raw/...}, a servlet that sets {@code Content-Type} and
 *       {@code Content-Length} and writes a constant 20,480-byte {@code byte[]}; no filter is mapped there.</li>
 *   <li>{@code pagecache*}: {@code /cached/...}, the same servlet behind the filter with a rule
 *       that caches it; warmed before measuring, so every request is a hit. Setup fails unless the
 *       responses say {@code Cache-Status: pagecache; hit}, and every iteration fails if the
 *       filter counted a miss during it.</li>
 *   <li>{@code pagecacheNotModified}: a hit answered 304 ({@code If-None-Match} with the page's ETag).</li>
 *   <li>{@code *Head}: {@code HEAD}; the baseline is the servlet's default {@code doHead}.</li>
 * </ul>
 *
 * <p>Each operation is one request and its whole response. Per-hit cost = difference of average
 * times ({@code -bm avgt -tu us}); ratio = pagecache ops/s over baseline ops/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Threads(1)
public class HitPathBenchmark {
  static final String RAW_TARGET = "/raw/articles/2026/11/how-we-cache-whole-pages";
  static final String CACHED_TARGET = "/cached/articles/2026/11/how-we-cache-whole-pages";
  static final String HIT = "pagecache; hit";

  private Server server;
  private LocalConnector connector;
  private PageCacheFilter filter;
  private long missesAtStart;

  ByteBuffer rawGet;
  ByteBuffer rawHead;
  ByteBuffer cachedGet;
  ByteBuffer cachedHead;
  ByteBuffer cachedNotModified;

  /** A keep-alive connection per benchmark thread. */
  @State(Scope.Thread)
  public static class Connection {
    LocalExchange exchange;

    @Setup(Level.Trial)
    public void open(HitPathBenchmark jetty) {
      exchange = new LocalExchange(jetty.connector);
    }

    @TearDown(Level.Trial)
    public void close() {
      exchange.close();
    }
  }

  @Setup(Level.Trial)
  public void start() throws Exception {
    byte[] body = Pages.html(Pages.BODY_LENGTH);
    server = new Server();
    connector = new LocalConnector(server);
    connector.setIdleTimeout(TimeUnit.MINUTES.toMillis(10));
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
    context.addServlet(new ServletHolder("raw", new ConstantPageServlet(body)), "/raw/*");
    context.addServlet(new ServletHolder("cached", new ConstantPageServlet(body)), "/cached/*");
    filter = new PageCacheFilter(PageCacheConfig.builder()
        .rule(CacheRule.forPath("/cached/*").ttl(Duration.ofDays(1)).build())
        .maxCacheBytes(64L << 20)
        .build());
    context.addFilter(new FilterHolder(filter), "/cached/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();

    rawGet = LocalExchange.request("GET", RAW_TARGET);
    rawHead = LocalExchange.request("HEAD", RAW_TARGET);
    cachedGet = LocalExchange.request("GET", CACHED_TARGET);
    cachedHead = LocalExchange.request("HEAD", CACHED_TARGET);
    try {
      warmAndCheck();
    } catch (Exception | Error e) {
      server.stop(); // or the forked JVM waits on Jetty's threads
      throw e;
    }
  }

  /** Fills the cache, then proves each request kind is answered as the benchmark claims. */
  private void warmAndCheck() throws Exception {
    LocalExchange client = new LocalExchange(connector);
    try {
      LocalExchange.Response raw = client.fetch(rawGet, false);
      require(raw.status() == 200 && raw.bodyLength() == Pages.BODY_LENGTH && raw.header("Cache-Status").isEmpty(),
          "baseline GET", raw);
      LocalExchange.Response rawHeadResponse = client.fetch(rawHead, true);
      require(rawHeadResponse.status() == 200 && rawHeadResponse.bodyLength() == 0, "baseline HEAD", rawHeadResponse);

      LocalExchange.Response first = client.fetch(cachedGet, false);
      require(first.status() == 200 && first.header("Cache-Status").orElse("").startsWith("pagecache; fwd=uri-miss"),
          "first pagecache GET (a miss)", first);
      LocalExchange.Response hit = client.fetch(cachedGet, false);
      require(hit.status() == 200 && hit.bodyLength() == Pages.BODY_LENGTH
          && hit.header("Cache-Status").equals(java.util.Optional.of(HIT)), "pagecache GET", hit);
      String etag = hit.header("ETag").orElseThrow(() -> new IllegalStateException("hit without ETag:\n" + hit));
      cachedNotModified = LocalExchange.request("GET", CACHED_TARGET, "If-None-Match: " + etag);

      LocalExchange.Response headHit = client.fetch(cachedHead, true);
      require(headHit.status() == 200 && headHit.bodyLength() == 0
          && headHit.header("Cache-Status").equals(java.util.Optional.of(HIT)), "pagecache HEAD", headHit);
      LocalExchange.Response notModified = client.fetch(cachedNotModified, false);
      require(notModified.status() == 304 && notModified.bodyLength() == 0
          && notModified.header("Cache-Status").equals(java.util.Optional.of(HIT)), "pagecache 304", notModified);
    } finally {
      client.close();
    }
    missesAtStart = stats().misses();
  }

  /** Every request measured on /cached must have been a hit. */
  @TearDown(Level.Iteration)
  public void checkNoMisses() {
    long misses = stats().misses() - missesAtStart;
    if (misses != 0) {
      throw new IllegalStateException(misses + " pagecache misses during the iteration: not a hit-path measurement");
    }
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    System.out.println("\n# pagecache stats at the end of the trial: " + stats().toJson());
    server.stop();
  }

  private PageCacheStats stats() {
    PageCache cache = filter.pageCache().orElseThrow(() -> new IllegalStateException("filter not started"));
    return cache.stats();
  }

  private static void require(boolean ok, String what, LocalExchange.Response response) {
    if (!ok) {
      throw new IllegalStateException(what + " is not what this benchmark measures; got:\n" + response);
    }
  }

  @Benchmark
  public int baselineGet(Connection connection) throws Exception {
    return connection.exchange.exchange(rawGet, false);
  }

  @Benchmark
  public int pagecacheGet(Connection connection) throws Exception {
    return connection.exchange.exchange(cachedGet, false);
  }

  @Benchmark
  public int baselineHead(Connection connection) throws Exception {
    return connection.exchange.exchange(rawHead, true);
  }

  @Benchmark
  public int pagecacheHead(Connection connection) throws Exception {
    return connection.exchange.exchange(cachedHead, true);
  }

  @Benchmark
  public int pagecacheNotModified(Connection connection) throws Exception {
    return connection.exchange.exchange(cachedNotModified, false);
  }

  /** What a plain application does: set the type and length, write a constant array. */
  static final class ConstantPageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient byte[] body;

    ConstantPageServlet(byte[] body) {
      this.body = body;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      response.setContentType(Pages.CONTENT_TYPE);
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }
  }
}
