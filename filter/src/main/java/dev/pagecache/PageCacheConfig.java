package dev.pagecache;

import dev.pagecache.internal.ParameterValues;
import dev.pagecache.internal.policy.SiteHosts;
import dev.pagecache.internal.purge.AllowList;
import dev.pagecache.internal.purge.PurgeAccess;
import dev.pagecache.internal.purge.PurgeSettings;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.RuleSet;
import dev.pagecache.rules.RulesException;
import dev.pagecache.rules.RulesFileParser;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.SharedStoreProvider;
import dev.pagecache.store.SharedStoreSettings;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Immutable settings of a {@link PageCacheFilter}. Build one in code:
 *
 * <pre>{@code
 * PageCacheConfig config = PageCacheConfig.builder()
 *     .rule(CacheRule.forPath("/").ttl(Duration.ofMinutes(5)).build())
 *     .rule(CacheRule.forPath("/wiki/*").ttl(Duration.ofMinutes(1)).build())
 *     .maxCacheBytes(256L << 20)
 *     .build();
 * servletContext.addFilter("pagecache", new PageCacheFilter(config)).addMappingForUrlPatterns(null, false, "/*");
 * }</pre>
 *
 * or from filter init-params ({@link #fromInitParams}):
 * <ul>
 *   <li>{@value #RULES_PARAM}: the rules file (required): a web-application resource such as
 *       {@code /WEB-INF/pagecache.conf}, {@code classpath:pagecache.conf}, or a file-system path;</li>
 *   <li>{@value #MAX_CACHE_BYTES_PARAM}: memory for cached pages, e.g. {@code 256MiB}; default
 *       {@link #DEFAULT_HEAP_FRACTION} of the maximum heap.</li>
 *   <li>{@code pagecache.memcached.servers}: {@code host:port[,host:port...]} turns on the shared
 *       memcached layer, when {@code pagecache-memcached} is on the class path (its
 *       {@code MemcachedSettings} lists the other {@code pagecache.memcached.*} parameters). Any
 *       shared layer is found the same way: see {@link SharedStoreProvider}.</li>
 *   <li>{@value #WARM_BASE_URL_PARAM}: the URL clients reach the application at, e.g.
 *       {@code https://www.example.com}; needed by rules with {@code warmUrls} and by
 *       {@link PageCache#keepWarm}. Warm renders send its host as {@code Host} and are stored
 *       under its scheme, host and port.</li>
 *   <li>{@value #HOSTS_PARAM}: the host names the site answers to, comma-separated, e.g.
 *       {@code www.example.com, *.example.org}; requests for any other {@code Host} skip the
 *       cache. Default: every host (each under its own key).</li>
 *   <li>{@value #PURGE_TOKEN_PARAM}, {@value #PURGE_ALLOW_FROM_PARAM}: either or both turn on the
 *       purge endpoint ({@code PURGE <url>} and {@code POST} to {@value #PURGE_PATH_PARAM}, default
 *       {@value dev.pagecache.internal.purge.PurgeSettings#DEFAULT_PATH}; see
 *       {@link dev.pagecache.internal.purge.PurgeEndpoint}). The token (at least
 *       {@value dev.pagecache.internal.purge.PurgeAccess#MIN_TOKEN_CHARS} characters) is sent as
 *       {@code Authorization: Bearer <token>}; the allow-list holds client addresses and CIDR
 *       ranges, comma-separated ({@code 127.0.0.1, ::1, 10.0.0.0/8}). With both, both must pass.</li>
 * </ul>
 */
public final class PageCacheConfig {
  /** Init-param naming the rules file (required); see {@link Builder#rulesResource(String)}. */
  public static final String RULES_PARAM = "pagecache.rules";
  /** Init-param for the memory cached pages may use, e.g. {@code 256MiB}; see {@link Builder#maxCacheBytes(long)}. */
  public static final String MAX_CACHE_BYTES_PARAM = "pagecache.maxCacheBytes";
  /** Init-param for the URL clients reach the application at; see {@link Builder#warmBaseUrl(URI)}. */
  public static final String WARM_BASE_URL_PARAM = "pagecache.warm.baseUrl";
  /** Init-param for the host names the site answers to, comma-separated; see {@link Builder#hosts(List)}. */
  public static final String HOSTS_PARAM = "pagecache.hosts";
  /** Init-param for the purge endpoint's bearer token; see {@link Builder#purgeToken(String)}. */
  public static final String PURGE_TOKEN_PARAM = "pagecache.purge.token";
  /** Init-param for the addresses allowed to purge, comma-separated; see {@link Builder#purgeAllowFrom(List)}. */
  public static final String PURGE_ALLOW_FROM_PARAM = "pagecache.purge.allowFrom";
  /** Init-param for where {@code POST} purges go; see {@link Builder#purgePath(String)}. */
  public static final String PURGE_PATH_PARAM = "pagecache.purge.path";
  /** Share of the maximum heap that cached pages may use by default: {@value}. */
  public static final double DEFAULT_HEAP_FRACTION = 0.125;

  private static final Set<String> PARAMS = Set.of(RULES_PARAM, MAX_CACHE_BYTES_PARAM, WARM_BASE_URL_PARAM,
      HOSTS_PARAM, PURGE_TOKEN_PARAM, PURGE_ALLOW_FROM_PARAM, PURGE_PATH_PARAM);
  /** The shared layer pagecache ships, in its own module: named when its parameters are set without it. */
  private static final String MEMCACHED_PREFIX = "pagecache.memcached.";

  private final RuleSet rules;
  private final long maxCacheBytes;
  private final InstantSource clock;
  private final PageStore store;
  private final SharedStoreSettings sharedStore;
  private final URI warmBaseUrl;
  private final SiteHosts hosts;
  private final PurgeSettings purge;

  private PageCacheConfig(Builder builder) {
    this.hosts = builder.hosts;
    if (builder.warmBaseUrl != null && !hosts.allows(builder.warmBaseUrl.getHost().toLowerCase(java.util.Locale.ROOT))) {
      throw new IllegalArgumentException("warmBaseUrl " + builder.warmBaseUrl + " names a host that is not in hosts ("
          + hosts + "): its warm renders would never be cached");
    }
    this.sharedStore = builder.sharedStore;
    this.warmBaseUrl = builder.warmBaseUrl;
    this.rules = builder.ruleSet();
    this.maxCacheBytes = builder.maxCacheBytes > 0 ? builder.maxCacheBytes : defaultMaxCacheBytes();
    this.clock = builder.clock;
    this.store = builder.store;
    this.purge = builder.purgeSettings();
  }

  /** {@return a builder with no rules and every other setting at its default} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the rules, in order: the first that matches a request decides for it} */
  public RuleSet rules() {
    return rules;
  }

  /**
   * {@return the memory cached pages may use in this JVM, in bytes; by default
   * {@link #DEFAULT_HEAP_FRACTION} of the maximum heap} Not used with a {@link #store()} of one's own.
   */
  public long maxCacheBytes() {
    return maxCacheBytes;
  }

  /** {@return the clock freshness is measured by; the system clock unless a test gives another} */
  public InstantSource clock() {
    return clock;
  }

  /** {@return a store given in code; empty means the filter builds its own in-memory store} */
  public Optional<PageStore> store() {
    return Optional.ofNullable(store);
  }

  /**
   * The shared layer behind JVM memory.
   *
   * @return its settings; empty when none is configured
   */
  public Optional<SharedStoreSettings> sharedStore() {
    return Optional.ofNullable(sharedStore);
  }

  /** {@return the URL clients reach the application at, which warm renders are stored under; empty if not set} */
  public Optional<URI> warmBaseUrl() {
    return Optional.ofNullable(warmBaseUrl);
  }

  /** {@return the hosts whose requests may be cached; by default every host, each under its own key} */
  public SiteHosts hosts() {
    return hosts;
  }

  /** {@return the purge endpoint's settings; empty when it is off (neither a token nor an allow-list)} */
  public Optional<PurgeSettings> purge() {
    return Optional.ofNullable(purge);
  }

  static long defaultMaxCacheBytes() {
    return (long) (Runtime.getRuntime().maxMemory() * DEFAULT_HEAP_FRACTION);
  }

  /**
   * Reads the {@code pagecache.*} init-params of a filter. Unknown {@code pagecache.*} names are
   * errors, so a typo fails start-up. The rules file is read now.
   *
   * @param filterConfig the filter's configuration, with its init-params and servlet context
   * @return the settings
   * @throws IllegalArgumentException naming the parameter (and for rules, the file and line)
   */
  public static PageCacheConfig fromInitParams(FilterConfig filterConfig) {
    List<SharedStoreProvider> providers = sharedStoreProviders();
    Set<String> known = new TreeSet<>(PARAMS);
    providers.forEach(provider -> known.addAll(provider.parameterNames()));
    for (String name : Collections.list(filterConfig.getInitParameterNames())) {
      if (name.startsWith(MEMCACHED_PREFIX) && providers.stream().noneMatch(p -> name.startsWith(p.parameterPrefix()))) {
        throw new IllegalArgumentException("init-param " + name + " needs the memcached layer on the class path: add "
            + "the dependency dev.pagecache:pagecache-memcached (it brings spymemcached)");
      }
      if (name.startsWith("pagecache.") && !known.contains(name)) {
        throw new IllegalArgumentException("unknown init-param '" + name + "'; known: " + known);
      }
    }
    Builder builder = builder();
    String rulesLocation = filterConfig.getInitParameter(RULES_PARAM);
    if (rulesLocation == null || rulesLocation.isBlank()) {
      throw new IllegalArgumentException("init-param " + RULES_PARAM
          + " is missing: name the rules file, e.g. /WEB-INF/pagecache.conf");
    }
    builder.rules(readRules(rulesLocation.trim(), filterConfig.getServletContext()));
    String maxBytes = filterConfig.getInitParameter(MAX_CACHE_BYTES_PARAM);
    if (maxBytes != null) {
      builder.maxCacheBytes(ParameterValues.size(MAX_CACHE_BYTES_PARAM, maxBytes));
    }
    String warmBaseUrl = filterConfig.getInitParameter(WARM_BASE_URL_PARAM);
    if (warmBaseUrl != null) {
      try {
        builder.warmBaseUrl(URI.create(warmBaseUrl.trim()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(WARM_BASE_URL_PARAM + ": " + e.getMessage(), e);
      }
    }
    String hosts = filterConfig.getInitParameter(HOSTS_PARAM);
    if (hosts != null) {
      try {
        builder.hosts(List.of(hosts.split("[,\\s]+")).stream().filter(h -> !h.isBlank()).toList());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(HOSTS_PARAM + ": " + e.getMessage(), e);
      }
    }
    purgeFromInitParams(builder, filterConfig);
    sharedStoreFromInitParams(filterConfig, providers).ifPresent(builder::sharedStore);
    return builder.build();
  }

  /** Values are trimmed: web.xml puts line breaks and indentation around them. */
  private static void purgeFromInitParams(Builder builder, FilterConfig params) {
    String value;
    if ((value = params.getInitParameter(PURGE_TOKEN_PARAM)) != null) {
      builder.purgeToken(PURGE_TOKEN_PARAM, value.strip());
    }
    if ((value = params.getInitParameter(PURGE_ALLOW_FROM_PARAM)) != null) {
      List<String> entries = value.isBlank() ? List.of() : List.of(value.strip().split("\\s*,\\s*", -1));
      builder.purgeAllowFrom(PURGE_ALLOW_FROM_PARAM, entries);
    }
    if ((value = params.getInitParameter(PURGE_PATH_PARAM)) != null) {
      if (params.getInitParameter(PURGE_TOKEN_PARAM) == null && params.getInitParameter(PURGE_ALLOW_FROM_PARAM) == null) {
        throw new IllegalArgumentException("init-param " + PURGE_PATH_PARAM + " needs " + PURGE_TOKEN_PARAM + " or "
            + PURGE_ALLOW_FROM_PARAM + ": without them the purge endpoint is off");
      }
      builder.purgePath(PURGE_PATH_PARAM, value.strip());
    }
  }

  /** The shared layer the init-params configure, read by the provider whose prefix they carry. */
  private static Optional<SharedStoreSettings> sharedStoreFromInitParams(FilterConfig filterConfig,
      List<SharedStoreProvider> providers) {
    Optional<SharedStoreSettings> found = Optional.empty();
    for (SharedStoreProvider provider : providers) {
      Optional<SharedStoreSettings> settings = provider.fromParameters(filterConfig::getInitParameter);
      if (settings.isPresent()) {
        if (found.isPresent()) {
          throw new IllegalArgumentException("init-params configure two shared layers; give one");
        }
        found = settings;
      }
    }
    return found;
  }

  /** The shared layers on the class path: the web application's loader, which holds its WEB-INF/lib. */
  private static List<SharedStoreProvider> sharedStoreProviders() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    List<SharedStoreProvider> providers = new ArrayList<>();
    ServiceLoader.load(SharedStoreProvider.class, loader == null ? PageCacheConfig.class.getClassLoader() : loader)
        .forEach(providers::add);
    if (providers.isEmpty() && loader != null) {
      ServiceLoader.load(SharedStoreProvider.class, PageCacheConfig.class.getClassLoader()).forEach(providers::add);
    }
    return providers;
  }

  private static RuleSet readRules(String location, ServletContext context) {
    String source = "rules file " + location;
    try {
      if (location.startsWith("classpath:")) {
        String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = (loader != null ? loader : PageCacheConfig.class.getClassLoader()).getResourceAsStream(resource)) {
          if (in == null) {
            throw new RulesException(source, 0, "not found on the class path");
          }
          return RulesFileParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), source);
        }
      }
      if (location.startsWith("/") && context != null) {
        try (InputStream in = context.getResourceAsStream(location)) {
          if (in != null) {
            return RulesFileParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), source);
          }
        }
      }
      Path file = Path.of(location);
      if (!Files.isRegularFile(file)) {
        throw new RulesException(source, 0, "not found (looked in the web application, then the file system)");
      }
      return RulesFileParser.parse(file);
    } catch (IOException e) {
      throw new RulesException(source, 0, "cannot be read: " + e);
    }
  }

  /** Checks each setting as it is made; the message names the conflict. */
  public static final class Builder {
    private final List<CacheRule> rules = new ArrayList<>();
    private RuleSet ruleSet;
    private long maxCacheBytes;
    private InstantSource clock = InstantSource.system();
    private PageStore store;
    private SharedStoreSettings sharedStore;
    private URI warmBaseUrl;
    private SiteHosts hosts = SiteHosts.any();
    private String purgeToken;
    private AllowList purgeAllowFrom;
    private String purgePath;

    private Builder() {}

    /**
     * Turns on the purge endpoint for clients that send {@code Authorization: Bearer <token>}.
     * Use a long random token (at least {@value PurgeAccess#MIN_TOKEN_CHARS} characters of
     * letters, digits, {@code - . _ ~ + /}); it is never logged.
     *
     * @param token the secret clients send
     * @return this builder
     * @throws IllegalArgumentException if the token is too short or has other characters
     */
    public Builder purgeToken(String token) {
      return purgeToken("purgeToken", token);
    }

    /**
     * Turns on the purge endpoint for clients at these addresses ({@code 127.0.0.1},
     * {@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}), as the container gives them
     * ({@code getRemoteAddr()}: the peer of the connection). With a token as well, both must pass.
     *
     * @param addresses addresses and CIDR ranges, IPv4 or IPv6
     * @return this builder
     * @throws IllegalArgumentException naming an entry that is not an address or range
     */
    public Builder purgeAllowFrom(List<String> addresses) {
      return purgeAllowFrom("purgeAllowFrom", addresses);
    }

    /**
     * Where {@code POST} purges go inside the application; needs {@link #purgeToken} or
     * {@link #purgeAllowFrom} (checked by {@link #build()}).
     *
     * @param path a path inside the application; default {@value PurgeSettings#DEFAULT_PATH}
     * @return this builder
     * @throws IllegalArgumentException unless it is a plain path (no query, wildcard, escape or dot segment)
     */
    public Builder purgePath(String path) {
      return purgePath("purgePath", path);
    }

    private Builder purgeToken(String name, String token) {
      Objects.requireNonNull(token, name);
      PurgeAccess.checkToken(name, token);
      this.purgeToken = token;
      return this;
    }

    private Builder purgeAllowFrom(String name, List<String> addresses) {
      Objects.requireNonNull(addresses, name);
      try {
        this.purgeAllowFrom = AllowList.of(addresses);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
      }
      return this;
    }

    private Builder purgePath(String name, String path) {
      PurgeSettings.checkPath(name, path);
      this.purgePath = path;
      return this;
    }

    private PurgeSettings purgeSettings() {
      if (purgeToken == null && purgeAllowFrom == null) {
        return null;
      }
      return new PurgeSettings(purgePath == null ? PurgeSettings.DEFAULT_PATH : purgePath,
          new PurgeAccess(Optional.ofNullable(purgeToken), Optional.ofNullable(purgeAllowFrom)));
    }

    /**
     * The host names the site answers to ({@code www.example.com}, {@code *.example.com}):
     * requests for any other {@code Host} skip the cache.
     *
     * @param names exact names, or {@code *.} and a domain for every name under it
     * @return this builder
     * @throws IllegalArgumentException naming an entry that is not a host name
     */
    public Builder hosts(List<String> names) {
      this.hosts = SiteHosts.of(names);
      return this;
    }

    /**
     * The URL clients reach the application at, such as {@code https://www.example.com} (scheme,
     * host and port; no path): warm renders send its host as {@code Host} and are stored under
     * it, so they land where client requests look. Needed to keep pages warm.
     *
     * @param baseUrl an absolute {@code http} or {@code https} URL, with no path, query or user info
     * @return this builder
     * @throws IllegalArgumentException for any other URL
     */
    public Builder warmBaseUrl(URI baseUrl) {
      Objects.requireNonNull(baseUrl, "baseUrl");
      if (!baseUrl.isAbsolute() || baseUrl.getHost() == null
          || !(baseUrl.getScheme().equalsIgnoreCase("http") || baseUrl.getScheme().equalsIgnoreCase("https"))) {
        throw new IllegalArgumentException("warmBaseUrl must be an absolute http or https URL with a host, "
            + "e.g. https://www.example.com, was '" + baseUrl + "'");
      }
      String path = baseUrl.getRawPath();
      if ((path != null && !path.isEmpty() && !path.equals("/")) || baseUrl.getRawQuery() != null
          || baseUrl.getRawUserInfo() != null || baseUrl.getRawFragment() != null) {
        throw new IllegalArgumentException("warmBaseUrl is a scheme, host and port only (warm paths name the "
            + "rest), was '" + baseUrl + "'");
      }
      this.warmBaseUrl = baseUrl;
      return this;
    }

    /**
     * Puts a layer shared by every JVM of the fleet behind JVM memory, e.g.
     * {@code sharedStore(MemcachedSettings.servers("10.0.0.5:11211"))} with {@code pagecache-memcached}.
     *
     * @param settings the shared layer's settings
     * @return this builder
     * @throws IllegalStateException after {@link #store(PageStore)}
     */
    public Builder sharedStore(SharedStoreSettings settings) {
      requireState(store == null, "sharedStore() cannot be combined with store(): give one or the other");
      this.sharedStore = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Adds a rule after those added before (first match wins).
     *
     * @param rule the rule
     * @return this builder
     * @throws IllegalStateException after {@link #rules(RuleSet)} or a rules file
     */
    public Builder rule(CacheRule rule) {
      requireState(ruleSet == null, "rule() cannot be combined with rules(RuleSet)");
      rules.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /**
     * All rules at once, e.g. parsed with {@link RulesFileParser}.
     *
     * @param ruleSet the rules, in order
     * @return this builder
     * @throws IllegalStateException after {@link #rule(CacheRule)}, or when rules were already set
     */
    public Builder rules(RuleSet ruleSet) {
      requireState(rules.isEmpty(), "rules(RuleSet) cannot be combined with rule()");
      requireState(this.ruleSet == null, "rules were already set");
      this.ruleSet = Objects.requireNonNull(ruleSet, "ruleSet");
      return this;
    }

    /**
     * Reads a rules file now (see {@link RulesFileParser}). A relative path is resolved against the
     * working directory: {@link #rulesResource(String)} with {@code classpath:} works wherever the
     * application is started from.
     *
     * @param file the rules file
     * @return this builder
     * @throws RulesException naming the file, the line and the problem
     * @throws IllegalStateException after {@link #rule(CacheRule)}, or when rules were already set
     */
    public Builder rulesFile(Path file) {
      return rules(RulesFileParser.parse(file));
    }

    /**
     * Rules from {@code classpath:pagecache.conf} (a resource of the application's class loader,
     * which works wherever the application is started from) or a file-system path, as the
     * {@value #RULES_PARAM} init-param takes them.
     *
     * @param location {@code classpath:} and a resource name, or a file-system path
     * @return this builder
     * @throws RulesException naming the location and the problem when it is missing or invalid
     * @throws IllegalStateException after {@link #rule(CacheRule)}, or when rules were already set
     */
    public Builder rulesResource(String location) {
      return rules(readRules(location, null));
    }

    /**
     * The memory cached pages may use in this JVM; by default {@link #DEFAULT_HEAP_FRACTION} of the
     * maximum heap.
     *
     * @param bytes a positive number of bytes, counting bodies and headers
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is not positive
     * @throws IllegalStateException after {@link #store(PageStore)}, which has its own bound
     */
    public Builder maxCacheBytes(long bytes) {
      requireState(store == null, "maxCacheBytes cannot be combined with store(): the store has its own bound");
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxCacheBytes must be positive, was " + bytes);
      }
      this.maxCacheBytes = bytes;
      return this;
    }

    /**
     * The clock freshness is measured by: tests give one they can advance.
     *
     * @param clock the clock; the system clock by default
     * @return this builder
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Uses a store of one's own instead of the built-in in-memory one.
     *
     * @param store the store; it should read time from the same {@link #clock(InstantSource)}
     * @return this builder
     * @throws IllegalStateException after {@link #sharedStore} or {@link #maxCacheBytes}
     */
    public Builder store(PageStore store) {
      requireState(sharedStore == null, "store() cannot be combined with sharedStore(): give one or the other");
      requireState(maxCacheBytes == 0, "store() cannot be combined with maxCacheBytes: the store has its own bound");
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    private RuleSet ruleSet() {
      return ruleSet != null ? ruleSet : RuleSet.of(rules);
    }

    /**
     * The settings, after the checks that need more than one of them.
     *
     * @return the immutable settings
     * @throws IllegalStateException without rules, with {@code warmUrls} but no
     *     {@link #warmBaseUrl(URI)}, or with a purge path but no token or allow-list
     * @throws IllegalArgumentException if the warm base URL names a host outside {@link #hosts(List)}
     */
    public PageCacheConfig build() {
      requireState(ruleSet != null || !rules.isEmpty(), "no rules: add at least one with rule() or rules()");
      if (warmBaseUrl == null) {
        for (CacheRule rule : ruleSet().rules()) {
          if (!rule.warmUrls().isEmpty()) {
            throw new IllegalStateException(rule.describe() + " has warmUrls: set the URL clients reach the "
                + "application at, so warm pages are stored where they look (" + WARM_BASE_URL_PARAM
                + ", or warmBaseUrl(URI)), e.g. https://www.example.com");
          }
        }
      }
      requireState(purgePath == null || purgeToken != null || purgeAllowFrom != null,
          "purgePath needs purgeToken or purgeAllowFrom: without them the purge endpoint is off");
      return new PageCacheConfig(this);
    }

    private static void requireState(boolean ok, String message) {
      if (!ok) {
        throw new IllegalStateException(message);
      }
    }
  }
}
