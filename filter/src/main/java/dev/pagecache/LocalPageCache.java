package dev.pagecache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.pagecache.http.PercentEncoding;
import dev.pagecache.policy.CacheKeys;
import dev.pagecache.policy.Reason;
import dev.pagecache.policy.RequestView;
import dev.pagecache.policy.SiteHosts;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.RuleSet;
import dev.pagecache.servlet.ContainerCharsets;
import dev.pagecache.store.CachedPage;
import dev.pagecache.store.CaffeinePageStore;
import dev.pagecache.store.PageStore;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The running cache behind one filter: rules, store, index and counters. Every store call goes
 * through here and a failing store is a miss or a skipped write, counted, never an error for the
 * request.
 */
final class LocalPageCache implements PageCache {
  private static final Logger LOG = System.getLogger(PageCacheFilter.class.getName());

  final RuleSet rules;
  final InstantSource clock;
  final Counters counters = new Counters();
  final Coalescer coalescer = new Coalescer();
  final Warmer warmer;
  /** What the container's writers do about charsets, for renders that reach no client. */
  final ContainerCharsets charsets = new ContainerCharsets();
  /** The name of the container's session cookie. */
  final String sessionCookie;
  final SiteHosts hosts;
  private final PageStore store;
  private final PageIndex index;
  private final String contextPath;
  private final AtomicLong purges = new AtomicLong();
  private volatile long lastPurgeAll;
  /** URLs purged lately, with the purge's sequence number; kept longer than any render takes. */
  private final Cache<String, Long> recentPurges = Caffeine.newBuilder()
      .expireAfterWrite(Duration.ofMinutes(10))
      .maximumSize(100_000)
      .executor(Runnable::run)
      .build();

  LocalPageCache(PageCacheConfig config, String contextPath, String sessionCookie) {
    this.sessionCookie = sessionCookie;
    this.hosts = config.hosts();
    this.rules = config.rules();
    this.clock = config.clock();
    this.store = config.store().orElseGet(() -> {
      PageStore memory = new CaffeinePageStore(config.maxCacheBytes(), config.clock());
      // Only now, and only with servers configured, does anything of memcached load.
      return config.memcached().map(settings -> SharedLayer.behind(memory, settings, config.clock(), config.rules()))
          .orElse(memory);
    });
    this.index = new PageIndex(store);
    this.contextPath = contextPath == null ? "" : contextPath;
    this.warmer = new Warmer(config.clock(), config.warmBaseUrl());
    for (CacheRule rule : rules.rules()) {
      rule.warmUrls().forEach(warmer::keepWarm);
    }
  }

  @Override
  public void keepWarm(String pathAndQuery) {
    String path = pathAndQuery.indexOf('?') < 0 ? pathAndQuery : pathAndQuery.substring(0, pathAndQuery.indexOf('?'));
    if (rule("GET", path).filter(CacheRule::cache).isEmpty()) {
      throw new IllegalArgumentException("no rule caches " + pathAndQuery + ": it cannot be kept warm");
    }
    warmer.keepWarm(pathAndQuery);
  }

  Optional<CacheRule> rule(String method, String path) {
    return rules.match(method, path);
  }

  PageIndex.Found find(String primaryKey, RequestView request, CacheRule rule, List<String> steering) {
    try {
      return index.find(primaryKey, request, rule, steering);
    } catch (RuntimeException e) {
      storeFailed("get " + primaryKey, e);
      return PageIndex.Found.URI_MISS;
    }
  }

  /** Whether other JVMs share this cache's store, so that a fleet-wide lease means something. */
  boolean sharedAcrossJvms() {
    return store.sharedAcrossJvms();
  }

  /** A fleet-wide lease on rendering {@code renderKey}; granted when the store cannot say. */
  boolean tryLease(String renderKey, Duration ttl) {
    try {
      return store.tryLease(renderKey, ttl);
    } catch (RuntimeException e) {
      storeFailed("lease " + renderKey, e);
      return true;
    }
  }

  void releaseLease(String renderKey) {
    try {
      store.releaseLease(renderKey);
    } catch (RuntimeException e) {
      storeFailed("release lease " + renderKey, e);
    }
  }

  /** A number that grows with every purge; {@link #file} compares it with one taken before rendering. */
  long purgeSequence() {
    return purges.get();
  }

