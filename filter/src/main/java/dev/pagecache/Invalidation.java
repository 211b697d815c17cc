package dev.pagecache;

import dev.pagecache.internal.policy.CacheStatus;
import dev.pagecache.internal.policy.RequestPolicy;
import dev.pagecache.internal.policy.WithheldFields;
import dev.pagecache.internal.servlet.CommitWatchWrapper;
import dev.pagecache.internal.servlet.ServletRequestView;
import dev.pagecache.internal.servlet.WithholdingResponseWrapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * A request of a method other than {@code GET} and {@code HEAD}: it passes through, is told
 * {@code Cache-Status: pagecache; fwd=method}, and, for an unsafe method (RFC 9111 §4.4) whose
 * origin answers with success, purges its URL and the same-host URLs in {@code Location} and
 * {@code Content-Location} before the answer can reach the client, so a client that follows it
 * never sees the old page. Both happen at the last moment before the response commits, so a
 * {@code reset()} by the application undoes neither. The fields meant for the cache (a
 * {@code Pagecache-Control}, tag fields) are withheld from the client as on any other answer.
 */
final class Invalidation {
  private static final Logger LOG = System.getLogger(PageCacheFilter.class.getName());

  private final LocalPageCache cache;
  private final ServletRequestView view;
  private final HttpServletRequest request;
  private final CommitWatchWrapper watched;
  private final boolean invalidates;
  private boolean done;

  Invalidation(LocalPageCache cache, HttpServletRequest request, HttpServletResponse response) {
    this.cache = cache;
    this.view = new ServletRequestView(request);
    this.request = request;
    this.invalidates = RequestPolicy.invalidatesCache(request.getMethod());
    this.watched = new CommitWatchWrapper(response, this::beforeCommit);
  }

  void run(FilterChain chain) throws IOException, ServletException {
    // The fields meant for the cache are the application's word to it, whatever the method.
    java.util.Set<String> withheld = cache.rule("GET", view.path()).map(WithheldFields::of).orElse(java.util.Set.of());
    chain.doFilter(request, withheld.isEmpty() ? watched : new WithholdingResponseWrapper(watched, withheld));
    if (!request.isAsyncStarted()) {
      watched.finish();
    }
  }

  private void beforeCommit(CommitWatchWrapper wrapper, int status) {
    wrapper.setClientHeader(CacheStatus.HEADER,
        CacheStatus.afterUpstream(wrapper.getHeaders(CacheStatus.HEADER), CacheStatus.METHOD));
    // Once per request: at the first moment the answer could leave (by then its status is set).
    if (!invalidates || done || !RequestPolicy.invalidatingStatus(status)) {
      return;
    }
    done = true;
    try {
      cache.invalidate(view);
      cache.invalidate(view, wrapper.location());
      cache.invalidate(view, wrapper.getHeader("Content-Location"));
    } catch (RuntimeException e) {
      cache.counters.storeErrors.increment();
      LOG.log(Level.WARNING, "pagecache: invalidating after " + view.method() + " " + view.path() + " failed", e);
    }
  }
}
