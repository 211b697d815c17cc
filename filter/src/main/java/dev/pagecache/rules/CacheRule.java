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
  /** {@link #DEFAULT_TTL_SECONDS} as a {@code Duration}. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(DEFAULT_TTL_SECONDS);
  /** Largest body a rule buffers and stores: {@value #DEFAULT_MAX_BODY_BYTES} bytes (2 MiB). */
  public static final long DEFAULT_MAX_BODY_BYTES = 2L * 1024 * 1024;
  /** Statuses stored when a rule lists none: the ones RFC 9110 §15.1 calls heuristically cacheable, minus errors. */
  public static final Set<Integer> DEFAULT_STATUSES = Set.of(200, 203, 300, 301, 308, 410);
  /** Methods a rule serves from cache unless it lists fewer; also the only ones it may list. */
  public static final Set<String> DEFAULT_METHODS = Set.of("GET", "HEAD");
  /** How long a miss waits for another request's render of the same page by default: 3 seconds. */
  public static final Duration DEFAULT_COALESCE_WAIT = Duration.ofSeconds(3);
  /** RFC 9213 targeted fields this cache obeys, most specific first. */
  public static final List<String> DEFAULT_TARGETED_FIELDS = List.of("Pagecache-Control", "CDN-Cache-Control");
  /** Targeted fields that reach the client: a CDN in front may obey {@code CDN-Cache-Control} too. */
  public static final List<String> DEFAULT_PASSED_TARGETED_FIELDS = List.of("CDN-Cache-Control");
  /** RFC 9111 §4.2.2 suggests 10% of the time since Last-Modified. */
  public static final double DEFAULT_HEURISTIC_FRACTION = 0.1;
  /** The longest heuristic lifetime unless a rule says otherwise: one day. */
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

  /**
   * A rule for {@code pattern} with every default.
   *
   * @param pattern {@code /exact}, {@code /prefix/*}, {@code *.suffix} or {@code ^regex} (see {@link PathPattern})
   * @return a builder to change the defaults on
   * @throws IllegalArgumentException if the pattern is none of those
   */
  public static Builder forPath(String pattern) {
    return new Builder(PathPattern.parse(pattern));
  }

  /** {@return the paths this rule applies to} */
  public PathPattern path() {
    return path;
  }

  /** {@return the line of the rules file this rule starts on; 0 for a rule built in code} */
  public int line() {
    return line;
  }

  /**
   * Whether requests with {@code method} are served from and stored in the cache under this rule.
   *
   * @param method the request method, upper-case as HTTP sends it
   * @return {@code true} for one of {@link #methods()}
   */
  public boolean appliesTo(String method) {
    return methods.contains(method);
  }

  /** {@return the methods served from cache, upper-case: {@code GET}, and {@code HEAD} unless left out} */
  public Set<String> methods() {
    return methods;
  }

  /** {@return {@code false} for a rule that excludes its paths from caching} */
  public boolean cache() {
    return cache;
  }

  /**
   * {@return the lifetime of pages the origin gives none; empty when the rule keeps only what the
   * origin marks cacheable with an explicit lifetime ({@code ttl = origin})}
   */
  public Optional<Duration> ttl() {
    return Optional.ofNullable(ttl);
  }

  /** {@return whether {@link #ttl()} is used even when the origin gives a lifetime of its own} */
  public boolean forceTtl() {
    return forceTtl;
  }

  /** {@return which query parameters go into the key (all by default)} */
  public QueryKey query() {
    return query;
  }

  /** {@return the request headers whose values go into the key, lower-cased; empty by default} */
  public List<String> keyHeaders() {
    return keyHeaders;
  }

  /** {@return the cookies whose values go into the key, so each value (each user) has its own copy; empty by default} */
  public List<String> keyCookies() {
    return keyCookies;
  }

  /** {@return the cookies that make a request skip the cache: it is neither served from nor stored in it} */
  public List<String> bypassIfCookie() {
    return bypassIfCookie;
  }

  /** {@return whether the key has parts beyond the URL (headers or cookies), so one URL may have many pages} */
  public boolean hasKeyPartsBeyondUrl() {
    return !keyHeaders.isEmpty() || !keyCookies.isEmpty();
  }

  /**
   * Whether a response with {@code status} may be stored under this rule.
   *
   * @param status the HTTP status of the response
   * @return {@code true} for one of {@link #statuses()}
   */
  public boolean storesStatus(int status) {
    return statuses.contains(status);
  }

  /** {@return the statuses stored; {@link #DEFAULT_STATUSES} unless the rule lists its own} */
  public Set<Integer> statuses() {
    return statuses;
  }

  /** {@return the largest body stored, in bytes; bigger bodies stream to the client untouched} */
  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  /**
   * {@return the {@code Cache-Control} sent to browsers and proxies in front with a cached or
   * stored page; empty to send the origin's}
   */
  public Optional<DownstreamCacheControl> downstreamCacheControl() {
    return Optional.ofNullable(downstreamCacheControl);
  }

  /** {@return whether requests that carry {@code Authorization} may be answered from and stored in the cache} */
  public boolean allowAuthorization() {
    return allowAuthorization;
  }

  /** {@return whether responses that set cookies are stored, with their {@code Set-Cookie} fields removed} */
  public boolean allowSetCookie() {
    return allowSetCookie;
  }

  /** {@return whether responses marked {@code Cache-Control: private} are stored} */
  public boolean allowPrivate() {
    return allowPrivate;
  }

  /** {@return whether responses marked {@code no-store} or {@code no-cache} are stored} */
  public boolean allowNoStore() {
    return allowNoStore;
  }

  /**
   * {@return whether requests that carry a session id may be answered from the cache, and responses
   * whose rendering created or read an HTTP session stored}
   */
  public boolean allowSession() {
    return allowSession;
  }

  /**
   * {@return whether a page larger than one memcached item is split into chunks there; {@code false}
   * keeps such pages in this JVM's memory only}
   */
  public boolean shareLargePages() {
    return shareLargePages;
  }

  /** {@return whether concurrent misses for one page wait for a single render (default true)} */
  public boolean coalesce() {
    return coalesce;
  }

  /** {@return the longest a miss waits for another request's render before rendering itself} */
  public Duration coalesceWait() {
    return coalesceWait;
  }

  /** {@return how long past expiry a page may be served while one request renders its successor; zero by default} */
  public Duration staleWhileRevalidate() {
    return staleWhileRevalidate;
  }

  /** {@return how long past expiry a page may be served when rendering its successor fails; zero by default} */
  public Duration staleIfError() {
    return staleIfError;
  }

  /**
   * {@return how long past expiry a page with a validator of the origin's stays in the store, so that
   * the next request can revalidate it (a 304 costs the origin far less than a render) rather than
   * render it again} Memory stays bounded by the store's size either way.
   */
  public Duration revalidationRetention() {
    return revalidationRetention;
  }

  /**
   * {@return the paths (with query, inside the application) rendered when the application starts and
   * again shortly before they expire, so they are never cold; empty by default}
   */
  public List<String> warmUrls() {
    return warmUrls;
  }

  /**
   * {@return the steering headers ({@code X-Forwarded-Host}, {@code Forwarded}...) a proxy in front
   * sets on every request, overwriting what clients send, lower-case} They stay out of the key.
   */
  public List<String> trustedHeaders() {
    return trustedHeaders;
  }

  /**
   * {@return the request headers the application never sees, lower-case} They are removed from the
   * request it renders, and never keyed.
   */
  public List<String> ignoredHeaders() {
    return ignoredHeaders;
  }

  /**
   * {@return what a cookie on the request means for storing its response; {@link RequestCookies#CREDENTIALS}
   * by default for a {@code *.suffix} rule, {@link RequestCookies#IGNORE} otherwise}
   */
  public RequestCookies requestCookies() {
    return requestCookies;
  }

  /**
   * {@return whether a response to a path with a known file extension is stored only when its
   * {@code Content-Type} fits the extension ({@link #extensionTypes()})}
   */
  public boolean checkContentType() {
    return checkContentType;
  }

  /** {@return the media types each file extension may be answered with, for {@link #checkContentType()}} */
  public ExtensionTypes extensionTypes() {
    return extensionTypes;
  }

  /**
   * {@return the tags every page of this rule carries, besides those its response names in
   * {@code Surrogate-Key} and {@code Cache-Tag}} A purge by tag removes every page that carries it.
   */
  public List<TagTemplate> tags() {
    return tags;
  }

  /**
   * {@return whether {@code Surrogate-Key} and {@code Cache-Tag} reach the client (for a CDN further
   * down that purges by them too)} By default they are the application's word to this cache, and kept
   * from the client.
   */
  public boolean keepTagHeaders() {
    return keepTagHeaders;
  }

  /** {@return whether a purge by tag renders this rule's pages again rather than only removing them} */
  public boolean refreshOnPurge() {
    return refreshOnPurge;
  }

  /**
   * {@return the targeted cache-control fields (RFC 9213) this cache obeys, most specific first} The
   * first present with a valid value decides for this cache, in place of {@code Cache-Control},
   * {@code Expires} and {@code Surrogate-Control}. Empty: none is obeyed.
   */
  public List<String> targetedFields() {
    return targetedFields;
  }

  /** {@return the targeted fields kept from the client (and not stored): those addressed to this cache alone} */
  public List<String> withheldTargetedFields() {
    return withheldTargetedFields;
  }

  /** {@return the targeted fields that reach the client and are stored, as written} */
  public List<String> passedTargetedFields() {
    return passedTargetedFields;
  }

  /**
   * {@return whether a response without an explicit lifetime but with {@code Last-Modified} is given a
   * heuristic one (RFC 9111 §4.2.2) rather than the rule's ttl}
   */
  public boolean heuristic() {
    return heuristic;
  }

  /** {@return the share of the time since {@code Last-Modified} a heuristic lifetime is, more than 0 and at most 1} */
  public double heuristicFraction() {
    return heuristicFraction;
  }

  /** {@return the longest heuristic lifetime} */
  public Duration heuristicMax() {
    return heuristicMax;
  }

  /** {@return the media types whose pages are stored compressed too ({@code compressTypes}; empty: none)} */
  public CompressibleTypes compressTypes() {
    return compressTypes;
  }

  /** {@return the smallest body compressed, in bytes; smaller ones are stored (and sent) as they are} */
  public int compressMinBytes() {
    return compressMinBytes;
  }

  /**
   * Whether two rules would treat every request alike: used to tell a changed rules file from one
   * merely reformatted.
   *
   * @param other the rule to compare with
   * @return {@code true} if every setting is equal, ignoring the line each was read from
   */
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

  /** {@return where the rule came from, for messages: {@code rule '/wiki/*' (line 12)}} */
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

  /**
   * Checks each setting as it is given, so a bad value fails where it is set; {@link #build()}
   * checks only what needs more than one setting.
   */
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

    /**
     * The line of the rules file the rule starts on, named in messages about it.
     *
     * @param line a line number from 1; 0 (the default) for a rule built in code
     * @return this builder
     */
    public Builder line(int line) {
      this.line = line;
      return this;
    }

    /**
     * Methods served from cache.
     *
     * @param methods {@code GET}, or {@code GET} and {@code HEAD}, in any case
     * @return this builder
     * @throws IllegalArgumentException for any other method, or a set without {@code GET}
     */
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

    /**
     * Whether the rule caches at all.
     *
     * @param cache {@code false} excludes the paths of this rule from caching
     * @return this builder
     */
    public Builder cache(boolean cache) {
      this.cache = cache;
      return this;
    }

    /**
     * Lifetime of pages the origin gives none ({@link #DEFAULT_TTL} by default).
     *
     * @param ttl a positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code ttl} is zero or negative
     */
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
     *
     * @return this builder
     */
    public Builder ttlFromOriginOnly() {
      this.ttl = null;
      return this;
    }

    /**
     * Whether the rule's ttl wins over a lifetime the origin gives.
     *
     * @param forceTtl {@code true} to use the ttl even when the origin gives a lifetime; cannot be
     *     combined with {@link #ttlFromOriginOnly()} (checked by {@link #build()})
     * @return this builder
     */
    public Builder forceTtl(boolean forceTtl) {
      this.forceTtl = forceTtl;
      return this;
    }

    /**
     * Which query parameters go into the key.
     *
     * @param query {@link QueryKey#all()} (the default), {@link QueryKey#none()}, or a list in or out
     * @return this builder
     */
    public Builder query(QueryKey query) {
      this.query = Objects.requireNonNull(query, "query");
      return this;
    }

    /**
     * Request headers whose values go into the key, so that each value has its own copy.
     *
     * @param names header names, in any case
     * @return this builder
     * @throws IllegalArgumentException if a name is not an HTTP token
     */
    public Builder keyHeaders(List<String> names) {
      this.keyHeaders = lowerCaseNames("keyHeaders", names);
      return this;
    }

    /**
     * Cookies whose values go into the key: per-user pages.
     *
     * @param names cookie names, as written (cookie names are case-sensitive)
     * @return this builder
     * @throws IllegalArgumentException if a name is blank or not an HTTP token
     */
    public Builder keyCookies(List<String> names) {
      this.keyCookies = cookieNames("keyCookies", names);
      return this;
    }

    /**
     * Cookies that make a request skip the cache.
     *
     * @param names cookie names, as written
     * @return this builder
     * @throws IllegalArgumentException if a name is blank or not an HTTP token
     */
    public Builder bypassIfCookie(List<String> names) {
      this.bypassIfCookie = cookieNames("bypassIfCookie", names);
      return this;
    }

    /**
     * Statuses whose responses are stored ({@link #DEFAULT_STATUSES} by default).
     *
     * @param statuses final statuses from 200 to 599
     * @return this builder
     * @throws IllegalArgumentException for an empty set, a status outside 200-599, or 206 or 304
     */
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

    /**
     * Largest body stored ({@link #DEFAULT_MAX_BODY_BYTES} by default).
     *
     * @param maxBodyBytes bytes, from 0 to about 2 GiB
     * @return this builder
     * @throws IllegalArgumentException outside that range
     */
    public Builder maxBodyBytes(long maxBodyBytes) {
      if (maxBodyBytes < 0 || maxBodyBytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("maxBodyBytes must be between 0 and 2 GiB, was " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * {@code Cache-Control} sent to browsers and proxies in front with cached and stored pages.
     *
     * @param template e.g. {@code public, max-age={ttl}}, where {@code {ttl}} is the whole seconds
     *     of freshness the page has left; {@code null} to send the origin's (the default)
     * @return this builder
     * @throws IllegalArgumentException if the template is blank, has a line break or uses
     *     {@code {ttl}} more than once
     */
    public Builder downstreamCacheControl(String template) {
      this.downstreamCacheControl = template == null ? null : DownstreamCacheControl.of(template);
      return this;
    }

    /**
     * Relaxes one of the safe defaults.
     *
     * @param allow {@code true}: requests that carry {@code Authorization} may be answered from and stored in the cache ({@code false} by default)
     * @return this builder
     */
    public Builder allowAuthorization(boolean allow) {
      this.allowAuthorization = allow;
      return this;
    }

    /**
     * Relaxes one of the safe defaults.
     *
     * @param allow {@code true}: responses that set cookies are stored, without their {@code Set-Cookie} fields ({@code false} by default)
     * @return this builder
     */
    public Builder allowSetCookie(boolean allow) {
      this.allowSetCookie = allow;
      return this;
    }

    /**
     * Relaxes one of the safe defaults.
     *
     * @param allow {@code true}: responses marked {@code Cache-Control: private} are stored ({@code false} by default)
     * @return this builder
     */
    public Builder allowPrivate(boolean allow) {
      this.allowPrivate = allow;
      return this;
    }

    /**
     * Relaxes one of the safe defaults.
     *
     * @param allow {@code true}: responses marked {@code no-store} or {@code no-cache} are stored ({@code false} by default)
     * @return this builder
     */
    public Builder allowNoStore(boolean allow) {
      this.allowNoStore = allow;
      return this;
    }

    /**
     * Relaxes one of the safe defaults.
     *
     * @param allow {@code true}: requests with a session id may be answered from the cache, and responses rendered with an HTTP session stored ({@code false} by default)
     * @return this builder
     */
    public Builder allowSession(boolean allow) {
      this.allowSession = allow;
      return this;
    }

    /**
     * Whether concurrent misses for one page wait for a single render.
     *
     * @param coalesce {@code false} lets every miss render for itself ({@code true} by default)
     * @return this builder
     */
    public Builder coalesce(boolean coalesce) {
      this.coalesce = coalesce;
      return this;
    }

    /**
     * The longest a miss waits for another request's render ({@link #DEFAULT_COALESCE_WAIT} by default).
     *
     * @param wait a positive duration; past it the request renders for itself
     * @return this builder
     * @throws IllegalArgumentException if {@code wait} is zero or negative
     */
    public Builder coalesceWait(Duration wait) {
      if (wait.isNegative() || wait.isZero()) {
        throw new IllegalArgumentException("coalesceWait must be positive, was " + wait);
      }
      this.coalesceWait = wait;
      return this;
    }

    /**
     * How long past expiry a page may be served while one request renders its successor; the
     * origin's {@code stale-while-revalidate} applies too, and the longer wins.
     *
     * @param window zero (the default) or more
     * @return this builder
     * @throws IllegalArgumentException if {@code window} is negative
     */
    public Builder staleWhileRevalidate(Duration window) {
      this.staleWhileRevalidate = nonNegative("staleWhileRevalidate", window);
      return this;
    }

    /**
     * How long past expiry a page may be served when rendering its successor throws or answers 5xx;
     * the origin's {@code stale-if-error} applies too.
     *
     * @param window zero (the default) or more
     * @return this builder
     * @throws IllegalArgumentException if {@code window} is negative
     */
    public Builder staleIfError(Duration window) {
      this.staleIfError = nonNegative("staleIfError", window);
      return this;
    }

    /**
     * How long an expired page with the origin's validators is kept to be revalidated; see
     * {@link CacheRule#revalidationRetention()}.
     *
     * @param retention zero (turns it off) up to {@link #MAX_REVALIDATION_RETENTION}
     * @return this builder
     * @throws IllegalArgumentException outside that range
     */
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

    /**
     * Paths rendered at start-up and again shortly before they expire.
     *
     * @param urls paths with optional query, such as {@code /} or {@code /links?page=1}
     * @return this builder
     * @throws IllegalArgumentException if a path does not match this rule's pattern
     */
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

    /**
     * Steering headers a proxy in front always overwrites: they stay out of the key.
     *
     * @param names header names, in any case
     * @return this builder
     * @throws IllegalArgumentException if a name is not an HTTP token
     */
    public Builder trustedHeaders(List<String> names) {
      this.trustedHeaders = lowerCaseNames("trustedHeaders", names);
      return this;
    }

    /**
     * Request headers hidden from the application and kept out of the key.
     *
     * @param names header names, in any case; none may also be in the key headers (checked by {@link #build()})
     * @return this builder
     * @throws IllegalArgumentException if a name is not an HTTP token
     */
    public Builder ignoredHeaders(List<String> names) {
      this.ignoredHeaders = lowerCaseNames("ignoredHeaders", names);
      return this;
    }

    /**
     * What a request cookie means for storing; the default depends on the pattern.
     *
     * @param meaning see {@link RequestCookies}
     * @return this builder
     */
    public Builder requestCookies(RequestCookies meaning) {
      this.requestCookies = Objects.requireNonNull(meaning, "requestCookies");
      return this;
    }

    /**
     * Whether a response to a path with a known file extension must have a fitting {@code Content-Type}
     * to be stored (a guard against web cache deception).
     *
     * @param check {@code false} stores it whatever its type ({@code true} by default)
     * @return this builder
     */
    public Builder checkContentType(boolean check) {
      this.checkContentType = check;
      return this;
    }

    /**
     * More file extensions, or other media types for known ones, on top of the built-in ones.
     *
     * @param additions extension (without the dot) to media types, e.g. {@code map -> [application/json]}
     * @return this builder
     * @throws IllegalArgumentException if an extension or a media type is malformed
     */
    public Builder extensionTypes(java.util.Map<String, List<String>> additions) {
      this.extensionTypes = ExtensionTypes.builtIn().with(additions);
      return this;
    }

    /**
     * Media types compressed at store time.
     *
     * @param patterns see {@link CompressibleTypes}; an empty list turns compression off
     * @return this builder
     * @throws IllegalArgumentException if a pattern is malformed
     */
    public Builder compressTypes(List<String> patterns) {
      this.compressTypes = CompressibleTypes.of(patterns);
      return this;
    }

    /**
     * Smallest body compressed at store time ({@link #DEFAULT_COMPRESS_MIN_BYTES} by default).
     *
     * @param bytes from 0 to about 2 GiB
     * @return this builder
     * @throws IllegalArgumentException outside that range
     */
    public Builder compressMinBytes(long bytes) {
      if (bytes < 0 || bytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("compressMinBytes must be between 0 and 2 GiB, was " + bytes);
      }
      this.compressMinBytes = (int) bytes;
      return this;
    }

    /**
     * Whether pages larger than one memcached item are split into chunks there.
     *
     * @param share {@code false} keeps them in this JVM's memory only ({@code true} by default)
     * @return this builder
     */
    public Builder shareLargePages(boolean share) {
      this.shareLargePages = share;
      return this;
    }

    /**
     * Tags every page of the rule carries.
     *
     * @param templates tag templates ({@link TagTemplate}), at most {@value TagTemplate#MAX_TAGS_PER_PAGE};
     *     the cookies and query parameters they name must be in the key (checked by {@link #build()})
     * @return this builder
     * @throws IllegalArgumentException for too many templates or a malformed one
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

    /**
     * Whether {@code Surrogate-Key} and {@code Cache-Tag} reach the client and stay in the stored copy.
     *
     * @param keep {@code true} for a CDN further down that purges by them too ({@code false} by default)
     * @return this builder
     */
    public Builder keepTagHeaders(boolean keep) {
      this.keepTagHeaders = keep;
      return this;
    }

    /**
     * Whether a purge by tag renders this rule's pages again in the background, so that the next
     * visitor gets a hit.
     *
     * @param refresh {@code true} to render again; {@code false} (the default) only removes them
     * @return this builder
     */
    public Builder refreshOnPurge(boolean refresh) {
      this.refreshOnPurge = refresh;
      return this;
    }

    /**
     * Targeted fields (RFC 9213) obeyed ({@link #DEFAULT_TARGETED_FIELDS} by default).
     *
     * @param names header names as they are sent, most specific first; an empty list obeys none
     * @return this builder
     * @throws IllegalArgumentException if a name is not an HTTP token
     */
    public Builder targetedFields(List<String> names) {
      this.targetedFields = fieldNames("targetedFields", names);
      return this;
    }

    /**
     * Which of the targeted fields reach the client; by default {@code CDN-Cache-Control} if obeyed.
     *
     * @param names some of the targeted fields (checked against them by {@link #build()})
     * @return this builder
     * @throws IllegalArgumentException if a name is not an HTTP token
     */
    public Builder passedTargetedFields(List<String> names) {
      this.passedTargetedFields = fieldNames("passedTargetedFields", names);
      this.passedTargetedFieldsSet = true;
      return this;
    }

    /**
     * Whether a response with {@code Last-Modified} and no explicit lifetime gets a heuristic one
     * (RFC 9111 §4.2.2) in place of the ttl.
     *
     * @param heuristic {@code true} to compute one ({@code false} by default)
     * @return this builder
     */
    public Builder heuristic(boolean heuristic) {
      this.heuristic = heuristic;
      return this;
    }

    /**
     * The share of the time since {@code Last-Modified} a heuristic lifetime is
     * ({@value #DEFAULT_HEURISTIC_FRACTION} by default).
     *
     * @param fraction greater than 0, at most 1
     * @return this builder
     * @throws IllegalArgumentException outside that range
     */
    public Builder heuristicFraction(double fraction) {
      if (!(fraction > 0 && fraction <= 1)) {
        throw new IllegalArgumentException("heuristicFraction: " + fraction + " is not more than 0 and at most 1 (0.1 is 10%)");
      }
      this.heuristicFraction = fraction;
      return this;
    }

    /**
     * The longest heuristic lifetime ({@link #DEFAULT_HEURISTIC_MAX} by default).
     *
     * @param max a positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is zero or negative
     */
    public Builder heuristicMax(Duration max) {
      if (max.isNegative() || max.isZero()) {
        throw new IllegalArgumentException("heuristicMax: must be positive, not " + max);
      }
      this.heuristicMax = max;
      return this;
    }

    /**
     * The rule, after the checks that need more than one setting.
     *
     * @return the immutable rule
     * @throws IllegalArgumentException if passed targeted fields are not obeyed ones, {@code forceTtl}
     *     has no ttl, a header is both keyed and ignored, or a tag uses a cookie or query parameter
     *     the key leaves out
     */
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
