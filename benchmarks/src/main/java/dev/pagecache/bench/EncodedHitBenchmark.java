package dev.pagecache.bench;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.PageCacheStats;
import dev.pagecache.rules.CacheRule;
import jakarta.servlet.DispatcherType;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;
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
 * Issue 11's ask for stored encodings: a hit for a gzip (or brotli) client costs what an identity
 * hit costs, and far less than Jetty's {@link GzipHandler} compressing the cached page again on
 * every hit (what users put in front before pagecache stored encodings). One embedded Jetty 12
 * (ee10), its in-memory {@link LocalConnector}, one keep-alive connection per thread, and a 20 KB
 * page of varied prose and links ({@link #variedHtml}) that gzip shrinks about as much as a real
 * article page (to a quarter or so): {@link Pages#html}'s repeated sentence would shrink twentyfold,
 * and flatter GzipHandler, whose cost grows with how hard the text is to compress.
 *
 * <ul>
 *   <li>{@code identityHit}: {@code /stored/...}, the filter with its default rule, a request without
 *       {@code Accept-Encoding}: the identity body.</li>
 *   <li>{@code gzipHit}: the same URL with {@code Accept-Encoding: gzip}: the gzip form made once at store time.</li>
 *   <li>{@code brotliHit}: {@code Accept-Encoding: gzip, deflate, br} (a browser): the brotli form.</li>
 *   <li>{@code gzipHandlerHit}: {@code /recompressed/...}, the filter with compression off
 *       ({@code compressTypes = []}) behind {@code GzipHandler} (its defaults): an identity hit that
 *       Jetty compresses for this gzip client on every request.</li>
 * </ul>
 *
 * <p>Setup checks each request is answered as claimed (a hit, in the claimed coding) and every
 * iteration fails if the filter counted a miss. Ratios are ops/s of one benchmark over another of
 * the same run: {@code gzipHit / identityHit} (the issue asks at least 0.9) and
 * {@code gzipHit / gzipHandlerHit} (at least 20).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Threads(1)
public class EncodedHitBenchmark {
  static final String STORED_TARGET = "/stored/articles/2026/11/how-we-cache-whole-pages";
  static final String RECOMPRESSED_TARGET = "/recompressed/articles/2026/11/how-we-cache-whole-pages";
  static final String BROWSER = "Accept-Encoding: gzip, deflate, br";
  static final String HIT = "pagecache; hit";

  private Server server;
  private LocalConnector connector;
  private PageCacheFilter stored;
  private PageCacheFilter recompressed;
  private long missesAtStart;

  ByteBuffer identityGet;
  ByteBuffer gzipGet;
  ByteBuffer brotliGet;
  ByteBuffer gzipHandlerGet;

  /** A keep-alive connection per benchmark thread. */
  @State(Scope.Thread)
  public static class Connection {
    LocalExchange exchange;

    @Setup(Level.Trial)
    public void open(EncodedHitBenchmark jetty) {
      exchange = new LocalExchange(jetty.connector);
    }

    @TearDown(Level.Trial)
    public void close() {
      exchange.close();
    }
  }

  @Setup(Level.Trial)
  public void start() throws Exception {
    byte[] body = variedHtml(Pages.BODY_LENGTH);
    server = new Server();
    connector = new LocalConnector(server);
    connector.setIdleTimeout(TimeUnit.MINUTES.toMillis(10));
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
    context.addServlet(new ServletHolder("stored", new HitPathBenchmark.ConstantPageServlet(body)), "/stored/*");
    context.addServlet(new ServletHolder("recompressed", new HitPathBenchmark.ConstantPageServlet(body)), "/recompressed/*");
    stored = new PageCacheFilter(PageCacheConfig.builder()
        .rule(CacheRule.forPath("/stored/*").ttl(Duration.ofDays(1)).build())
        .maxCacheBytes(64L << 20)
        .build());
    recompressed = new PageCacheFilter(PageCacheConfig.builder()
        .rule(CacheRule.forPath("/recompressed/*").ttl(Duration.ofDays(1)).compressTypes(List.of()).build())
        .maxCacheBytes(64L << 20)
        .build());
    context.addFilter(new FilterHolder(stored), "/stored/*", EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(new FilterHolder(recompressed), "/recompressed/*", EnumSet.of(DispatcherType.REQUEST));
    GzipHandler gzip = new GzipHandler();
    gzip.addIncludedPaths("/recompressed/*");
    gzip.setHandler(context);
    server.setHandler(gzip);
    server.start();

    identityGet = LocalExchange.request("GET", STORED_TARGET);
    gzipGet = LocalExchange.request("GET", STORED_TARGET, "Accept-Encoding: gzip");
    brotliGet = LocalExchange.request("GET", STORED_TARGET, BROWSER);
    gzipHandlerGet = LocalExchange.request("GET", RECOMPRESSED_TARGET, "Accept-Encoding: gzip");
    try {
      warmAndCheck();
    } catch (Exception | Error e) {
      server.stop();
      throw e;
    }
  }

  private void warmAndCheck() throws Exception {
    LocalExchange client = new LocalExchange(connector);
    try {
      client.fetch(identityGet, false);
      client.fetch(gzipHandlerGet, false);
      LocalExchange.Response identity = client.fetch(identityGet, false);
      require(identity, Optional.empty(), "identity hit");
      require(client.fetch(gzipGet, false), Optional.of("gzip"), "stored gzip hit");
      require(client.fetch(brotliGet, false), Optional.of("br"), "stored brotli hit (needs brotli4j)");
      require(client.fetch(gzipHandlerGet, false), Optional.of("gzip"), "GzipHandler over an identity hit");
      System.out.println("\n# bytes per hit (head + body): identity " + client.exchange(identityGet, false)
          + ", gzip " + client.exchange(gzipGet, false) + ", brotli " + client.exchange(brotliGet, false)
          + ", GzipHandler (chunked) " + client.exchange(gzipHandlerGet, false));
    } finally {
      client.close();
    }
    missesAtStart = misses();
  }

  /**
   * {@code length} bytes of HTML paragraphs and links made of words drawn, Zipf-like, from a
   * vocabulary of 3,000 made-up words: fixed seed, so every run serves the same page.
   */
  static byte[] variedHtml(int length) {
    java.util.Random random = new java.util.Random(11);
    String[] words = new String[3000];
    for (int i = 0; i < words.length; i++) {
      StringBuilder word = new StringBuilder();
      int letters = 2 + random.nextInt(9);
      for (int j = 0; j < letters; j++) {
        word.append((char) ('a' + random.nextInt(26)));
      }
      words[i] = word.toString();
    }
    String tail = "</main></body></html>\n";
    StringBuilder page = new StringBuilder(length)
        .append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>An article</title></head>\n<body><main>\n");
    while (page.length() < length - tail.length()) {
      page.append("<p>");
      int sentenceWords = 12 + random.nextInt(30);
      for (int i = 0; i < sentenceWords; i++) {
        String word = words[(int) Math.min(words.length - 1, Math.abs(random.nextGaussian()) * 80)];
        if (random.nextInt(5) == 0) {
          page.append("<a href=\"/wiki/").append(word).append("\">").append(word).append("</a> ");
        } else {
          page.append(word).append(' ');
        }
      }
      page.append(".</p>\n");
    }
    page.setLength(length - tail.length());
    page.append(tail);
    return page.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static void require(LocalExchange.Response response, Optional<String> coding, String what) {
    if (response.status() != 200 || !response.header("Cache-Status").equals(Optional.of(HIT))
        || !response.header("Content-Encoding").equals(coding)) {
      throw new IllegalStateException(what + " is not what this benchmark measures; got:\n" + response);
    }
  }

  private long misses() {
    return stats(stored).misses() + stats(recompressed).misses();
  }

  private static PageCacheStats stats(PageCacheFilter filter) {
    PageCache cache = filter.pageCache().orElseThrow(() -> new IllegalStateException("filter not started"));
    return cache.stats();
  }

  /** Every request measured must have been a hit. */
  @TearDown(Level.Iteration)
  public void checkNoMisses() {
    long misses = misses() - missesAtStart;
    if (misses != 0) {
      throw new IllegalStateException(misses + " pagecache misses during the iteration: not a hit-path measurement");
    }
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    System.out.println("\n# stored encodings: " + stats(stored).encodings());
    server.stop();
  }

  @Benchmark
  public int identityHit(Connection connection) throws Exception {
    return connection.exchange.exchange(identityGet, false);
  }

  @Benchmark
  public int gzipHit(Connection connection) throws Exception {
    return connection.exchange.exchange(gzipGet, false);
  }

  @Benchmark
  public int brotliHit(Connection connection) throws Exception {
    return connection.exchange.exchange(brotliGet, false);
  }

  @Benchmark
  public int gzipHandlerHit(Connection connection) throws Exception {
    return connection.exchange.exchange(gzipHandlerGet, false);
  }
}
