package dev.pagecache;

import dev.pagecache.internal.policy.CacheKeys;
import dev.pagecache.internal.policy.CacheStatus;
import dev.pagecache.internal.policy.Decision;
import dev.pagecache.internal.policy.Reason;
import dev.pagecache.internal.policy.RequestPolicy;
import dev.pagecache.internal.policy.ReusePolicy;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.internal.servlet.ServletRequestView;
import dev.pagecache.internal.purge.PurgeAccess;
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
import java.time.Instant;
import java.util.Optional;

/**
 * Serves whole responses from immutable snapshots in JVM memory. Register it early in the chain
 * (for {@code REQUEST} and {@code ASYNC} dispatches) over the paths you want cached; only requests
 * that match a rule are cached. Mapped for {@code ASYNC} too, it also stores pages whose
 * application renders them in an async dispatch ({@code AsyncContext.dispatch()}, as Spring MVC's
 * {@code DeferredResult} and {@code Callable} do). See {@link PageCacheConfig} for settings and {@link dev.pagecache.rules} for
 * rules.
 *
 * <p>Per request: a {@code GET} or {@code HEAD} that matches a rule is looked up; a fresh page is
 * written from the snapshot (or a 304) without calling the rest of the chain. A miss renders into
 * memory, held from the client until the cache has decided: it is stored if it is safe to share,
 * requests that waited for it are let go, and only then does its client get it. A response that
 * cannot be stored (too large, a streamed event source) goes out as it is written. Asynchronous
 * code writes into the held response too, and the render ends when it completes.
 * A request of any other method but {@code OPTIONS} and {@code TRACE} ({@code POST}, {@code PUT},
 * {@code DELETE}, {@code PROPFIND}...) that succeeds purges its URL.
 * Every response says what happened in {@code Cache-Status} (RFC 9211). The decisions are
 * {@link dev.pagecache.internal.policy.ReusePolicy}'s and {@link dev.pagecache.internal.policy.StoragePolicy}'s;
 * this class only dispatches on them.
 *
 * <p>Code that must not be cached for one request can say so with {@link #bypass(ServletRequest)}
 * before this filter runs.
 *
 * <p>With a purge token or allow-list configured, the filter also answers the purge endpoint
 * ({@code PURGE <url>}, {@code POST /pagecache/purge}; see {@link dev.pagecache.internal.purge.PurgeEndpoint})
 * before anything else: map it over the endpoint's path too.
 */
public class PageCacheFilter implements Filter {
  /** Request attribute: when set (to anything), the request skips the cache. */
  public static final String BYPASS_ATTRIBUTE = PageCacheFilter.class.getName() + ".bypass";
  private static final Logger LOG = System.getLogger(PageCacheFilter.class.getName());

  private PageCacheConfig config;
  private LocalPageCache cache;
  /** Null while the purge endpoint is off. */
  private PurgeRequests purges;
  private FilterConfig filterConfig;
  /** Null while no MXBean is registered. */
  private javax.management.ObjectName mxBean;

  /** For {@code web.xml}: settings come from init-params (see {@link PageCacheConfig#fromInitParams}). */
  public PageCacheFilter() {}

  /**
   * For registration in code.
   *
   * @param config the settings; init-params are then ignored
   */
  public PageCacheFilter(PageCacheConfig config) {
    this.config = config;
  }

