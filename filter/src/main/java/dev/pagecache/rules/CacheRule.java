package dev.pagecache.rules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One per-URL rule: which requests it applies to, whether and how long their responses are kept,
 * and what goes into their cache key. Immutable; build one with {@link #forPath(String)}.
 *
 * <p>Defaults are the safe ones: a rule caches only {@code GET} and {@code HEAD}, only the
 * statuses in {@link #DEFAULT_STATUSES}, and never a response that carries {@code Set-Cookie},
 * {@code Cache-Control: private}, {@code no-store} or {@code no-cache}, or that answers a request
 * with {@code Authorization} or one that used an HTTP session, unless the matching
 * {@code allow...} switch is set.
 */
public final class CacheRule {
  /** Freshness lifetime when the origin gives none: {@value #DEFAULT_TTL_SECONDS} seconds. */
  public static final long DEFAULT_TTL_SECONDS = 60;
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(DEFAULT_TTL_SECONDS);
  /** Largest body a rule buffers and stores: {@value #DEFAULT_MAX_BODY_BYTES} bytes (2 MiB). */
  public static final long DEFAULT_MAX_BODY_BYTES = 2L * 1024 * 1024;
  /** Statuses stored when a rule lists none: the ones RFC 9110 §15.1 calls heuristically cacheable, minus errors. */
  public static final Set<Integer> DEFAULT_STATUSES = Set.of(200, 203, 300, 301, 308, 410);
  public static final Set<String> DEFAULT_METHODS = Set.of("GET", "HEAD");
  /** How long a miss waits for another request's render of the same page by default: 3 seconds. */
  public static final Duration DEFAULT_COALESCE_WAIT = Duration.ofSeconds(3);
  /** RFC 9213 targeted fields this cache obeys, most specific first. */
  public static final List<String> DEFAULT_TARGETED_FIELDS = List.of("Pagecache-Control", "CDN-Cache-Control");
  /** Targeted fields that reach the client: a CDN in front may obey {@code CDN-Cache-Control} too. */
  public static final List<String> DEFAULT_PASSED_TARGETED_FIELDS = List.of("CDN-Cache-Control");
  /** RFC 9111 §4.2.2 suggests 10% of the time since Last-Modified. */
  public static final double DEFAULT_HEURISTIC_FRACTION = 0.1;
  public static final Duration DEFAULT_HEURISTIC_MAX = Duration.ofDays(1);
  /** How long an expired page with the origin's validators is kept for revalidation, unless a rule says otherwise. */
  public static final Duration DEFAULT_REVALIDATION_RETENTION = Duration.ofHours(1);
  /** The longest a rule may keep an expired page for revalidation. */
  public static final Duration MAX_REVALIDATION_RETENTION = Duration.ofDays(1);
  /**
   * Smallest body compressed at store time: {@value #DEFAULT_COMPRESS_MIN_BYTES} bytes. Below it a
   * response fits in one TCP segment either way, so compressing saves no round trip, and gzip's
   * 18 bytes of framing and the {@code Vary} it brings eat most of the few bytes saved.
   */
  public static final int DEFAULT_COMPRESS_MIN_BYTES = 1024;

  private final PathPattern path;
  private final int line;
  private final Set<String> methods;
  private final boolean cache;
  private final Duration ttl;
  private final boolean forceTtl;
  private final QueryKey query;
  private final List<String> keyHeaders;
  private final List<String> keyCookies;
  private final List<String> bypassIfCookie;
  private final Set<Integer> statuses;
  private final long maxBodyBytes;
  private final DownstreamCacheControl downstreamCacheControl;
  private final boolean allowAuthorization;
  private final boolean allowSetCookie;
  private final boolean allowPrivate;
  private final boolean allowNoStore;
  private final boolean allowSession;
  private final boolean shareLargePages;
  private final boolean coalesce;
  private final Duration coalesceWait;
  private final Duration staleWhileRevalidate;
  private final Duration staleIfError;
  private final Duration revalidationRetention;
  private final List<String> warmUrls;
  private final List<String> trustedHeaders;
  private final List<String> ignoredHeaders;
  private final RequestCookies requestCookies;
  private final boolean checkContentType;
  private final ExtensionTypes extensionTypes;
  private final List<TagTemplate> tags;
  private final boolean keepTagHeaders;
  private final boolean refreshOnPurge;
  private final List<String> targetedFields;
  private final List<String> passedTargetedFields;
  private final List<String> withheldTargetedFields;
  private final boolean heuristic;
  private final double heuristicFraction;
  private final Duration heuristicMax;
  private final CompressibleTypes compressTypes;
  private final int compressMinBytes;

  /** What a cookie on the request means for storing its response. */
  public enum RequestCookies {
    /** Cookies are the application's business: a response it lets be cached may be stored. */
    IGNORE,
    /**
     * Any cookie the rule does not key may be a login: the response is stored only when it says
     * {@code public} or {@code s-maxage}, as for a request with {@code Authorization} (RFC 9111 §3.5).
     */
    CREDENTIALS
  }

  private CacheRule(Builder b) {
    this.path = b.path;
    this.line = b.line;
    this.methods = Set.copyOf(b.methods);
    this.cache = b.cache;
    this.ttl = b.ttl;
    this.forceTtl = b.forceTtl;
    this.query = b.query;
    this.keyHeaders = List.copyOf(b.keyHeaders);
    this.keyCookies = List.copyOf(b.keyCookies);
    this.bypassIfCookie = List.copyOf(b.bypassIfCookie);
    this.statuses = Set.copyOf(b.statuses);
    this.maxBodyBytes = b.maxBodyBytes;
    this.downstreamCacheControl = b.downstreamCacheControl;
    this.allowAuthorization = b.allowAuthorization;
    this.allowSetCookie = b.allowSetCookie;
    this.allowPrivate = b.allowPrivate;
    this.allowNoStore = b.allowNoStore;
    this.allowSession = b.allowSession;
    this.shareLargePages = b.shareLargePages;
    this.coalesce = b.coalesce;
    this.coalesceWait = b.coalesceWait;
    this.staleWhileRevalidate = b.staleWhileRevalidate;
    this.staleIfError = b.staleIfError;
    this.revalidationRetention = b.revalidationRetention;
    this.warmUrls = List.copyOf(b.warmUrls);
    this.trustedHeaders = b.trustedHeaders;
    this.ignoredHeaders = b.ignoredHeaders;
    // Static files never depend on who asks: a cookie there is a sign of deception, not of a page.
    this.requestCookies = b.requestCookies != null ? b.requestCookies
        : b.path instanceof PathPattern.Suffix ? RequestCookies.CREDENTIALS : RequestCookies.IGNORE;
    this.checkContentType = b.checkContentType;
    this.extensionTypes = b.extensionTypes;
    this.tags = b.tags;
    this.keepTagHeaders = b.keepTagHeaders;
    this.refreshOnPurge = b.refreshOnPurge;
    this.targetedFields = b.targetedFields;
    this.passedTargetedFields = b.passedTargetedFields;
    this.withheldTargetedFields = targetedFields.stream()
        .filter(name -> passedTargetedFields.stream().noneMatch(name::equalsIgnoreCase)).toList();
    this.heuristic = b.heuristic;
    this.heuristicFraction = b.heuristicFraction;
    this.heuristicMax = b.heuristicMax;
    this.compressTypes = b.compressTypes;
    this.compressMinBytes = b.compressMinBytes;
  }

  /** A rule for {@code pattern} (see {@link PathPattern}) with every default. */
  public static Builder forPath(String pattern) {
    return new Builder(PathPattern.parse(pattern));
  }

  public PathPattern path() {
    return path;
  }

  /** Line of the rules file this rule starts on; 0 for a rule built in code. */
  public int line() {
    return line;
  }

  public boolean appliesTo(String method) {
    return methods.contains(method);
  }

  public Set<String> methods() {
    return methods;
  }

  /** {@code false} for a rule that excludes its paths from caching. */
  public boolean cache() {
    return cache;
  }

  /**
   * Lifetime of pages the origin gives none; empty when the rule keeps only what the origin marks
   * cacheable with an explicit lifetime ({@code ttl = origin}).
   */
  public Optional<Duration> ttl() {
    return Optional.ofNullable(ttl);
  }

  /** Whether {@link #ttl()} is used even when the origin gives a lifetime of its own. */
  public boolean forceTtl() {
    return forceTtl;
  }

  public QueryKey query() {
    return query;
  }

  /** Request headers whose values go into the key, lower-cased. */
  public List<String> keyHeaders() {
    return keyHeaders;
  }

  public List<String> keyCookies() {
    return keyCookies;
  }

  /** Requests carrying any of these cookies are neither served from nor stored in the cache. */
  public List<String> bypassIfCookie() {
    return bypassIfCookie;
  }

  /** Whether the key has parts beyond the URL, so pages live under a {@code VariantIndex}. */
  public boolean hasKeyPartsBeyondUrl() {
    return !keyHeaders.isEmpty() || !keyCookies.isEmpty();
  }

  public boolean storesStatus(int status) {
    return statuses.contains(status);
  }

  public Set<Integer> statuses() {
    return statuses;
  }

  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  public Optional<DownstreamCacheControl> downstreamCacheControl() {
    return Optional.ofNullable(downstreamCacheControl);
  }

  public boolean allowAuthorization() {
    return allowAuthorization;
  }

  /** Store responses that set cookies, with their {@code Set-Cookie} fields removed. */
  public boolean allowSetCookie() {
    return allowSetCookie;
  }

  public boolean allowPrivate() {
    return allowPrivate;
  }

  /** Store responses marked {@code no-store} or {@code no-cache}. */
  public boolean allowNoStore() {
    return allowNoStore;
  }

  public boolean allowSession() {
    return allowSession;
  }

  /**
   * Whether a page larger than one memcached item is split into chunks there; {@code false}
   * keeps such pages in this JVM's memory only.
   */
  public boolean shareLargePages() {
    return shareLargePages;
  }

  /** Whether concurrent misses for one page wait for a single render (default true). */
  public boolean coalesce() {
    return coalesce;
  }

  /** The longest a miss waits for another request's render before rendering itself. */
  public Duration coalesceWait() {
    return coalesceWait;
  }

  /** How long past expiry a page may be served while one request renders its successor. */
  public Duration staleWhileRevalidate() {
    return staleWhileRevalidate;
  }

  /** How long past expiry a page may be served when rendering its successor fails. */
  public Duration staleIfError() {
    return staleIfError;
  }

  /**
   * How long past expiry a page with a validator of the origin's stays in the store, so that the
   * next request can revalidate it (a 304 costs the origin far less than a render) rather than
   * render it again. Memory stays bounded by the store's size either way.
   */
  public Duration revalidationRetention() {
    return revalidationRetention;
  }

  /**
   * Paths (with query, inside the application) rendered when the application starts and again
   * shortly before they expire, so they are never cold.
   */
  public List<String> warmUrls() {
    return warmUrls;
  }

  /**
   * Steering headers (see {@code SteeringHeaders}) a proxy in front sets on every request,
   * overwriting what clients send: they stay out of the key. Lower-case.
   */
  public List<String> trustedHeaders() {
    return trustedHeaders;
  }

  /** Request headers the application never sees: removed from the request it renders, and never keyed. Lower-case. */
  public List<String> ignoredHeaders() {
    return ignoredHeaders;
  }

  public RequestCookies requestCookies() {
    return requestCookies;
  }

  /**
   * Whether a response to a path with a known file extension is stored only when its
   * {@code Content-Type} fits the extension ({@link #extensionTypes()}).
   */
  public boolean checkContentType() {
    return checkContentType;
  }

  public ExtensionTypes extensionTypes() {
    return extensionTypes;
  }

  /**
   * Tags every page of this rule carries, besides those its response names in
   * {@code Surrogate-Key} and {@code Cache-Tag}; a purge by tag removes every page that carries it.
   */
  public List<TagTemplate> tags() {
    return tags;
  }

  /**
   * Whether {@code Surrogate-Key} and {@code Cache-Tag} reach the client (for a CDN further down
   * that purges by them too); by default they are the application's word to this cache, and kept
   * from the client.
   */
  public boolean keepTagHeaders() {
    return keepTagHeaders;
  }

  /** Whether a purge by tag renders this rule's pages again rather than only removing them. */
  public boolean refreshOnPurge() {
    return refreshOnPurge;
  }

  /**
   * The targeted cache-control fields (RFC 9213) this cache obeys, most specific first: the first
   * present with a valid value decides for this cache, in place of {@code Cache-Control},
   * {@code Expires} and {@code Surrogate-Control}.
   */
  public List<String> targetedFields() {
    return targetedFields;
  }

  /** The targeted fields kept from the client (and not stored): those addressed to this cache alone. */
  public List<String> withheldTargetedFields() {
    return withheldTargetedFields;
  }

  /** The targeted fields that reach the client. */
  public List<String> passedTargetedFields() {
    return passedTargetedFields;
  }

  /**
   * Whether a response without an explicit lifetime but with {@code Last-Modified} is given a
   * heuristic one (RFC 9111 §4.2.2) rather than the rule's ttl.
   */
  public boolean heuristic() {
    return heuristic;
  }

  /** The share of the time since {@code Last-Modified} a heuristic lifetime is. */
  public double heuristicFraction() {
    return heuristicFraction;
  }

  /** The longest heuristic lifetime. */
  public Duration heuristicMax() {
    return heuristicMax;
  }

  /** The media types whose pages are stored compressed too ({@code compressTypes}; empty: none). */
  public CompressibleTypes compressTypes() {
    return compressTypes;
  }

  /** Bodies smaller than this are stored (and sent) uncompressed. */
  public int compressMinBytes() {
    return compressMinBytes;
  }

  /** Same settings, ignoring the line it was read from. */
  public boolean sameSettingsAs(CacheRule other) {
    return methods.equals(other.methods) && cache == other.cache && Objects.equals(ttl, other.ttl)
        && forceTtl == other.forceTtl && query.equals(other.query) && keyHeaders.equals(other.keyHeaders)
        && keyCookies.equals(other.keyCookies) && bypassIfCookie.equals(other.bypassIfCookie)
        && statuses.equals(other.statuses) && maxBodyBytes == other.maxBodyBytes
        && Objects.equals(downstreamCacheControl, other.downstreamCacheControl)
        && allowAuthorization == other.allowAuthorization && allowSetCookie == other.allowSetCookie
        && allowPrivate == other.allowPrivate && allowNoStore == other.allowNoStore
        && allowSession == other.allowSession && shareLargePages == other.shareLargePages
        && coalesce == other.coalesce && coalesceWait.equals(other.coalesceWait)
        && staleWhileRevalidate.equals(other.staleWhileRevalidate) && staleIfError.equals(other.staleIfError)
        && revalidationRetention.equals(other.revalidationRetention)
        && warmUrls.equals(other.warmUrls) && trustedHeaders.equals(other.trustedHeaders)
        && ignoredHeaders.equals(other.ignoredHeaders) && requestCookies == other.requestCookies
        && checkContentType == other.checkContentType && extensionTypes.equals(other.extensionTypes)
        && tags.equals(other.tags) && keepTagHeaders == other.keepTagHeaders
        && refreshOnPurge == other.refreshOnPurge && targetedFields.equals(other.targetedFields)
        && passedTargetedFields.equals(other.passedTargetedFields) && heuristic == other.heuristic
        && heuristicFraction == other.heuristicFraction && heuristicMax.equals(other.heuristicMax)
        && compressTypes.equals(other.compressTypes)
        && compressMinBytes == other.compressMinBytes;
  }

  /** Where the rule came from, for messages: {@code rule '/wiki/*' (line 12)}. */
  public String describe() {
    return "rule '" + path.source() + "'" + (line > 0 ? " (line " + line + ")" : "");
  }

  @Override
  public String toString() {
    if (!cache) {
      return path.source() + " not cached";
    }
    StringBuilder text = new StringBuilder(path.source()).append(" ttl=")
        .append(ttl == null ? "origin" : ttl.toSeconds() + "s");
    if (forceTtl) {
      text.append(" (forced)");
    }
    if (!query.equals(QueryKey.all())) {
      text.append(" query=").append(query);
    }
    if (!keyHeaders.isEmpty()) {
      text.append(" keyHeaders=").append(keyHeaders);
    }
    if (!keyCookies.isEmpty()) {
      text.append(" keyCookies=").append(keyCookies);
    }
    if (!tags.isEmpty()) {
      text.append(" tags=").append(tags);
    }
    return text.toString();
  }

  /** Checks each setting as it is given; {@link #build()} cannot fail. */
  public static final class Builder {
    private final PathPattern path;
    private int line;
    private Set<String> methods = DEFAULT_METHODS;
    private boolean cache = true;
    private Duration ttl = DEFAULT_TTL;
    private boolean forceTtl;
    private QueryKey query = QueryKey.all();
    private List<String> keyHeaders = List.of();
    private List<String> keyCookies = List.of();
    private List<String> bypassIfCookie = List.of();
    private Set<Integer> statuses = DEFAULT_STATUSES;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private DownstreamCacheControl downstreamCacheControl;
    private boolean allowAuthorization;
    private boolean allowSetCookie;
    private boolean allowPrivate;
    private boolean allowNoStore;
    private boolean allowSession;
    private boolean shareLargePages = true;
    private CompressibleTypes compressTypes = CompressibleTypes.defaults();
    private int compressMinBytes = DEFAULT_COMPRESS_MIN_BYTES;
    private boolean coalesce = true;
    private Duration coalesceWait = DEFAULT_COALESCE_WAIT;
    private Duration staleWhileRevalidate = Duration.ZERO;
    private Duration staleIfError = Duration.ZERO;
    private Duration revalidationRetention = DEFAULT_REVALIDATION_RETENTION;
    private List<String> warmUrls = List.of();
    private List<String> trustedHeaders = List.of();
    private List<String> ignoredHeaders = List.of();
    private RequestCookies requestCookies;
    private boolean checkContentType = true;
    private ExtensionTypes extensionTypes = ExtensionTypes.builtIn();
    private List<TagTemplate> tags = List.of();
    private boolean keepTagHeaders;
    private boolean refreshOnPurge;
    private List<String> targetedFields = DEFAULT_TARGETED_FIELDS;
    private List<String> passedTargetedFields = DEFAULT_PASSED_TARGETED_FIELDS;
    private boolean passedTargetedFieldsSet;
    private boolean heuristic;
    private double heuristicFraction = DEFAULT_HEURISTIC_FRACTION;
    private Duration heuristicMax = DEFAULT_HEURISTIC_MAX;

    private Builder(PathPattern path) {
      this.path = path;
    }

    public Builder line(int line) {
      this.line = line;
      return this;
    }

    /** Methods served from cache: a non-empty subset of GET and HEAD. */
    public Builder methods(Set<String> methods) {
      Set<String> upper = new LinkedHashSet<>();
      for (String method : methods) {
        String name = method.trim().toUpperCase(Locale.ROOT);
        if (!DEFAULT_METHODS.contains(name)) {
          throw new IllegalArgumentException("methods: only GET and HEAD can be served from cache, not '" + method + "'");
        }
        upper.add(name);
      }
      if (!upper.contains("GET")) {
        throw new IllegalArgumentException("methods must include GET: HEAD is answered from the pages GET stores");
      }
      this.methods = upper;
      return this;
    }

    /** {@code false} excludes the paths of this rule from caching. */
    public Builder cache(boolean cache) {
      this.cache = cache;
      return this;
    }

    public Builder ttl(Duration ttl) {
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("ttl must be positive, was " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * Stores only responses whose origin gives a lifetime ({@code s-maxage}, {@code max-age},
     * {@code Expires} or {@code Surrogate-Control}), as a strict RFC 9111 shared cache does.
     */
    public Builder ttlFromOriginOnly() {
      this.ttl = null;
      return this;
    }

    public Builder forceTtl(boolean forceTtl) {
      this.forceTtl = forceTtl;
      return this;
    }

    public Builder query(QueryKey query) {
      this.query = Objects.requireNonNull(query, "query");
      return this;
    }

    public Builder keyHeaders(List<String> names) {
      this.keyHeaders = lowerCaseNames("keyHeaders", names);
      return this;
    }

    public Builder keyCookies(List<String> names) {
      this.keyCookies = cookieNames("keyCookies", names);
      return this;
    }

    public Builder bypassIfCookie(List<String> names) {
      this.bypassIfCookie = cookieNames("bypassIfCookie", names);
      return this;
    }

    public Builder statuses(Set<Integer> statuses) {
      if (statuses.isEmpty()) {
        throw new IllegalArgumentException("statuses may not be empty (use cache = false to exclude a path)");
      }
      for (int status : statuses) {
        if (status < 200 || status > 599) {
          throw new IllegalArgumentException("statuses: " + status + " is not a final HTTP status (200-599)");
        }
        if (status == 206 || status == 304) {
          throw new IllegalArgumentException("statuses: " + status + " answers a conditional or range "
              + "request and cannot be stored as a page");
        }
      }
      this.statuses = Set.copyOf(statuses);
      return this;
    }

    public Builder maxBodyBytes(long maxBodyBytes) {
      if (maxBodyBytes < 0 || maxBodyBytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("maxBodyBytes must be between 0 and 2 GiB, was " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    public Builder downstreamCacheControl(String template) {
      this.downstreamCacheControl = template == null ? null : DownstreamCacheControl.of(template);
      return this;
    }

    public Builder allowAuthorization(boolean allow) {
      this.allowAuthorization = allow;
      return this;
    }

    public Builder allowSetCookie(boolean allow) {
      this.allowSetCookie = allow;
      return this;
    }

    public Builder allowPrivate(boolean allow) {
      this.allowPrivate = allow;
      return this;
    }

    public Builder allowNoStore(boolean allow) {
      this.allowNoStore = allow;
      return this;
    }

    public Builder allowSession(boolean allow) {
      this.allowSession = allow;
      return this;
    }

    public Builder coalesce(boolean coalesce) {
      this.coalesce = coalesce;
      return this;
    }

    public Builder coalesceWait(Duration wait) {
      if (wait.isNegative() || wait.isZero()) {
        throw new IllegalArgumentException("coalesceWait must be positive, was " + wait);
      }
      this.coalesceWait = wait;
      return this;
    }

    public Builder staleWhileRevalidate(Duration window) {
      this.staleWhileRevalidate = nonNegative("staleWhileRevalidate", window);
      return this;
    }

    public Builder staleIfError(Duration window) {
      this.staleIfError = nonNegative("staleIfError", window);
      return this;
    }

    /** See {@link CacheRule#revalidationRetention()}; 0 turns it off, at most {@link #MAX_REVALIDATION_RETENTION}. */
    public Builder revalidationRetention(Duration retention) {
      nonNegative("revalidationRetention", retention);
      if (retention.compareTo(MAX_REVALIDATION_RETENTION) > 0) {
        throw new IllegalArgumentException("revalidationRetention may be at most " + MAX_REVALIDATION_RETENTION.toHours()
            + "h, was " + retention);
      }
      this.revalidationRetention = retention;
      return this;
    }

    private static Duration nonNegative(String setting, Duration window) {
      if (window.isNegative()) {
        throw new IllegalArgumentException(setting + " may not be negative, was " + window);
      }
      return window;
    }

    /** Paths such as {@code /} or {@code /links?page=1}; each must match this rule's pattern. */
    public Builder warmUrls(List<String> urls) {
      for (String url : urls) {
        String path = url.indexOf('?') < 0 ? url : url.substring(0, url.indexOf('?'));
        if (!path.startsWith("/") || !this.path.matches(path)) {
          throw new IllegalArgumentException("warmUrls: '" + url + "' does not match this rule's path '"
              + this.path.source() + "'");
        }
      }
      this.warmUrls = List.copyOf(urls);
      return this;
    }

    /** Steering headers a proxy in front always overwrites: they stay out of the key. */
    public Builder trustedHeaders(List<String> names) {
      this.trustedHeaders = lowerCaseNames("trustedHeaders", names);
      return this;
    }

    /** Request headers hidden from the application and kept out of the key. */
    public Builder ignoredHeaders(List<String> names) {
      this.ignoredHeaders = lowerCaseNames("ignoredHeaders", names);
      return this;
    }

    /** What a request cookie means for storing; the default depends on the pattern (see {@link RequestCookies}). */
    public Builder requestCookies(RequestCookies meaning) {
      this.requestCookies = Objects.requireNonNull(meaning, "requestCookies");
      return this;
    }

    public Builder checkContentType(boolean check) {
      this.checkContentType = check;
      return this;
    }

    /** More file extensions, or other media types for known ones: {@code map -> [application/json]}. */
    public Builder extensionTypes(java.util.Map<String, List<String>> additions) {
      this.extensionTypes = ExtensionTypes.builtIn().with(additions);
      return this;
    }

    /** Media types compressed at store time ({@link CompressibleTypes}); an empty list turns compression off. */
    public Builder compressTypes(List<String> patterns) {
      this.compressTypes = CompressibleTypes.of(patterns);
      return this;
    }

    public Builder compressMinBytes(long bytes) {
      if (bytes < 0 || bytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("compressMinBytes must be between 0 and 2 GiB, was " + bytes);
      }
      this.compressMinBytes = (int) bytes;
      return this;
    }

    public Builder shareLargePages(boolean share) {
      this.shareLargePages = share;
      return this;
    }

    /**
     * Tag templates ({@link TagTemplate}), at most {@value TagTemplate#MAX_TAGS_PER_PAGE}; the
     * cookies and query parameters they name must be in the key (checked by {@link #build()}).
     */
    public Builder tags(List<String> templates) {
      if (templates.size() > TagTemplate.MAX_TAGS_PER_PAGE) {
        throw new IllegalArgumentException("tags: " + templates.size() + " templates, more than the "
            + TagTemplate.MAX_TAGS_PER_PAGE + " tags a page may carry");
      }
      List<TagTemplate> parsed = new ArrayList<>();
      for (String template : templates) {
        TagTemplate tag = TagTemplate.parse(template);
        if (!parsed.contains(tag)) {
          parsed.add(tag);
        }
      }
      this.tags = List.copyOf(parsed);
      return this;
    }

    public Builder keepTagHeaders(boolean keep) {
      this.keepTagHeaders = keep;
      return this;
    }

    public Builder refreshOnPurge(boolean refresh) {
      this.refreshOnPurge = refresh;
      return this;
    }

    /** Targeted fields obeyed, most specific first; an empty list obeys none. */
    public Builder targetedFields(List<String> names) {
      this.targetedFields = fieldNames("targetedFields", names);
      return this;
    }

    /** Which of the targeted fields reach the client (checked against them by {@link #build()}). */
    public Builder passedTargetedFields(List<String> names) {
      this.passedTargetedFields = fieldNames("passedTargetedFields", names);
      this.passedTargetedFieldsSet = true;
      return this;
    }

    public Builder heuristic(boolean heuristic) {
      this.heuristic = heuristic;
      return this;
    }

    /** Greater than 0, at most 1. */
    public Builder heuristicFraction(double fraction) {
      if (!(fraction > 0 && fraction <= 1)) {
        throw new IllegalArgumentException("heuristicFraction: " + fraction + " is not more than 0 and at most 1 (0.1 is 10%)");
      }
      this.heuristicFraction = fraction;
      return this;
    }

    public Builder heuristicMax(Duration max) {
      if (max.isNegative() || max.isZero()) {
        throw new IllegalArgumentException("heuristicMax: must be positive, not " + max);
      }
      this.heuristicMax = max;
      return this;
    }

    public CacheRule build() {
      if (!passedTargetedFieldsSet) {
        passedTargetedFields = DEFAULT_PASSED_TARGETED_FIELDS.stream()
            .filter(name -> targetedFields.stream().anyMatch(name::equalsIgnoreCase)).toList();
      }
      for (String name : passedTargetedFields) {
        if (targetedFields.stream().noneMatch(name::equalsIgnoreCase)) {
          throw new IllegalArgumentException("passedTargetedFields: '" + name + "' is not one of targetedFields "
              + targetedFields + "; a field this cache does not obey always reaches the client");
        }
      }
      if (forceTtl && ttl == null) {
        throw new IllegalArgumentException("forceTtl needs a ttl to force; it cannot be combined with ttl = origin");
      }
      for (String name : ignoredHeaders) {
        if (keyHeaders.contains(name)) {
          throw new IllegalArgumentException("'" + name + "' is in both keyHeaders and ignoredHeaders");
        }
      }
      checkTagsFollowTheKey();
      return new CacheRule(this);
    }

    /**
     * A tag may only take values the key also holds. Requests that share a key share one stored
     * page, rendered for whichever of them came first: a tag made of a cookie or a query parameter
     * the key leaves out would be that first request's value, not the others'. The page would then
     * carry a tag chosen by one (perhaps hostile) client, e.g. {@code ?utm_source=home} to put the
     * shared page under a tag its owner purges for other reasons, and miss the tag the rest of its
     * requests would give it, so a purge meant for them leaves it in place. Path segments are
     * always in the key.
     */
    private void checkTagsFollowTheKey() {
      for (TagTemplate tag : tags) {
        for (TagTemplate.Part part : tag.parts()) {
          if (part instanceof TagTemplate.Cookie cookie && !keyCookies.contains(cookie.name())) {
            throw new IllegalArgumentException("tags: '" + tag.source() + "': {cookie." + cookie.name()
                + "} names a cookie that is not in keyCookies " + keyCookies
                + ": a tag may only use what the key holds, or pages shared by many requests would carry one request's tag");
          }
          if (part instanceof TagTemplate.QueryParameter parameter && !query.includes(parameter.name())) {
            throw new IllegalArgumentException("tags: '" + tag.source() + "': {query." + parameter.name()
                + "} names a query parameter the key leaves out (query = " + query
                + "): a tag may only use what the key holds, or pages shared by many requests would carry one request's tag");
          }
        }
      }
    }

    private static List<String> lowerCaseNames(String setting, List<String> names) {
      List<String> lower = new ArrayList<>();
      for (String name : names) {
        String trimmed = name.trim();
        if (trimmed.isEmpty() || !isToken(trimmed)) {
          throw new IllegalArgumentException(setting + ": '" + name + "' is not a header name");
        }
        lower.add(trimmed.toLowerCase(Locale.ROOT));
      }
      return List.copyOf(new LinkedHashSet<>(lower));
    }

    /** Header names as written (they are sent as written), no repeats ignoring case. */
    private static List<String> fieldNames(String setting, List<String> names) {
      List<String> kept = new ArrayList<>();
      for (String name : names) {
        String trimmed = name.trim();
        if (trimmed.isEmpty() || !isToken(trimmed)) {
          throw new IllegalArgumentException(setting + ": '" + name + "' is not a header name");
        }
        if (kept.stream().noneMatch(trimmed::equalsIgnoreCase)) {
          kept.add(trimmed);
        }
      }
      return List.copyOf(kept);
    }

    private static List<String> cookieNames(String setting, List<String> names) {
      for (String name : names) {
        if (name.isBlank() || !isToken(name.trim())) {
          throw new IllegalArgumentException(setting + ": '" + name + "' is not a cookie name");
        }
      }
      return names.stream().map(String::trim).distinct().toList();
    }

    /** RFC 9110 §5.6.2 token characters. */
    private static boolean isToken(String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
            || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        if (!ok) {
          return false;
        }
      }
      return true;
    }
  }
}
