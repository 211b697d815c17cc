package dev.pagecache;

import dev.pagecache.internal.http.PercentEncoding;
import dev.pagecache.internal.policy.CacheKeys;
import dev.pagecache.internal.policy.Compression;
import dev.pagecache.internal.policy.Reason;
import dev.pagecache.internal.policy.RequestView;
import dev.pagecache.internal.policy.SiteHosts;
import dev.pagecache.internal.purge.FleetPurges;
import dev.pagecache.internal.purge.GroupVersions;
import dev.pagecache.internal.purge.PurgeGroups;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.RuleSet;
import dev.pagecache.internal.servlet.ContainerCharsets;
import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.internal.store.CaffeinePageStore;
import dev.pagecache.internal.store.Compressor;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.SharedStore;
import dev.pagecache.store.SharedStoreHealth;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The running cache behind one filter: rules, store, index and counters. Every store call goes
 * through here and a failing store is a miss or a skipped write, counted, never an error for the
 * request.
 */
final class LocalPageCache implements PageCache {
  private static final Logger LOG = System.getLogger(PageCacheFilter.class.getName());

  final RuleSet rules;
  final InstantSource clock;
  final Counters counters;
  final Coalescer coalescer;
  /** The renders this JVM waits for in other JVMs; used only with a store shared across JVMs. */
  final FleetWaits fleetWaits = new FleetWaits(this::leasesHeld);
  final Warmer warmer;
  /** What the container's writers do about charsets, for renders that reach no client. */
  final ContainerCharsets charsets = new ContainerCharsets();
  /** The name of the container's session cookie. */
  final String sessionCookie;
  final SiteHosts hosts;
  private final PageStore store;
  private final PageIndex index;
  private final String contextPath;
  /** Version groups and the fleet's purge log: what was purged, here and on every other JVM. */
  final FleetPurges purges;
  private final RefreshIndex refreshIndex = new RefreshIndex();
  /** What the admin page and {@link #lookup} see of the store. */
  private final StoredCopies copies;
  /** gzip, and brotli when brotli4j loads: every compressible page is compressed once, when it is stored. */
  private final Compressor compressor = Compressor.standard();
  private volatile boolean seesAsyncDispatches;
  /** The shared layer behind {@link #store}, to probe; null without one. */
  private final SharedStore shared;

  LocalPageCache(PageCacheConfig config, String contextPath, String sessionCookie) {
    this.sessionCookie = sessionCookie;
    this.coalescer = new Coalescer(config.clock());
    this.hosts = config.hosts();
    this.rules = config.rules();
    this.counters = new Counters(rules);
    if (config.store().isPresent()) {
      this.clock = config.clock();
      this.store = config.store().get();
      this.purges = FleetPurges.local();
      this.shared = null;
    } else if (config.sharedStore().isPresent()) {
      SharedLayer.Layers layers = SharedLayer.behind(config.maxCacheBytes(), config.sharedStore().get(), config.clock(),
          config.rules());
      this.clock = layers.clock();
      this.store = layers.store();
      this.purges = layers.purges();
      this.shared = layers.shared();
    } else {
      this.clock = config.clock();
      this.store = new CaffeinePageStore(config.maxCacheBytes(), clock);
      this.purges = FleetPurges.local();
      this.shared = null;
    }
    this.index = new PageIndex(store);
    this.copies = new StoredCopies(store, clock, this::purgedSinceRender, this::ruleOfKey, this::storeFailed);
    this.contextPath = contextPath == null ? "" : contextPath;
    this.warmer = new Warmer(clock, config.warmBaseUrl());
    if (rules.rules().stream().anyMatch(CacheRule::refreshOnPurge)) {
      warmer.refreshAfterPurges();
      purges.onPurge(this::refreshPurged);
    }
    purges.start();
    for (CacheRule rule : rules.rules()) {
      rule.warmUrls().forEach(warmer::keepWarm);
    }
  }