  /**
   * Makes a request skip the cache: it is neither answered from it nor stored. Call it before the
   * filter sees the request (e.g. in a filter in front of it).
   *
   * @param request the request to pass through to the application
   */
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
    cache = new LocalPageCache(config, filterConfig.getServletContext().getContextPath(),
        sessionCookieName(filterConfig.getServletContext()));
    purges = config.purge().map(settings -> new PurgeRequests(settings, cache)).orElse(null);
    filterConfig.getServletContext().setAttribute(PageCache.CONTEXT_ATTRIBUTE, cache);
    if (config.jmx()) {
      mxBean = PageCacheJmx.register(cache, filterConfig.getServletContext().getContextPath(), filterConfig.getFilterName());
    }
    // The admin page (dev.pagecache.admin) lets in whom the purge endpoint lets in.
    config.purge().ifPresent(settings ->
        filterConfig.getServletContext().setAttribute(PurgeAccess.CONTEXT_ATTRIBUTE, settings.access()));
    LOG.log(Level.INFO, () -> "pagecache: " + config.rules().rules().size() + " rules, "
        + (config.store().isPresent() ? config.store().get().getClass().getSimpleName()
            : (config.maxCacheBytes() >> 20) + " MiB in memory")
        + config.sharedStore().map(shared -> ", shared layer: " + shared).orElse("")
        + "; hosts: " + config.hosts() + config.purge().map(purge -> "; purge endpoint: " + purge).orElse("")
        + "; rules: " + config.rules());
  }

  /** The container's session cookie: the application's choice, else the Servlet default. */
  private static String sessionCookieName(jakarta.servlet.ServletContext context) {
    try {
      // Null where the application has no sessions at all (a Jetty context without a SessionHandler).
      jakarta.servlet.SessionCookieConfig sessions = context.getSessionCookieConfig();
      String name = sessions == null ? null : sessions.getName();
      return name == null || name.isBlank() ? RequestPolicy.DEFAULT_SESSION_COOKIE : name;
    } catch (UnsupportedOperationException | IllegalStateException noSessions) {
      return RequestPolicy.DEFAULT_SESSION_COOKIE;
    }
  }

  /** {@return the running cache, for purges and stats; empty before {@link #init}} */
  public Optional<PageCache> pageCache() {
    return Optional.ofNullable(cache);
  }

  @Override
  public void destroy() {
    if (mxBean != null) {
      PageCacheJmx.unregister(mxBean);
      mxBean = null;
    }
    if (cache != null) {
      if (filterConfig != null && filterConfig.getServletContext().getAttribute(PageCache.CONTEXT_ATTRIBUTE) == cache) {
        filterConfig.getServletContext().removeAttribute(PageCache.CONTEXT_ATTRIBUTE);
      }
      if (filterConfig != null && config.purge().isPresent()
          && filterConfig.getServletContext().getAttribute(PurgeAccess.CONTEXT_ATTRIBUTE) == config.purge().get().access()) {
        filterConfig.getServletContext().removeAttribute(PurgeAccess.CONTEXT_ATTRIBUTE);
      }
      cache.close();
      cache = null;
    }
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (req.getDispatcherType() == DispatcherType.ASYNC) {
      AsyncMiss render = cache == null ? null : AsyncMiss.continuedBy(req, cache);
      if (render != null) {
        cache.sawAsyncDispatch();
        render.runDispatch(chain, req, res);
        return;
      }
    }
    // Only a client's request: not a forward, include, error or another async dispatch.
    if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)
        || req.getDispatcherType() != DispatcherType.REQUEST) {
      chain.doFilter(req, res);
      return;
    }
    // Before any lookup or bypass: the endpoint's requests are neither the application's nor the cache's.
    if (purges != null && purges.handles(request)) {
      purges.answer(request, response);
      return;
    }
    String method = request.getMethod();
    if (method.equals("GET") || method.equals("HEAD")) {
      if (cache.warmer.needsServer()) {
        // Where this server listens, from the socket: nothing here comes from what the client sent.
        cache.warmer.learn(request.getLocalAddr(), request.getLocalPort(), request.getContextPath());
      }
      read(request, response, chain);
      return;
    }
    cache.counters.count(Reason.METHOD);
    new Invalidation(cache, request, response).run(chain);
  }

  private void read(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    boolean warmRender = cache.warmer.warming() && cache.warmer.isRefresh(request.getHeader(Warmer.TOKEN_HEADER));
    ServletRequestView view = warmRender
        ? ServletRequestView.onBehalfOf(request, cache.warmer.siteOf(request.getHeader(Warmer.SITE_HEADER)))
        : new ServletRequestView(request);
    // Something in front already sent part of an answer: a stored page cannot follow it.
    if (response.isCommitted()) {
      bypass(view, request, response, chain, Reason.COMMITTED, Optional.empty());
      return;
    }
    Optional<CacheRule> matched = cache.rule(view.method(), view.path());
    if (!cache.hosts.allows(view.host())) {
      bypass(view, request, response, chain, Reason.UNKNOWN_HOST, matched);
      return;
    }
    if (matched.isEmpty()) {
      bypass(view, request, response, chain, Reason.NO_RULE, matched);
      return;
    }
    CacheRule rule = matched.get();
    Optional<Reason> bypass = RequestPolicy.bypassReason(view, rule, cache.sessionCookie);
    if (bypass.isEmpty() && request.getAttribute(BYPASS_ATTRIBUTE) != null) {
      bypass = Optional.of(Reason.BYPASS_REQUESTED);
    }
    if (bypass.isPresent()) {
      bypass(view, request, response, chain, bypass.get(), matched);
      return;
    }
    Exchange exchange = new Exchange(cache, request, response, chain, view, rule, CacheKeys.primary(view, rule));
    if (!exchange.steering.isEmpty()) {
      cache.counters.steeringKeyed(exchange.steering);
    }
    if (warmRender) {
      // A refresh ahead of expiry must render although the copy is current; one after a purge need not.
      Renderer.renderForWarmer(exchange, request.getHeader(Warmer.AFTER_PURGE_HEADER) != null);
      return;
    }
    PageIndex.Found found = exchange.find();
    exchange.fwd = found.purged() ? CacheStatus.Fwd.PURGED
        : found.varyMiss() ? CacheStatus.Fwd.VARY_MISS : CacheStatus.Fwd.URI_MISS;
    Instant now = cache.clock.instant();
    if (exchange.encodingRefused) {
      // Stored in a coding of the origin's this client refuses: the origin answers it alone.
      Renderer.render(exchange, new Decision.Render(false, Optional.empty()));
      return;
    }
    Decision decision = ReusePolicy.decide(view, rule, Optional.ofNullable(found.page()), now);
    if (decision instanceof Decision.Serve serve) {
      exchange.serve(serve.page(), now, found.shared(), found.shared() ? CacheStatus.HIT_SHARED : CacheStatus.HIT);
    } else if (decision instanceof Decision.ServeStale stale) {
      Renderer.serveStaleThenRefresh(exchange, stale);
    } else {
      Decision.Render render = (Decision.Render) decision;
      if (render.revalidate().isPresent()) {
        exchange.revalidate = render.revalidate();
        exchange.fwd = CacheStatus.Fwd.STALE;
      } else if (exchange.isHead() && found.isHit()) {
        exchange.storedForHead = Optional.of(found.page()); // RFC 9111 §4.3.5
      }
      Renderer.render(exchange, render);
    }
  }

  private void bypass(ServletRequestView view, HttpServletRequest request, HttpServletResponse response,
      FilterChain chain, Reason reason, Optional<CacheRule> rule) throws IOException, ServletException {
    LOG.log(Level.DEBUG, () -> "pagecache: " + view.method() + " " + view.path() + " skips the cache: " + reason.detail());
    Exchange.bypass(cache, request, response, chain, reason, rule);
  }
}
