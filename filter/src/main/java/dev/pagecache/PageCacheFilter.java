package dev.pagecache;

import dev.pagecache.policy.CacheKeys;
import dev.pagecache.policy.CacheStatus;
import dev.pagecache.policy.ConditionalRequests;
import dev.pagecache.policy.Freshness;
import dev.pagecache.policy.Reason;
import dev.pagecache.policy.RequestPolicy;
import dev.pagecache.policy.Staleness;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.servlet.DetachedResponse;
import dev.pagecache.servlet.PageResponder;
import dev.pagecache.servlet.ServletRequestView;
import dev.pagecache.store.CachedPage;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Serves whole responses from immutable snapshots in JVM memory. Register it early in the chain
 * (for {@code REQUEST} dispatches) over the paths you want cached; only requests that match a
 * rule are cached. See {@link PageCacheConfig} for settings and {@link dev.pagecache.rules} for
 * rules.
 *
 * <p>Per request: a {@code GET} or {@code HEAD} that matches a rule is looked up; a fresh page is
 * written from the snapshot (or a 304) without calling the rest of the chain. A miss runs the
 * chain through a wrapper that tees the response to the client and into a bounded buffer, and
 * stores the result if it is safe to share. A {@code POST}, {@code PUT}, {@code PATCH} or
 * {@code DELETE} that succeeds purges its URL. Every response says what happened in
 * {@code Cache-Status} (RFC 9211).
 *
 * <p>Code that must not be cached for one request can say so with {@link #bypass(ServletRequest)}
 * before this filter runs.
 */
public class PageCacheFilter implements Filter {
  /** Request attribute: when set (to anything), the request skips the cache. */
  public static final String BYPASS_ATTRIBUTE = PageCacheFilter.class.getName() + ".bypass";
  private static final Logger LOG = System.getLogger(PageCacheFilter.class.getName());
  private static final long FLEET_POLL_MILLIS = 25;

  private PageCacheConfig config;
  private LocalPageCache cache;
  private FilterConfig filterConfig;

  /** For {@code web.xml}: settings come from init-params (see {@link PageCacheConfig#fromInitParams}). */
  public PageCacheFilter() {}

  /** For registration in code. */
  public PageCacheFilter(PageCacheConfig config) {
    this.config = config;
  }

  /** Makes {@code request} skip the cache: it is neither answered from it nor stored. */
  public static void bypass(ServletRequest request) {
    request.setAttribute(BYPASS_ATTRIBUTE, Boolean.TRUE);
  }

  @Override
  public void init(FilterConfig filterConfig) throws ServletException {
    this.filterConfig = filterConfig;
    try {
      if (config == null) {
        config = PageCacheConfig.fromInitParams(filterConfig);
      }
    } catch (IllegalArgumentException e) {
      throw new ServletException("pagecache: " + e.getMessage(), e);
    }
    cache = new LocalPageCache(config, filterConfig.getServletContext().getContextPath());
    filterConfig.getServletContext().setAttribute(PageCache.CONTEXT_ATTRIBUTE, cache);
    LOG.log(Level.INFO, () -> "pagecache: " + config.rules().rules().size() + " rules, "
        + (config.store().isPresent() ? config.store().get().getClass().getSimpleName()
            : (config.maxCacheBytes() >> 20) + " MiB in memory")
        + config.memcached().map(shared -> ", shared layer: " + shared).orElse("")
        + "; rules: " + config.rules());
  }

  /** The running cache, for purges and stats; empty before {@link #init}. */
  public Optional<PageCache> pageCache() {
    return Optional.ofNullable(cache);
  }

  @Override
  public void destroy() {
    if (cache != null) {
      if (filterConfig != null && filterConfig.getServletContext().getAttribute(PageCache.CONTEXT_ATTRIBUTE) == cache) {
        filterConfig.getServletContext().removeAttribute(PageCache.CONTEXT_ATTRIBUTE);
      }
      cache.close();
      cache = null;
    }
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    // Only a client's request: not a forward, include, error or async dispatch.
    if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)
        || req.getDispatcherType() != DispatcherType.REQUEST) {
      chain.doFilter(req, res);
      return;
    }
    String method = request.getMethod();
    if (method.equals("GET") || method.equals("HEAD")) {
      if (cache.warmer.needsServer()) {
        cache.warmer.learn(new Warmer.Target(request.getLocalAddr(), request.getLocalPort(),
            hostHeader(request), request.getContextPath()));
      }
      read(request, response, chain);
      return;
    }
    cache.counters.count(Reason.METHOD);
    response.setHeader(CacheStatus.HEADER, CacheStatus.METHOD);
    if (RequestPolicy.invalidatesCache(method)) {
      new Invalidation(cache, request, response).run(chain);
    } else {
      chain.doFilter(request, response);
    }
  }

  private void read(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    ServletRequestView view = new ServletRequestView(request);
    Optional<CacheRule> matched = cache.rule(view.method(), view.path());
    if (matched.isEmpty()) {
      bypass(view, request, response, chain, Reason.NO_RULE);
      return;
    }
    CacheRule rule = matched.get();
    Optional<Reason> bypass = RequestPolicy.bypassReason(view, rule);
    if (bypass.isEmpty() && request.getAttribute(BYPASS_ATTRIBUTE) != null) {
      bypass = Optional.of(Reason.BYPASS_REQUESTED);
    }
    if (bypass.isPresent()) {
      bypass(view, request, response, chain, bypass.get());
      return;
    }
    String primaryKey = CacheKeys.primary(view, rule);
    if (cache.warmer.warming() && cache.warmer.isRefresh(request.getHeader(Warmer.TOKEN_HEADER))) {
      cache.counters.refreshes.increment();
      new Miss(cache, view, rule, primaryKey, false, request, response).render(chain);
      return;
    }
    PageIndex.Found found = cache.find(primaryKey, view, rule);
    Instant now = cache.clock.instant();
    CachedPage staleFallback = null;
    if (found.isHit()) {
      CachedPage page = found.page();
      if (Freshness.isFresh(page, now)) {
        serve(view, response, rule, page, now, found.shared(), found.shared() ? CacheStatus.HIT_SHARED : CacheStatus.HIT);
        return;
      }
      if (Staleness.servableWhileRevalidating(page, now)) {
        serveStaleThenRefresh(view, request, response, chain, rule, primaryKey, page, now);
        return;
      }
      staleFallback = Staleness.servableOnError(page, now) ? page : null;
    }
    renderMiss(view, request, response, chain, rule, primaryKey, found.varyMiss(), staleFallback);
  }

  /** A miss: one render per page at a time (unless the rule says otherwise), others wait for it. */
  private void renderMiss(ServletRequestView view, HttpServletRequest request, HttpServletResponse response,
      FilterChain chain, CacheRule rule, String primaryKey, boolean varyMiss, CachedPage staleFallback)
      throws IOException, ServletException {
    if (!rule.coalesce()) {
      render(view, request, response, chain, rule, primaryKey, varyMiss, staleFallback);
      return;
    }
    // Only the URL and the rule's key parts are known before the render; a waiter whose Vary
    // values differ finds nothing when it looks again, and renders for itself.
    String renderKey = renderKey(view, rule, primaryKey);
    boolean uncacheable = cache.coalescer.isUncacheable(renderKey);
    Coalescer.Lead lead = uncacheable ? null : cache.coalescer.lead(renderKey);
    if (lead != null) {
      boolean stored = false;
      try {
        stored = renderOncePerFleet(view, request, response, chain, rule, primaryKey, varyMiss, staleFallback, renderKey);
      } finally {
        lead.finish(stored);
      }
      return;
    }
    if (!uncacheable && awaitOtherRender(renderKey, rule)) {
      PageIndex.Found rendered = cache.find(primaryKey, view, rule);
      Instant after = cache.clock.instant();
      if (rendered.isHit() && Freshness.isFresh(rendered.page(), after)) {
        cache.counters.coalescedHits.increment();
        serve(view, response, rule, rendered.page(), after, false, CacheStatus.HIT_COLLAPSED);
        return;
      }
    }
    render(view, request, response, chain, rule, primaryKey, varyMiss, staleFallback);
  }

  /**
   * With a store shared by other JVMs, one JVM of the fleet renders: a memcached lease decides
   * which. The others poll the shared store (at most the rule's coalesceWait) for its result, and
   * render for themselves if it does not come. Without the shared store, this JVM just renders.
   */
  private boolean renderOncePerFleet(ServletRequestView view, HttpServletRequest request, HttpServletResponse response,
      FilterChain chain, CacheRule rule, String primaryKey, boolean varyMiss, CachedPage staleFallback,
      String renderKey) throws IOException, ServletException {
    if (!cache.sharedAcrossJvms()) {
      return render(view, request, response, chain, rule, primaryKey, varyMiss, staleFallback);
    }
    if (cache.tryLease(renderKey, leaseTtl(rule))) {
      try {
        return render(view, request, response, chain, rule, primaryKey, varyMiss, staleFallback);
      } finally {
        cache.releaseLease(renderKey);
      }
    }
    cache.counters.coalescedWaits.increment();
    long deadline = System.nanoTime() + rule.coalesceWait().toNanos();
    while (System.nanoTime() < deadline) {
      try {
        Thread.sleep(FLEET_POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ServletException("interrupted while waiting for another JVM's render", e);
      }
      PageIndex.Found rendered = cache.find(primaryKey, view, rule);
      Instant now = cache.clock.instant();
      if (rendered.isHit() && Freshness.isFresh(rendered.page(), now)) {
        cache.counters.coalescedHits.increment();
        serve(view, response, rule, rendered.page(), now, true, CacheStatus.HIT_COLLAPSED_SHARED);
        return true;
      }
    }
    cache.counters.coalesceTimeouts.increment();
    return render(view, request, response, chain, rule, primaryKey, varyMiss, staleFallback);
  }

  /** Long enough for a render, short enough that a dead holder does not block the fleet for long. */
  private static Duration leaseTtl(CacheRule rule) {
    Duration twice = rule.coalesceWait().multipliedBy(2);
    return twice.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2) : twice;
  }

  private static String renderKey(ServletRequestView view, CacheRule rule, String primaryKey) {
    return CacheKeys.secondary(primaryKey, 0, view, rule, java.util.List.of());
  }

  /**
   * Renders a miss. With a stale copy that may stand in for a failure, the render goes into a
   * detached response first, and the client gets either it or, if it failed, the stale copy.
   *
   * @return whether the render was stored
   */
  private boolean render(ServletRequestView view, HttpServletRequest request, HttpServletResponse response,
      FilterChain chain, CacheRule rule, String primaryKey, boolean varyMiss, CachedPage staleFallback)
      throws IOException, ServletException {
    cache.counters.misses.increment();
    if (staleFallback == null) {
      return new Miss(cache, view, rule, primaryKey, varyMiss, request, response).render(chain);
    }
    DetachedResponse detached = new DetachedResponse(detachedLimit(rule));
    boolean stored = false;
    boolean failed;
    try {
      stored = new Miss(cache, view, rule, primaryKey, varyMiss, request, detached).render(chain);
      failed = detached.getStatus() >= 500;
    } catch (IOException | ServletException | RuntimeException e) {
      LOG.log(Level.DEBUG, () -> "pagecache: render of " + view.path() + " failed; serving the stale copy", e);
      failed = true;
    }
    if (failed) {
      cache.counters.staleIfErrorServed.increment();
      Instant now = cache.clock.instant();
      serve(view, response, rule, staleFallback, now, false, CacheStatus.HIT_STALE_IF_ERROR);
      return false;
    }
    detached.copyTo(response);
    return stored;
  }

  /**
   * Serves an expired page at once and, if no other request is already doing it, renders its
   * successor on this thread after the client has the whole stale response: it works in any
   * container, at the price of holding this thread (and, for HTTP/1.1, this connection) for the
   * render. HEAD requests are answered but leave the refresh to the next GET.
   */
  private void serveStaleThenRefresh(ServletRequestView view, HttpServletRequest request, HttpServletResponse response,
      FilterChain chain, CacheRule rule, String primaryKey, CachedPage stale, Instant now)
      throws IOException, ServletException {
    cache.counters.staleServed.increment();
    serve(view, response, rule, stale, now, false, CacheStatus.HIT_STALE);
    response.flushBuffer(); // the Content-Length is set: the client has the whole answer now
    String renderKey = renderKey(view, rule, primaryKey);
    Coalescer.Lead lead = view.method().equals("GET") ? cache.coalescer.lead(renderKey) : null;
    if (lead == null) {
      return;
    }
    // One refresh per fleet: a JVM that loses the lease leaves it to the one that won.
    boolean leased = !cache.sharedAcrossJvms() || cache.tryLease(renderKey, leaseTtl(rule));
    if (!leased) {
      lead.finish(true);
      return;
    }
    boolean stored = false;
    cache.counters.refreshes.increment();
    try {
      DetachedResponse detached = new DetachedResponse(detachedLimit(rule));
      stored = new Miss(cache, view, rule, primaryKey, false, request, detached).render(chain);
      if (!stored) {
        cache.counters.refreshFailures.increment(); // the stale copy stays until its windows end
      }
    } catch (IOException | ServletException | RuntimeException e) {
      cache.counters.refreshFailures.increment();
      LOG.log(Level.DEBUG, () -> "pagecache: refresh of " + view.path() + " failed; keeping the stale copy", e);
    } finally {
      if (cache.sharedAcrossJvms()) {
        cache.releaseLease(renderKey);
      }
      lead.finish(stored);
    }
  }

  /** A detached render is held in memory whole: at most the rule's limit, and never less than 8 MiB. */
  private static long detachedLimit(CacheRule rule) {
    return Math.max(rule.maxBodyBytes(), 8L << 20);
  }

  private static String hostHeader(HttpServletRequest request) {
    String host = request.getHeader("Host");
    return host != null ? host : request.getServerName() + ":" + request.getServerPort();
  }

  /** Waits for the render another request is doing; false if it took longer than the rule allows. */
  private boolean awaitOtherRender(String renderKey, CacheRule rule) throws ServletException {
    cache.counters.coalescedWaits.increment();
    try {
      if (cache.coalescer.await(renderKey, rule.coalesceWait())) {
        return true;
      }
      cache.counters.coalesceTimeouts.increment();
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServletException("interrupted while waiting for another render of the same page", e);
    }
  }

  private void serve(ServletRequestView view, HttpServletResponse response, CacheRule rule, CachedPage page,
      Instant now, boolean shared, String cacheStatus) throws IOException {
    boolean notModified = ConditionalRequests.notModified(view, page);
    cache.counters.hits.increment();
    if (shared) {
      cache.counters.sharedHits.increment();
    }
    if (notModified) {
      cache.counters.notModified.increment();
    }
    String cacheControl = rule.downstreamCacheControl()
        .map(downstream -> downstream.render(Freshness.remainingSeconds(page, now)))
        .orElse(null);
    PageResponder.respond(response, page, view.method().equals("HEAD"), notModified,
        Freshness.age(page, now).getSeconds(), cacheControl, cacheStatus);
  }

  private void bypass(ServletRequestView view, HttpServletRequest request, HttpServletResponse response,
      FilterChain chain, Reason reason) throws IOException, ServletException {
    cache.counters.count(reason);
    LOG.log(Level.DEBUG, () -> "pagecache: " + view.method() + " " + view.path() + " skips the cache: " + reason.detail());
    response.setHeader(CacheStatus.HEADER, CacheStatus.bypass(reason));
    chain.doFilter(request, response);
  }
}