  /**
   * Stores a page rendered since purge sequence {@code renderedAfter}, unless its URL was purged
   * in the meantime: a render that read the old state must not undo the purge of an edit.
   */
  RenderResult file(String primaryKey, RequestView request, CacheRule rule, List<String> steering, boolean indexed,
      CachedPage page, List<String> varyHeaders, long renderedAfter) {
    if (purgedSince(primaryKey, renderedAfter)) {
      counters.count(Reason.PURGED);
      return RenderResult.notStored(Reason.PURGED);
    }
    try {
      index.file(primaryKey, request, rule, steering, indexed, page, varyHeaders);
      if (purgedSince(primaryKey, renderedAfter)) {
        index.purge(primaryKey); // a purge ran while we filed: it wins
        counters.count(Reason.PURGED);
        return RenderResult.notStored(Reason.PURGED);
      }
      counters.stores.increment();
      warmer.stored(pathAndQuery(request), page.storedAt(), page.expiresAt());
      return RenderResult.stored();
    } catch (RuntimeException e) {
      storeFailed("put " + primaryKey, e);
      counters.count(Reason.STORE_ERROR);
      return RenderResult.notStored(Reason.STORE_ERROR);
    }
  }

  /** Purges the URL an unsafe request targeted, or one its response points to on the same host. */
  void invalidate(RequestView request, String location) {
    if (location == null) {
      return;
    }
    URI target;
    try {
      String host = request.host().indexOf(':') >= 0 && !request.host().startsWith("[")
          ? "[" + request.host() + "]" : request.host();
      // The raw path is already percent-encoded: build the URI from text so it is not encoded twice.
      target = URI.create(request.scheme() + "://" + host + ":" + request.port() + request.rawPath())
          .resolve(location.trim());
    } catch (IllegalArgumentException malformed) {
      return;
    }
    if (target.getHost() != null
        && target.getHost().equalsIgnoreCase(request.host()) && portOf(target) == request.port()) {
      purge(target);
    }
  }

  void invalidate(RequestView request) {
    String decoded = request.path();
    rule("GET", decoded).ifPresent(rule -> purgeKey(CacheKeys.primary(request, rule)));
  }

  @Override
  public void purge(URI url) {
    if (url.getScheme() == null || url.getHost() == null || url.getRawPath() == null) {
      throw new IllegalArgumentException("purge needs an absolute URL, was " + url);
    }
    // Any spelling of the URL: the key holds the path's normal form (see CacheKeys.primary).
    String rawPath = PercentEncoding.normalisePath(url.getRawPath());
    String path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    if (!path.startsWith(contextPath)) {
      return;
    }
    String inApplication = path.substring(contextPath.length());
    Optional<CacheRule> rule = rule("GET", inApplication.isEmpty() ? "/" : inApplication);
    rule.ifPresent(r -> purgeKey(CacheKeys.primary(url.getScheme().toLowerCase(Locale.ROOT),
        url.getHost().toLowerCase(Locale.ROOT), portOf(url), rawPath,
        Optional.ofNullable(url.getRawQuery()), r.query())));
  }

  @Override
  public void purgePrefix(URI prefix) {
    throw new UnsupportedOperationException("version groups not merged yet");
  }

  @Override
  public void purgeTag(String tag) {
    throw new UnsupportedOperationException("version groups not merged yet");
  }

  private void purgeKey(String primaryKey) {
    recentPurges.put(primaryKey, purges.incrementAndGet());
    try {
      index.purge(primaryKey);
      counters.invalidations.increment();
    } catch (RuntimeException e) {
      storeFailed("remove " + primaryKey, e);
    }
  }

  @Override
  public void purgeAll() {
    lastPurgeAll = purges.incrementAndGet();
    try {
      index.purgeAll();
      counters.invalidations.increment();
    } catch (RuntimeException e) {
      storeFailed("clear", e);
    }
  }

  @Override
  public PageCacheStats stats() {
    if (store instanceof CaffeinePageStore caffeine) {
      caffeine.cleanUp();
    }
    return counters.snapshot(store.stats());
  }

  void close() {
    warmer.close();
    try {
      store.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "pagecache: closing the store failed", e);
    }
  }

  /** The request's path and query inside the application, as warm URLs are written. */
  private String pathAndQuery(RequestView request) {
    String raw = request.rawPath().startsWith(contextPath) ? request.rawPath().substring(contextPath.length()) : request.rawPath();
    return request.query().map(query -> raw + "?" + query).orElse(raw);
  }

  private boolean purgedSince(String primaryKey, long sequence) {
    if (lastPurgeAll > sequence) {
      return true;
    }
    Long purgedAt = recentPurges.getIfPresent(primaryKey);
    return purgedAt != null && purgedAt > sequence;
  }

  private void storeFailed(String what, RuntimeException e) {
    counters.storeErrors.increment();
    LOG.log(Level.DEBUG, () -> "pagecache: store " + what + " failed; going to the origin", e);
  }

  private static int portOf(URI url) {
    if (url.getPort() >= 0) {
      return url.getPort();
    }
    return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
  }
}
