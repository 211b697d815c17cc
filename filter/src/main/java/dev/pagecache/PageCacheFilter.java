package dev.pagecache;

import dev.pagecache.http.HttpDates;
import dev.pagecache.policy.CacheKeys;
import dev.pagecache.policy.ConditionalRequests;
import dev.pagecache.policy.Freshness;
import dev.pagecache.policy.Reason;
import dev.pagecache.policy.RequestPolicy;
import dev.pagecache.policy.ResponseView;
import dev.pagecache.policy.Snapshots;
import dev.pagecache.policy.Storability;
import dev.pagecache.policy.StoragePolicy;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.DownstreamCacheControl;
import dev.pagecache.servlet.CaptureResponseWrapper;
import dev.pagecache.servlet.PageResponder;
import dev.pagecache.servlet.ServletRequestView;
import dev.pagecache.servlet.TrackedRequest;
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
  private static final String FILTERED_ATTRIBUTE = PageCacheFilter.class.getName() + ".filtered";
  private static final Logger LOG = System.getLogger(PageCacheFilter.class.getName());

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
            : (config.maxCacheBytes() >> 20) + " MiB in memory") + "; rules: " + config.rules());
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
    // Only a client's request, once: not a forward, include, error or async dispatch.
    if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)
        || req.getDispatcherType() != DispatcherType.REQUEST || req.getAttribute(FILTERED_ATTRIBUTE) != null) {
      chain.doFilter(req, res);
      return;
    }
    request.setAttribute(FILTERED_ATTRIBUTE, Boolean.TRUE);
    String method = request.getMethod();
    if (method.equals("GET") || method.equals("HEAD")) {
      read(request, response, chain);
    } else if (RequestPolicy.invalidatesCache(method)) {
      write(request, response, chain);
    } else {
      response.setHeader(CacheStatus.HEADER, CacheStatus.METHOD);
      chain.doFilter(request, response);
    }
  }

  private void read(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    ServletRequestView view = new ServletRequestView(request);
    Optional<CacheRule> matched = cache.rule(view.method(), view.path());
    if (matched.isEmpty()) {
      bypass(request, response, chain, Reason.NO_RULE);
      return;
    }
    CacheRule rule = matched.get();
    Optional<Reason> bypass = RequestPolicy.bypassReason(view, rule);
    if (bypass.isEmpty() && request.getAttribute(BYPASS_ATTRIBUTE) != null) {
      bypass = Optional.of(Reason.BYPASS_REQUESTED);
    }
    if (bypass.isPresent()) {
      bypass(request, response, chain, bypass.get());
      return;
    }
    String primaryKey = CacheKeys.primary(view, rule);
    PageIndex.Found found = cache.find(primaryKey, view, rule);
    Instant now = cache.clock.instant();
    if (found.isHit() && Freshness.isFresh(found.page(), now)) {
      serve(view, response, rule, found.page(), now);
      return;
    }
    cache.counters.misses.increment();
    render(view, request, response, chain, rule, primaryKey, found.varyMiss());
  }

  private void serve(ServletRequestView view, HttpServletResponse response, CacheRule rule, CachedPage page,
      Instant now) throws IOException {
    boolean notModified = ConditionalRequests.notModified(view, page);
    cache.counters.hits.increment();
    if (notModified) {
      cache.counters.notModified.increment();
    }
    String cacheControl = rule.downstreamCacheControl()
        .map(downstream -> downstream.render(Freshness.remainingSeconds(page, now)))
        .orElse(null);
    PageResponder.respond(response, page, view.method().equals("HEAD"), notModified,
        Freshness.age(page, now).getSeconds(), cacheControl, CacheStatus.HIT);
  }

  private void bypass(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Reason reason)
      throws IOException, ServletException {
    cache.counters.count(reason);
    response.setHeader(CacheStatus.HEADER, CacheStatus.bypass(reason));
    chain.doFilter(request, response);
  }

  /** A miss: run the chain through the capture wrapper, then store what may be shared. */
  private void render(ServletRequestView view, HttpServletRequest request, HttpServletResponse response,
      FilterChain chain, CacheRule rule, String primaryKey, boolean varyMiss) throws IOException, ServletException {
    // The Date a hit will repeat is the one this response goes out with; set it ourselves so the
    // container does not stamp a different second.
    Instant renderedAt = cache.clock.instant();
    response.setHeader("Date", HttpDates.format(renderedAt));
    long maxBody = view.method().equals("HEAD") ? 0 : rule.maxBodyBytes();
    TrackedRequest trackedRequest = new TrackedRequest(request);
    CaptureResponseWrapper capture = new CaptureResponseWrapper(response, maxBody, (wrapper, status, complete) -> {
      // What the client is told must be settled before the first byte leaves: decide on what we know now.
      Instant now = cache.clock.instant();
      Storability outlook = StoragePolicy.storability(view,
          responseView(wrapper, status, trackedRequest, true, request.isAsyncStarted()), rule, now);
      announce(wrapper, rule, varyMiss, outlook, now, complete);
    });
    // Async code writes to the response from other threads: settle our header before it can start.
    trackedRequest.onStartAsync(() -> capture.release(CacheStatus.HEADER, CacheStatus.miss(varyMiss, Reason.ASYNC)));
    try {
      chain.doFilter(trackedRequest, capture);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      cache.counters.count(Reason.EXCEPTION);
      if (!response.isCommitted()) {
        response.setHeader(CacheStatus.HEADER, CacheStatus.miss(varyMiss, Reason.EXCEPTION));
      }
      throw e;
    }
    if (request.isAsyncStarted()) {
      cache.counters.count(Reason.ASYNC); // the response belongs to async code now: hands off
      return;
    }
    capture.finish();
    Instant receivedAt = cache.clock.instant();
    ResponseView finished = responseView(capture, capture.getStatus(), trackedRequest, true, false);
    Storability storability = StoragePolicy.storability(view, finished, rule, receivedAt);
    if (storability instanceof Storability.DontStore dontStore) {
      cache.counters.count(dontStore.reason());
      return;
    }
    CachedPage page = Snapshots.create(finished, capture.body(), (Storability.Store) storability, receivedAt,
        renderedAt, capture.sentError(), capture.errorMessage());
    cache.file(primaryKey, view, rule, page, Snapshots.varyHeaders(finished.headers()));
  }

  private static ResponseView responseView(CaptureResponseWrapper capture, int status,
      TrackedRequest request, boolean completed, boolean async) {
    return new ResponseView(status, withLocation(capture, status), Optional.ofNullable(capture.getContentType()),
        capture.setsCookie(), request.usedSession(), completed, async, capture.bodyTooLarge());
  }

  /** A redirect's {@code Location} as the container resolved it, however it was set. */
  private static dev.pagecache.http.Headers withLocation(CaptureResponseWrapper capture, int status) {
    dev.pagecache.http.Headers recorded = capture.recordedHeaders();
    if (status < 300 || status >= 400 || recorded.contains("Location")) {
      return recorded;
    }
    String location = capture.getHeader("Location");
    return location == null ? recorded : recorded.toBuilder().set("Location", location).build();
  }

  /** Sets {@code Cache-Status} and the rule's downstream {@code Cache-Control} on a miss. */
  private static void announce(CaptureResponseWrapper capture, CacheRule rule, boolean varyMiss,
      Storability outlook, Instant now, boolean complete) {
    if (outlook instanceof Storability.DontStore dontStore) {
      capture.setClientHeader(CacheStatus.HEADER, CacheStatus.miss(varyMiss, dontStore.reason()));
      if (dontStore.reason() == Reason.EVENT_STREAM) {
        capture.stopCapturing();
      }
      return;
    }
    // A response sent before it is whole may still grow too large or fail: promise "stored" only
    // when the origin has finished. The next request shows whether it was.
    capture.setClientHeader(CacheStatus.HEADER, complete ? CacheStatus.miss(varyMiss, null) : CacheStatus.missUndecided(varyMiss));
    Optional<DownstreamCacheControl> downstream = rule.downstreamCacheControl();
    if (downstream.isPresent()) {
      Storability.Store store = (Storability.Store) outlook;
      long seconds = Duration.between(now, store.expiresAt()).getSeconds();
      capture.setClientHeader("Cache-Control", downstream.get().render(seconds));
    }
  }

  /** An unsafe method: once the origin answers with success, purge its URL (RFC 9111 §4.4). */
  private void write(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    ServletRequestView view = new ServletRequestView(request);
    response.setHeader(CacheStatus.HEADER, CacheStatus.METHOD);
    // Purge before the answer can reach the client, so a client that follows it never sees the old page.
    CaptureResponseWrapper watched = new CaptureResponseWrapper(response, 0, (wrapper, status, complete) -> {
      if (RequestPolicy.invalidatingStatus(status)) {
        cache.invalidate(view);
        cache.invalidate(view, wrapper.getHeader("Location"));
        cache.invalidate(view, wrapper.getHeader("Content-Location"));
      }
    });
    chain.doFilter(request, watched);
    watched.finish();
  }
}
