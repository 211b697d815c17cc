package dev.pagecache;

import dev.pagecache.http.EntityTag;
import dev.pagecache.http.Headers;
import dev.pagecache.http.HttpDates;
import dev.pagecache.policy.CacheStatus;
import dev.pagecache.policy.MissAnnouncement;
import dev.pagecache.policy.Reason;
import dev.pagecache.policy.ResponseView;
import dev.pagecache.policy.Snapshots;
import dev.pagecache.policy.Staleness;
import dev.pagecache.policy.Storability;
import dev.pagecache.policy.StoragePolicy;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.servlet.CaptureResponseWrapper;
import dev.pagecache.servlet.ServletRequestView;
import dev.pagecache.servlet.TrackedRequest;
import dev.pagecache.store.CachedPage;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Optional;

/**
 * One miss: runs the chain through the capture wrapper, tells the client what the cache will do
 * before the first byte leaves, and stores the response if it may be shared. The response may be
 * a {@code DetachedResponse}, for a render no client sees until the cache has decided.
 */
final class Miss {
  private static final Logger LOG = System.getLogger(PageCacheFilter.class.getName());

  private final LocalPageCache cache;
  private final ServletRequestView view;
  private final CacheRule rule;
  private final String primaryKey;
  private final boolean varyMiss;
  private final HttpServletRequest request;
  private final TrackedRequest trackedRequest;
  private final CaptureResponseWrapper capture;

  Miss(LocalPageCache cache, ServletRequestView view, CacheRule rule, String primaryKey, boolean varyMiss,
      HttpServletRequest request, HttpServletResponse response) {
    this.cache = cache;
    this.view = view;
    this.rule = rule;
    this.primaryKey = primaryKey;
    this.varyMiss = varyMiss;
    this.request = request;
    // A client's If-None-Match / If-Modified-Since would get a 304 from the origin, which cannot be
    // stored: ask for the whole page, store it, and answer such conditions from the copy next time.
    this.trackedRequest = new TrackedRequest(request, view.method().equals("GET"));
    long maxBody = view.method().equals("HEAD") ? 0 : rule.maxBodyBytes();
    this.capture = new CaptureResponseWrapper(response, maxBody, this::announce);
    // Async code writes to the response from other threads: settle our header before it can start.
    trackedRequest.onStartAsync(() -> capture.release(CacheStatus.HEADER, CacheStatus.miss(varyMiss, Reason.ASYNC)));
  }

  /** @return whether the response was stored */
  boolean render(FilterChain chain) throws IOException, ServletException {
    // The Date a hit will repeat is the one this response goes out with; set it ourselves so the
    // container does not stamp a different second.
    Instant renderedAt = cache.clock.instant();
    capture.setClientHeader("Date", HttpDates.format(renderedAt));
    long purgesBefore = cache.purgeSequence();
    try {
      chain.doFilter(trackedRequest, capture);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      cache.counters.count(Reason.EXCEPTION);
      if (!capture.isCommitted()) {
        capture.setClientHeader(CacheStatus.HEADER, CacheStatus.miss(varyMiss, Reason.EXCEPTION));
        capture.setClientHeader("Cache-Control", capture.recordedHeaders().all("Cache-Control"));
      }
      throw e;
    }
    if (request.isAsyncStarted()) {
      cache.counters.count(Reason.ASYNC); // the response belongs to async code now: hands off
      return false;
    }
    capture.finish();
    Instant receivedAt = cache.clock.instant();
    ResponseView finished = responseView(capture.getStatus());
    Storability storability = StoragePolicy.storability(view, finished, rule, receivedAt);
    if (storability instanceof Storability.DontStore dontStore) {
      cache.counters.count(dontStore.reason());
      return false;
    }
    CachedPage page = Snapshots.create(finished, capture.body(), (Storability.Store) storability,
        Staleness.windows(finished.headers(), rule), receivedAt, renderedAt, capture.sentError(), capture.errorMessage());
    return cache.file(primaryKey, view, rule, page, Snapshots.varyHeaders(finished.headers()), purgesBefore);
  }

  /** The commit hook: what the client is told must be settled before the first byte leaves. */
  private void announce(CaptureResponseWrapper wrapper, int status, boolean complete) {
    try {
      Instant now = cache.clock.instant();
      ResponseView response = responseView(status);
      Storability outlook = StoragePolicy.storability(view, response, rule, now);
      MissAnnouncement announcement = MissAnnouncement.decide(outlook, complete, varyMiss, rule, response.headers(), now);
      wrapper.setClientHeader(CacheStatus.HEADER, announcement.cacheStatus());
      wrapper.setClientHeader("Cache-Control", announcement.cacheControl());
      if (complete && outlook.stores() && !response.headers().contains("ETag")) {
        // The validator the stored copy will carry, so this client can revalidate at once.
        wrapper.setClientHeader("ETag", EntityTag.strong(Snapshots.contentHash(wrapper.body())).headerValue());
      }
      if (outlook instanceof Storability.DontStore dontStore && dontStore.reason() == Reason.EVENT_STREAM) {
        wrapper.stopCapturing();
      }
    } catch (RuntimeException e) {
      // Our mistake must not become the user's: stop capturing, let the response go out as it is.
      wrapper.stopCapturing();
      cache.counters.storeErrors.increment();
      LOG.log(Level.WARNING, "pagecache: deciding on " + view.path() + " failed; passing the response through", e);
    }
  }

  private ResponseView responseView(int status) {
    return new ResponseView(status, withLocation(status), Optional.ofNullable(capture.getContentType()),
        capture.setsCookie(), trackedRequest.usedSession(), true, request.isAsyncStarted(), capture.bodyTooLarge());
  }

  /** A redirect's {@code Location} as the container resolved it, however it was set. */
  private Headers withLocation(int status) {
    Headers recorded = capture.recordedHeaders();
    if (status < 300 || status >= 400 || recorded.contains("Location")) {
      return recorded;
    }
    String location = capture.getHeader("Location");
    return location == null ? recorded : recorded.toBuilder().set("Location", location).build();
  }
}
