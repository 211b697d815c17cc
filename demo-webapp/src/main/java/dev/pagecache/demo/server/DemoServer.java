package dev.pagecache.demo.server;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.admin.PageCacheAdminServlet;
import dev.pagecache.demo.Delay;
import dev.pagecache.demo.DemoData;
import dev.pagecache.demo.DemoPages;
import dev.pagecache.rules.RuleSet;
import dev.pagecache.rules.RulesException;
import dev.pagecache.rules.RulesFileParser;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The demo on embedded Jetty 12 (ee10): {@code java -jar pagecache-demo.jar [options]}. Either
 * the demo pages ({@link DemoPages}) or, with {@code --proxy-to}, a {@link ReverseProxyServlet},
 * behind one {@link PageCacheFilter} mapped to every path. See {@link DemoOptions#usage()}.
 */
public final class DemoServer implements AutoCloseable {
  private static final Logger LOG = System.getLogger(DemoServer.class.getName());
  private static final String DEMO_RULES = "/dev/pagecache/demo/pagecache.conf";
  private static final String PROXY_RULES = "/dev/pagecache/demo/server/proxy-rules.conf";

  /** The server's request threads. */
  static final int SERVER_THREADS = 200;
  /** Connections the kernel holds for the server until it accepts them (the listen backlog). */
  static final int ACCEPT_QUEUE_SIZE = 1024;
  /** Proxy mode: the threads of the HTTP client that talks to the origin, a pool of its own. */
  static final int PROXY_CLIENT_THREADS = 64;
  /** Proxy mode: how long a connection to the origin may take to open. */
  static final long ORIGIN_CONNECT_TIMEOUT_MS = 5_000;

  private final Server server;
  private final ServerConnector connector;
  private final PageCacheFilter filter;
  private final String description;
  private final Optional<String> randomPurgeToken;

  private DemoServer(Server server, ServerConnector connector, PageCacheFilter filter, String description,
      Optional<String> randomPurgeToken) {
    this.server = server;
    this.connector = connector;
    this.filter = filter;
    this.description = description;
    this.randomPurgeToken = randomPurgeToken;
  }

  public static void main(String[] args) {
    if (DemoOptions.wantsHelp(args)) {
      System.out.print(DemoOptions.usage());
      return;
    }
    DemoServer demo;
    try {
      demo = start(DemoOptions.parse(args));
    } catch (UsageException e) {
      System.err.println("pagecache-demo: " + e.getMessage() + " (see --help)");
      System.exit(UsageException.EXIT_STATUS);
      return;
    } catch (Exception e) {
      System.err.println("pagecache-demo: cannot start: " + oneLine(e));
      System.exit(1);
      return;
    }
    LOG.log(Level.INFO, demo.description());
    // On standard output, not in the log: a token is no log line's business, but a user who
    // gave none needs this one to try the endpoint.
    demo.randomPurgeToken().ifPresent(token -> System.out.println("pagecache-demo: purge token for this run: " + token
        + "  (curl -X PURGE -H 'Authorization: Bearer " + token + "' " + demo.uri() + "wiki/Home)"));
    try {
      demo.server.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts a server with {@code options} and returns once it accepts connections.
   *
   * @throws UsageException when the rules cannot be used
   * @throws Exception when the server cannot start (the address is in use, say)
   */
  public static DemoServer start(DemoOptions options) throws Exception {
    String rulesSource;
    RuleSet rules;
    try {
      if (options.rules().isPresent()) {
        rules = RulesFileParser.parse(options.rules().get(), baseline(options));
        rulesSource = "rules file " + options.rules().get();
      } else {
        String resource = options.isProxy() ? PROXY_RULES : DEMO_RULES;
        rulesSource = options.isProxy() ? "built-in proxy rules" : "built-in demo rules";
        rules = RulesFileParser.parse(resourceText(resource), rulesSource, baseline(options));
      }
    } catch (RulesException e) {
      throw new UsageException("--rules: " + e.getMessage());
    }
    PageCacheConfig.Builder config = PageCacheConfig.builder().rules(rules);
    options.cacheBytes().ifPresent(config::maxCacheBytes);
    options.memcached().ifPresent(config::sharedStore);
    if (!options.hostNames().isEmpty()) {
      config.hosts(options.hostNames());
    }
    Optional<String> randomPurgeToken = options.purgeToken().isPresent() ? Optional.empty() : Optional.of(randomToken());
    config.purgeToken(options.purgeToken().map(DemoOptions.PurgeToken::value).orElseGet(randomPurgeToken::orElseThrow));
    PageCacheConfig built = config.build();
    PageCacheFilter filter = new PageCacheFilter(built);

    QueuedThreadPool threads = new QueuedThreadPool(SERVER_THREADS, 8);
    threads.setName("demo");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(options.host());
    connector.setPort(options.port());
    // Jetty's default backlog of 50 drops most of a burst of new connections (a thousand clients
    // connecting at once), and their SYNs are retried only a second or more later.
    connector.setAcceptQueueSize(ACCEPT_QUEUE_SIZE);
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
    FilterHolder cache = new FilterHolder(filter);
    cache.setName("pagecache");
    cache.setAsyncSupported(true);
    // ASYNC too: a page an AsyncContext.dispatch() renders is stored when the filter sees that dispatch end.
    context.addFilter(cache, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    String mode;
    if (options.isProxy()) {
      ServletHolder proxy = new ServletHolder("proxy", ReverseProxyServlet.class);
      proxy.setInitParameter("proxyTo", options.proxyTo().get().toString());
      proxy.setInitParameter("preserveHost", Boolean.toString(options.preserveHost()));
      proxy.setInitParameter("viaHost", "pagecache");
      ServerLimits limits = options.limits();
      // The HTTP client has threads of its own: it must deliver the origin's answers even when every
      // server thread is busy, or the proxy starves itself. Async, few suffice; they block only
      // while writing an answer to a slow client.
      proxy.setInitParameter("maxThreads", Integer.toString(PROXY_CLIENT_THREADS));
      // Every request in progress may need its own origin connection (HTTP/1.1 has one exchange per
      // connection): fewer would make admitted requests queue a second time, in the client.
      proxy.setInitParameter("maxConnections", Integer.toString(limits.maxRequests()));
      proxy.setInitParameter(ReverseProxyServlet.MAX_REQUESTS_QUEUED_PARAM, Integer.toString(limits.maxRequests()));
      proxy.setInitParameter(ReverseProxyServlet.CONNECT_TIMEOUT_PARAM, Long.toString(ORIGIN_CONNECT_TIMEOUT_MS));
      // One bound for a slow origin: a silent connection (idle timeout) may last as long as a whole
      // exchange (total timeout), and both end in the same 504.
      proxy.setInitParameter("idleTimeout", Long.toString(limits.originTimeout().toMillis()));
      proxy.setInitParameter("timeout", Long.toString(limits.originTimeout().toMillis()));
      proxy.setInitOrder(0); // start its HTTP client now: a problem shows at start, not on the first request
      context.addServlet(proxy, "/*");
      // The admin page answers here itself, not the origin, as the purge endpoint does.
      context.addServlet(new ServletHolder("admin", PageCacheAdminServlet.class), "/pagecache/*");
      mode = "reverse proxy to " + options.proxyTo().get()
          + (options.preserveHost() ? " (client's Host preserved)" : " (Host: the origin's)");
    } else {
      context.setInitParameter(Delay.SCALE_PARAM, Double.toString(options.delayScale()));
      // The processes sharing the cache's memcached share their wiki and feeds there too.
      options.memcached().ifPresent(shared -> context.setInitParameter(DemoData.MEMCACHED_PARAM, String.join(",",
          shared.servers().stream().map(address -> address.getHostString() + ":" + address.getPort()).toList())));
      for (DemoPages.Mapping page : DemoPages.MAPPINGS) {
        ServletHolder holder = new ServletHolder(page.name(), page.servlet());
        holder.setInitOrder(0);
        holder.setAsyncSupported(true); // /trending writes asynchronously, as web.xml declares
        context.addServlet(holder, page.urlPattern());
      }
      mode = "demo pages" + (options.delayScale() == 1.0 ? ""
          : String.format(Locale.ROOT, " (delays x%s)", options.delayScale()));
    }
    server.setHandler(new OverloadGuard(context, options.limits()));
    server.setStopAtShutdown(true);
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      throw e;
    }

    String description = "pagecache demo at " + uri(options.host(), connector.getLocalPort()) + " | mode: " + mode
        + " | " + rulesSource + ": " + rules + " | cache: " + mebibytes(built.maxCacheBytes()) + " in memory"
        + built.sharedStore().map(shared -> ", shared: " + shared).orElse("")
        + (options.hostNames().isEmpty() ? "" : " | hosts: " + built.hosts())
        + " | purge: PURGE <url> or POST " + built.purge().orElseThrow().path() + " with the bearer token ("
        + (randomPurgeToken.isPresent() ? "random, printed below" : "given") + ")"
        + " | admin page: " + uri(options.host(), connector.getLocalPort()) + "pagecache/ (any user name, the purge "
        + "token as password)"
        + " | limits: " + describe(options.limits(), options.isProxy());
    return new DemoServer(server, connector, filter, description, randomPurgeToken);
  }

  /**
   * Rule settings that hold unless the rules say otherwise. A reverse proxy cannot know which of
   * an origin's cookies log a user in: a request with any cookie is treated like one with
   * {@code Authorization}, stored only when the origin says {@code public} or {@code s-maxage}.
   */
  private static Map<String, ?> baseline(DemoOptions options) {
    return options.isProxy() ? Map.of("requestCookies", "credentials") : Map.of();
  }

  /** The base URL clients reach the server at, e.g. {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    return uri(connector.getHost(), connector.getLocalPort());
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** The line logged at start: URL, mode, rules in force, cache size. */
  public String description() {
    return description;
  }

  /** The purge token this run made up, as none was given; empty when one was. */
  public Optional<String> randomPurgeToken() {
    return randomPurgeToken;
  }

  /** 24 random bytes, URL-safe Base64: 32 characters a bearer token may hold. */
  private static String randomToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The running cache, for stats and purges. */
  public PageCache pageCache() {
    return filter.pageCache().orElseThrow(() -> new IllegalStateException("the filter is not running"));
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("the server did not stop cleanly", e);
    }
  }

  private static URI uri(String host, int port) {
    String authority = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return URI.create("http://" + authority + ":" + port + "/");
  }

  /** E.g. {@code 4000 requests at once, 1000 more may wait up to 5s, origin timeout 60s}. */
  private static String describe(ServerLimits limits, boolean proxy) {
    return limits.maxRequests() + " requests at once, " + limits.maxQueued() + " more may wait up to "
        + seconds(limits.queueWait()) + (proxy ? ", origin timeout " + seconds(limits.originTimeout()) : "");
  }

  private static String seconds(java.time.Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
  }

  private static String mebibytes(long bytes) {
    return bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB"
        : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  private static String resourceText(String name) throws IOException {
    try (InputStream in = DemoServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("the jar is missing " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** An exception and its causes' messages on one line. */
  static String oneLine(Throwable e) {
    StringBuilder line = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (line.indexOf(message) < 0) {
        line.append(line.length() == 0 ? "" : ": ").append(message);
      }
    }
    return line.toString().replace('\n', ' ');
  }
}