  @Override
  public Optional<SharedStoreHealth> sharedLayerHealth() {
    return Optional.ofNullable(shared).map(SharedStore::health);
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
      PageIndex.Found found = index.find(primaryKey, request, rule, steering);
      return found.isHit() && !servable(found.page()) ? found.asPurged() : found;
    } catch (RuntimeException e) {
      storeFailed("get " + primaryKey, e);
      return PageIndex.Found.URI_MISS;
    }
  }

  /**
   * Whether a stored page may be served: no group of it was purged after its render began, and
   * (when this JVM is out of step with the fleet's purges) its render began within the sync interval.
   */
  private boolean servable(CachedPage page) {
    return purges.check(page.purgeSequence(), page.purgeGroups()) == GroupVersions.Verdict.CURRENT
        && purges.trusted(page.renderStartNanos());
  }

  /**
   * The page as rendered for {@code request}, in its version groups: its URL, its path's
   * prefixes, its tags and everything ({@link PurgeGroups}).
   *
   * @param renderedAt when its render began
   * @param renderStartNanos the same, by this JVM's {@link System#nanoTime()}
   * @param renderedAfter the purge sequence number taken then ({@link #purgeSequence})
   */
  CachedPage grouped(CachedPage page, RequestView request, String primaryKey, List<String> tags, Instant renderedAt,
      long renderStartNanos, long renderedAfter) {
    String origin = request.scheme() + "://" + request.host() + ":" + request.port();
    return page.renderedHere(renderedAt, renderStartNanos, renderedAfter,
        PurgeGroups.of(origin, PercentEncoding.normalisePath(request.rawPath()), primaryKey, tags));
  }

  /**
   * {@code page} with its compressed forms, when the rule compresses it ({@link Compression}). Done
   * on the rendering thread before the page is filed, so that every layer (and every JVM reading
   * it from memcached) gets them at once: about a millisecond for a 20 KB page, once per render.
   * A compressor failure stores the page without them.
   */
  CachedPage compressed(dev.pagecache.rules.CacheRule rule, CachedPage page) {
    if (!Compression.applies(page, rule)) {
      return page;
    }
    long start = System.nanoTime();
    try {
      byte[] body = new byte[page.bodyLength()];
      page.body().get(body);
      java.util.Map<dev.pagecache.internal.http.ContentCoding, byte[]> forms = compressor.compress(body);
      CachedPage withForms = forms.isEmpty() ? page : page.withEncoded(forms);
      counters.compressed(forms, body.length, System.nanoTime() - start);
      return withForms;
    } catch (RuntimeException | LinkageError e) {
      counters.compressionFailures.increment();
      LOG.log(Level.WARNING, "pagecache: compressing a page failed; storing it uncompressed", e);
      return page;
    }
  }

  /** Whether other JVMs share this cache's store, so that a fleet-wide lease means something. */
  /**
   * Whether the filter has seen an async dispatch of a render of its own, and so is mapped for
   * {@code ASYNC} dispatches: only then can a render that dispatches stay held ({@link AsyncMiss}).
   */
  boolean seesAsyncDispatches() {
    return seesAsyncDispatches;
  }

  void sawAsyncDispatch() {
    seesAsyncDispatches = true;
  }

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

  /** Which of these leases some JVM holds; a failure is counted and thrown, and their waiters render. */
  private Set<String> leasesHeld(Collection<String> renderKeys) {
    try {
      return store.leasesHeld(renderKeys);
    } catch (RuntimeException e) {
      storeFailed("check " + renderKeys.size() + " leases", e);
      throw e;
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
    return purges.sequence();
  }

  /**
   * Stores a {@link #grouped} page, unless one of its groups was purged since its render began: a
   * render that read the old state must not undo the purge of an edit.
   */
  RenderResult file(String primaryKey, RequestView request, CacheRule rule, List<String> steering, boolean indexed,
      CachedPage page, List<String> varyHeaders) {
    Counters.RuleCounters ruleCounters = counters.of(rule);
    if (purgedSinceRender(page)) {
      counters.count(Reason.PURGED, ruleCounters);
      return RenderResult.notStored(Reason.PURGED);
    }
    try {
      index.file(primaryKey, request, rule, steering, indexed, page, varyHeaders);
      if (purgedSinceRender(page)) {
        index.purge(primaryKey); // a purge ran while we filed: it wins
        counters.count(Reason.PURGED, ruleCounters);
        return RenderResult.notStored(Reason.PURGED);
      }
      counters.stores.increment();
      ruleCounters.stores.increment();
      warmer.stored(pathAndQuery(request), page.storedAt(), page.expiresAt());
      if (rule.refreshOnPurge()) {
        rememberForRefresh(request, page);
      }
      return RenderResult.stored();
    } catch (RuntimeException e) {
      storeFailed("put " + primaryKey, e);
      counters.count(Reason.STORE_ERROR, ruleCounters);
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
    keyOf(url, "purge").ifPresent(keyed -> purgeKey(keyed.primaryKey()));
  }

  /** A URL's primary key and the rule it matches; what a GET of it looks up. */
  private record Keyed(String primaryKey, CacheRule rule) {}

  /**
   * The primary key a GET of {@code url} looks up, and its rule; empty when the URL lies outside
   * the application or no rule matches it.
   */
  private Optional<Keyed> keyOf(URI url, String operation) {
    if (url.getScheme() == null || url.getHost() == null || url.getRawPath() == null) {
      throw new IllegalArgumentException(operation + " needs an absolute URL, was " + url);
    }
    // Any spelling of the URL: the key holds the path's normal form (see CacheKeys.primary).
    String rawPath = PercentEncoding.normalisePath(url.getRawPath());
    return ruleOfPath(rawPath).map(rule -> new Keyed(CacheKeys.primary(url.getScheme().toLowerCase(Locale.ROOT),
        url.getHost().toLowerCase(Locale.ROOT), portOf(url), rawPath,
        Optional.ofNullable(url.getRawQuery()), rule.query()), rule));
  }

  /** The rule a GET of this path (normalised, percent-encoded, with the context path) matches. */
  private Optional<CacheRule> ruleOfPath(String rawPath) {
    String path;
    try {
      path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return Optional.empty();
    }
    if (!path.startsWith(contextPath)) {
      return Optional.empty();
    }
    String inApplication = path.substring(contextPath.length());
    return rule("GET", inApplication.isEmpty() ? "/" : inApplication);
  }

  @Override
  public StoredPage.Listing entries(StoredPage.Order order, boolean descending, int offset, int limit) {
    return copies.entries(order, descending, offset, limit);
  }

  @Override
  public List<StoredPage> lookup(URI url) {
    return keyOf(url, "lookup").map(keyed -> copies.lookup(keyed.primaryKey())).orElse(List.of());
  }

  /** The rule of a primary key ({@code scheme://host:port/path?query}). */
  private Optional<CacheRule> ruleOfKey(String primaryKey) {
    int authority = primaryKey.indexOf("://");
    int pathStart = authority < 0 ? -1 : primaryKey.indexOf('/', authority + 3);
    if (pathStart < 0) {
      return Optional.empty();
    }
    int query = primaryKey.indexOf('?', pathStart);
    return ruleOfPath(query < 0 ? primaryKey.substring(pathStart) : primaryKey.substring(pathStart, query));
  }

  private void purgeKey(String primaryKey) {
    purges.purge(PurgeGroups.url(primaryKey));
    try {
      index.purge(primaryKey);
      counters.invalidations.increment();
    } catch (RuntimeException e) {
      storeFailed("remove " + primaryKey, e);
    }
  }

  @Override
  public void purgeAll() {
    purges.purge(PurgeGroups.EVERYTHING);
    try {
      index.purgeAll();
      counters.invalidations.increment();
    } catch (RuntimeException e) {
      storeFailed("clear", e);
    }
  }

  private void rememberForRefresh(RequestView request, CachedPage page) {
    RefreshIndex.Page target;
    try {
      target = new RefreshIndex.Page(
          URI.create(request.scheme() + "://" + hostInUri(request.host()) + ":" + request.port()), pathAndQuery(request));
    } catch (IllegalArgumentException unusable) {
      return; // a host no URI can hold: its next visitor renders it
    }
    for (String group : page.purgeGroups()) {
      if (group.startsWith(PurgeGroups.TAG_PREFIX)) {
        refreshIndex.add(group, target);
      }
    }
  }

  /** After a purge (here or anywhere in the fleet) of a tag: renders its pages again, in the background. */
  private void refreshPurged(String group) {
    if (group.startsWith(PurgeGroups.TAG_PREFIX)) {
      for (RefreshIndex.Page page : refreshIndex.take(group)) {
        warmer.refreshNow(page.site(), page.pathAndQuery());
      }
    }
  }

  private static String hostInUri(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  @Override
  public void purgeTag(String tag) {
    if (tag == null || tag.isBlank()) {
      throw new IllegalArgumentException("purgeTag needs a tag, was '" + tag + "'");
    }
    purges.purge(PurgeGroups.tag(tag.trim()));
    counters.invalidations.increment();
  }

  @Override
  public void purgePrefix(URI prefix) {
    if (prefix.getScheme() == null || prefix.getHost() == null) {
      throw new IllegalArgumentException("purgePrefix needs an absolute URL, was " + prefix);
    }
    String rawPath = prefix.getRawPath() == null || prefix.getRawPath().isEmpty() ? "/" : prefix.getRawPath();
    String origin = prefix.getScheme().toLowerCase(Locale.ROOT) + "://" + prefix.getHost().toLowerCase(Locale.ROOT)
        + ":" + portOf(prefix);
    purges.purge(PurgeGroups.prefix(origin, PercentEncoding.normalisePath(rawPath)));
    counters.invalidations.increment();
  }

  @Override
  public PageCacheStats stats() {
    if (store instanceof CaffeinePageStore caffeine) {
      caffeine.cleanUp();
    }
    java.util.Map<String, Long> purgeStats = new java.util.LinkedHashMap<>(purges.stats());
    purgeStats.put("refreshesQueued", warmer.refreshesQueued());
    purgeStats.put("refreshesDropped", warmer.refreshesDropped());
    return counters.snapshot(store.stats(), purgeStats);
  }

  void close() {
    warmer.close();
    fleetWaits.close();
    purges.close();
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

  /** Whether a purge of one of its groups postdates the start of its render. */
  boolean purgedSinceRender(CachedPage page) {
    return purges.check(page.purgeSequence(), page.purgeGroups()) != GroupVersions.Verdict.CURRENT;
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
