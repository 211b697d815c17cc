package dev.pagecache.demo.server;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import dev.pagecache.internal.purge.PurgeAccess;
import dev.pagecache.memcached.MemcachedSettings;

/**
 * The demo's command line, parsed and checked. Every problem is a {@link UsageException} whose
 * message names the option and says what is wrong, in one line.
 *
 * @param host the address to listen on
 * @param port the port to listen on; 0 picks a free one
 * @param rules a rules file replacing the built-in rules
 * @param proxyTo reverse-proxy mode: the origin every request is forwarded to
 * @param preserveHost in proxy mode, send the client's {@code Host} to the origin instead of the origin's own
 * @param cacheBytes memory for cached pages; empty for the filter's default (an eighth of the heap)
 * @param delayScale factor on the demo pages' delays (0 makes them instant)
 * @param memcached the shared memcached layer behind JVM memory, with its secret if one is given;
 *     empty for JVM memory only
 * @param hostNames the host names the site answers to ({@code pagecache.hosts}); empty for any
 * @param purgeToken the purge endpoint's bearer token; empty for a random one, printed at start
 * @param limits how many requests the server takes on at once, how long others may wait, and how
 *     long the origin may take
 */
public record DemoOptions(String host, int port, Optional<Path> rules, Optional<URI> proxyTo,
    boolean preserveHost, OptionalLong cacheBytes, double delayScale, Optional<MemcachedSettings> memcached,
    List<String> hostNames, Optional<PurgeToken> purgeToken, ServerLimits limits) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  /** Where the memcached secret is read from when {@code --memcached-secret} is not given. */
  public static final String SECRET_VARIABLE = "PAGECACHE_MEMCACHED_SECRET";
  /** Where the purge token is read from when {@code --purge-token} is not given. */
  public static final String PURGE_TOKEN_VARIABLE = "PAGECACHE_PURGE_TOKEN";

  /** A purge token chosen by the user; printing it (or the options) shows only that there is one. */
  public record PurgeToken(String value) {
    @Override
    public String toString() {
      return "PurgeToken[hidden]";
    }
  }

  private static final Set<String> FLAGS = Set.of("--preserve-host", "--help");
  private static final Set<String> WITH_VALUE = Set.of(
      "--port", "--host", "--rules", "--proxy-to", "--cache-size", "--delay-scale", "--memcached",
      "--memcached-secret", "--host-name", "--purge-token", "--max-requests", "--max-queued", "--queue-wait",
      "--origin-timeout");
  /** The largest count and duration the limit options take: beyond, a typo rather than a choice. */
  private static final int MAX_COUNT = 1_000_000;
  private static final Duration MAX_DURATION = Duration.ofHours(1);
  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+):(\\d{1,5})");

  public DemoOptions {
    if (preserveHost && proxyTo.isEmpty()) {
      throw new IllegalArgumentException("preserveHost needs proxyTo");
    }
  }

  /** The options of a run with no arguments. */
  public static DemoOptions defaults() {
    return new DemoOptions(DEFAULT_HOST, DEFAULT_PORT, Optional.empty(), Optional.empty(), false,
        OptionalLong.empty(), 1.0, Optional.empty(), List.of(), Optional.empty(), ServerLimits.defaults(false));
  }

  public boolean isProxy() {
    return proxyTo.isPresent();
  }

  /** Whether the command line asks for the usage text ({@code --help} or {@code -h} anywhere). */
  public static boolean wantsHelp(String... args) {
    return List.of(args).contains("--help") || List.of(args).contains("-h");
  }

  /**
   * Parses {@code --name value} and {@code --name=value} options, with the memcached secret
   * from {@value #SECRET_VARIABLE} and the purge token from {@value #PURGE_TOKEN_VARIABLE} in this
   * process's environment when the command line has none.
   *
   * @throws UsageException for an unknown or repeated option, a missing or bad value, a missing
   *     rules file, or options that do not go together
   */
  public static DemoOptions parse(String... args) throws UsageException {
    return parse(System.getenv(), args);
  }

  /** Like {@link #parse(String...)}, with {@code environment} in place of this process's. */
  public static DemoOptions parse(Map<String, String> environment, String... args) throws UsageException {
    String host = DEFAULT_HOST;
    int port = DEFAULT_PORT;
    Optional<Path> rules = Optional.empty();
    Optional<URI> proxyTo = Optional.empty();
    boolean preserveHost = false;
    OptionalLong cacheBytes = OptionalLong.empty();
    Double delayScale = null;
    Optional<MemcachedSettings> memcached = Optional.empty();
    List<String> hostNames = List.of();
    Optional<String> secret = Optional.empty();
    Optional<PurgeToken> purgeToken = Optional.empty();
    Integer maxRequests = null;
    Integer maxQueued = null;
    Duration queueWait = null;
    Duration originTimeout = null;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      if (!FLAGS.contains(name) && !WITH_VALUE.contains(name)) {
        throw new UsageException(arg.startsWith("-") ? "unknown option '" + name + "'"
            : "unexpected argument '" + arg + "' (options start with --)");
      }
      if (!seen.add(name)) {
        throw new UsageException(name + " is given twice");
      }
      if (FLAGS.contains(name)) {
        if (value != null) {
          throw new UsageException(name + " takes no value");
        }
      } else if (value == null) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new UsageException(name + " needs a value");
        }
        value = args[++i];
      }
      switch (name) {
        case "--port" -> port = port(value);
        case "--host" -> host = host(value);
        case "--rules" -> rules = Optional.of(rulesFile(value));
        case "--proxy-to" -> proxyTo = Optional.of(origin(value));
        case "--preserve-host" -> preserveHost = true;
        case "--cache-size" -> cacheBytes = OptionalLong.of(size(value));
        case "--delay-scale" -> delayScale = delayScale(value);
        case "--memcached" -> memcached = Optional.of(memcached(value));
        case "--host-name" -> hostNames = hostNames(value);
        case "--memcached-secret" -> secret = Optional.of(secret("--memcached-secret", value));
        case "--purge-token" -> purgeToken = Optional.of(purgeToken("--purge-token", value));
        case "--max-requests" -> maxRequests = count(name, value, 1);
        case "--max-queued" -> maxQueued = count(name, value, 0);
        case "--queue-wait" -> queueWait = duration(name, value, Duration.ZERO);
        case "--origin-timeout" -> originTimeout = duration(name, value, Duration.ofMillis(1));
        case "--help" -> { } // handled by wantsHelp, before parsing
        default -> throw new IllegalStateException("unhandled option " + name);
      }
    }
    if (preserveHost && proxyTo.isEmpty()) {
      throw new UsageException("--preserve-host only applies with --proxy-to");
    }
    if (delayScale != null && proxyTo.isPresent()) {
      throw new UsageException("--delay-scale applies to the demo pages, which --proxy-to replaces");
    }
    if (originTimeout != null && proxyTo.isEmpty()) {
      throw new UsageException("--origin-timeout only applies with --proxy-to");
    }
    if (secret.isPresent() && memcached.isEmpty()) {
      throw new UsageException("--memcached-secret needs --memcached");
    }
    if (secret.isEmpty() && memcached.isPresent() && environment.get(SECRET_VARIABLE) != null) {
      secret = Optional.of(secret(SECRET_VARIABLE, environment.get(SECRET_VARIABLE)));
    }
    if (secret.isPresent()) {
      memcached = Optional.of(memcached.get().withSecret(secret.get()));
    }
    if (purgeToken.isEmpty() && environment.get(PURGE_TOKEN_VARIABLE) != null) {
      purgeToken = Optional.of(purgeToken(PURGE_TOKEN_VARIABLE, environment.get(PURGE_TOKEN_VARIABLE)));
    }
    ServerLimits defaults = ServerLimits.defaults(proxyTo.isPresent());
    ServerLimits limits = new ServerLimits(maxRequests == null ? defaults.maxRequests() : maxRequests,
        maxQueued == null ? defaults.maxQueued() : maxQueued, queueWait == null ? defaults.queueWait() : queueWait,
        originTimeout == null ? defaults.originTimeout() : originTimeout);
    return new DemoOptions(host, port, rules, proxyTo, preserveHost, cacheBytes,
        delayScale == null ? 1.0 : delayScale, memcached, hostNames, purgeToken, limits);
  }

  /** The text {@code --help} prints. */
  public static String usage() {
    return """
        Usage: java -jar pagecache-demo.jar [options]

        Runs the pagecache demo: slow pages served through the page cache, or, with --proxy-to,
        a caching reverse proxy in front of any HTTP origin. Every response carries a
        Cache-Status header (RFC 9211): run curl -i twice to see a miss, then a hit.

        Options:
          --port N             port to listen on (default 8080; 0 picks a free port)
          --host ADDR          address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
          --rules FILE         rules file (HOCON) replacing the built-in rules; see the demo's
                               pagecache.conf and the javadoc of dev.pagecache.rules.RulesFileParser
          --cache-size SIZE    memory for cached pages, e.g. 256MiB or 1GiB
                               (default: an eighth of the maximum heap)
          --delay-scale X      factor on the demo pages' delays, 0 to 100 (default 1; 0 = instant)
          --proxy-to URL       reverse-proxy mode: no demo pages; every request goes through the
                               cache to the origin at URL (http:// or https://, optionally with a
                               base path). The built-in rule caches every GET and HEAD the origin
                               allows, as an RFC 9111 shared cache: only with an explicit lifetime
                               (max-age, s-maxage, Expires), never private, no-store or no-cache,
                               honouring Vary.
          --preserve-host      in proxy mode, send the client's Host header to the origin
                               (default: the origin's own host; the client's is in
                               X-Forwarded-Host and Forwarded)
          --memcached LIST     host:port[,host:port...] of memcached servers: a second, shared
                               layer behind JVM memory, so several demo processes share pages
          --memcached-secret S sign what goes to memcached with S (16 bytes or more); entries
                               not signed with it, or moved to another page's key, are refused.
                               Use one whenever others can write to memcached. Better: set
                               PAGECACHE_MEMCACHED_SECRET, which other users cannot see in ps
          --host-name NAMES    the host names the site answers to, comma-separated, e.g.
                               www.example.com,*.example.org: requests for any other Host skip
                               the cache (default: every host, each cached under its own name)
          --purge-token T      the purge endpoint's bearer token (16 characters or more: letters,
                               digits, - . _ ~ + /). Better: set PAGECACHE_PURGE_TOKEN, which
                               other users cannot see in ps. Without either, a random token is
                               printed at start. Purge a page with
                                 curl -X PURGE -H 'Authorization: Bearer T' http://127.0.0.1:8080/wiki/Home
                               or POST /pagecache/purge with url=, prefix=, tag= (each may
                               repeat) or all=true
          --max-requests N     requests in progress at once (default 4000 with --proxy-to, where a
                               request waiting for the origin holds no thread, only two connections:
                               keep ulimit -n above twice this; 150 for the demo pages, which each
                               hold one of the server's 200 threads). Beyond it, requests wait:
          --max-queued N       how many requests may wait for a place (default 1000); one more is
                               answered 503 with Retry-After at once
          --queue-wait T       how long a request may wait for a place, e.g. 500ms or 5s
                               (default 5s); then it is answered 503 with Retry-After
          --origin-timeout T   in proxy mode, the longest the origin may take to answer, e.g. 30s
                               (default 60s); then the client gets 504 with
                               Proxy-Status: pagecache; error=http_response_timeout. An origin that
                               refuses or drops the connection gets the client a 502 that names the
                               cause the same way
          --help, -h           print this text

        Demo pages: /  /wiki/{name}  /links?page=N  /go/{code}  /pagecache/stats (JSON)
                    /pagecache/ (admin page: any user name, the purge token as password)
        Exit status: 0 on shutdown, 1 if the server cannot start, 2 for a bad option or file.
        """;
  }

  private static int count(String option, String value, int least) throws UsageException {
    try {
      int count = Integer.parseInt(value.trim());
      if (count >= least && count <= MAX_COUNT) {
        return count;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(option + ": '" + value + "' is not a whole number from " + least + " to " + MAX_COUNT);
  }

  private static Duration duration(String option, String value, Duration least) throws UsageException {
    try {
      Duration duration = ConfigFactory.parseMap(Map.of("d", value.trim())).getDuration("d");
      if (duration.compareTo(least) >= 0 && duration.compareTo(MAX_DURATION) <= 0) {
        return duration;
      }
    } catch (ConfigException e) {
      // reported below
    }
    throw new UsageException(option + ": '" + value + "' is not a duration from " + least.toMillis()
        + "ms to 1h (e.g. 500ms, 5s)");
  }

  private static int port(String value) throws UsageException {
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--port: '" + value + "' is not a port number (0 to 65535)");
  }

  private static List<String> hostNames(String value) throws UsageException {
    List<String> names = List.of(value.split("[,\\s]+")).stream().filter(name -> !name.isBlank()).toList();
    try {
      dev.pagecache.internal.policy.SiteHosts.of(names);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--host-name: " + e.getMessage());
    }
    return names;
  }

  private static String host(String value) throws UsageException {
    String host = value.trim();
    if (host.isEmpty()) {
      throw new UsageException("--host needs an address, e.g. 127.0.0.1");
    }
    try {
      InetAddress.getByName(host);
    } catch (UnknownHostException | SecurityException e) {
      throw new UsageException("--host: cannot resolve '" + value + "'");
    }
    return host;
  }

  private static Path rulesFile(String value) throws UsageException {
    Path file;
    try {
      file = Path.of(value);
    } catch (InvalidPathException e) {
      throw new UsageException("--rules: '" + value + "' is not a file name");
    }
    if (!Files.exists(file)) {
      throw new UsageException("--rules: no such file: " + value);
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new UsageException("--rules: not a readable file: " + value);
    }
    return file;
  }

  private static URI origin(String value) throws UsageException {
    URI uri;
    try {
      uri = new URI(value.trim());
    } catch (URISyntaxException e) {
      throw new UsageException("--proxy-to: '" + value + "' is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new UsageException("--proxy-to: '" + value + "' must start with http:// or https://");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw new UsageException("--proxy-to: '" + value + "' needs a host (and no user:password@)");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new UsageException("--proxy-to: '" + value + "' may not have a query or fragment");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  private static long size(String value) throws UsageException {
    try {
      long bytes = ConfigFactory.parseMap(Map.of("size", value.trim())).getBytes("size");
      if (bytes > 0) {
        return bytes;
      }
    } catch (ConfigException e) {
      // reported below
    }
    throw new UsageException("--cache-size: '" + value + "' is not a positive size (e.g. 256MiB, 1GiB)");
  }

  private static double delayScale(String value) throws UsageException {
    try {
      double scale = Double.parseDouble(value.trim());
      if (scale >= 0 && scale <= 100) {
        return scale;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--delay-scale: '" + value + "' is not a number from 0 to 100");
  }

  /** Checks a secret's length; never repeats the secret itself. */
  private static String secret(String source, String value) throws UsageException {
    if (value.isEmpty()) {
      throw new UsageException(source + " is empty: give a secret of at least 16 bytes, or none");
    }
    if (value.getBytes(StandardCharsets.UTF_8).length < 16) {
      throw new UsageException(source + ": must be at least 16 bytes");
    }
    return value;
  }

  /** Checks a purge token as the filter will; never repeats the token itself. */
  private static PurgeToken purgeToken(String source, String value) throws UsageException {
    try {
      PurgeAccess.checkToken(source, value);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    return new PurgeToken(value);
  }

  /** Checks the list; the servers need not be up (the cache works without them, at origin speed). */
  private static MemcachedSettings memcached(String value) throws UsageException {
    for (String server : value.split(",", -1)) {
      var matcher = HOST_PORT.matcher(server.trim());
      if (!matcher.matches() || Integer.parseInt(matcher.group(2)) > 65535 || Integer.parseInt(matcher.group(2)) == 0) {
        throw new UsageException("--memcached: '" + server.trim() + "' is not host:port (e.g. 127.0.0.1:11211)");
      }
    }
    try {
      return MemcachedSettings.servers(value);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--memcached: " + e.getMessage());
    }
  }
}
