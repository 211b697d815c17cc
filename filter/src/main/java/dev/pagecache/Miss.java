package dev.pagecache;

import dev.pagecache.http.Headers;
import dev.pagecache.http.HttpDates;
import dev.pagecache.policy.CacheKeys;
import dev.pagecache.policy.CacheStatus;
import dev.pagecache.policy.MissAnnouncement;
import dev.pagecache.policy.PageTags;
import dev.pagecache.policy.Reason;
import dev.pagecache.policy.RequestPolicy;
import dev.pagecache.policy.ResponseView;
import dev.pagecache.policy.Snapshots;
import dev.pagecache.policy.Staleness;
import dev.pagecache.policy.Storability;
import dev.pagecache.policy.StoragePolicy;
import dev.pagecache.servlet.CaptureResponseWrapper;
import dev.pagecache.servlet.NoClientResponse;
import dev.pagecache.servlet.TrackedRequest;
import dev.pagecache.store.CachedPage;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One render by the origin, held back from the client until the cache has decided: {@link #run}
 * renders, {@link #store} decides and stores (and says so in the fields the client will get),
 * {@link #send} lets the client have it. Between the last two, requests that waited for this
 * render can be let go: they need not wait for this client to receive the page.
 *
 * <p>A response that turns out not to be storable while it renders (too large, asynchronous, an
 * event stream flushed) is let go at once and streams to the client as it is written.
 */
final class Miss implements CaptureResponseWrapper.Owner {
  private static final Logger LOG = System.getLogger(PageCacheFilter.class.getName());

  private final Exchange exchange;
  private final LocalPageCache cache;
  private final TrackedRequest request;
  private final CaptureResponseWrapper capture;
  private Instant renderedAt;
  private long purgesBefore;
  private long renderStartNanos;
  private Headers ours = Headers.empty();
  private java.util.function.Consumer<RenderResult> earlyOutcome = result -> { };

  private Miss(Exchange exchange, HttpServletResponse target, boolean mayStore) {
    this.exchange = exchange;
    this.cache = exchange.cache;
    // A client's If-None-Match / If-Modified-Since would get a 304 from the origin, which cannot be
    // stored: ask for the whole page, store it, and answer such conditions from the copy next time.
    this.request = new TrackedRequest(exchange.request, mayStore, hiddenHeaders(exchange),
        CacheKeys.applicationQuery(exchange.view.query(), exchange.rule.query()));
    this.capture = new CaptureResponseWrapper(target, exchange.rule.maxBodyBytes(),
        PageTags.withheldHeaders(exchange.rule), cache.charsets, this);
    if (exchange.isHead()) {
      capture.keepContentLength(); // a HEAD answer has no body to measure
    }
    // Async code writes to the response from other threads: let it go while this thread owns it.
    request.onStartAsync(() -> {
      try {
        capture.releaseEarly(Reason.ASYNC);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * A render whose response goes to the request's client.
   *
   * @param mayStore whether the request allows its response to be stored ({@link dev.pagecache.policy.Decision.Render})
   */
  static Miss forClient(Exchange exchange, boolean mayStore) {
    return new Miss(exchange, exchange.response, mayStore);
  }

  /** A render no client receives: it only refreshes the stored page. */
  static Miss withoutClient(Exchange exchange) {
    return new Miss(exchange, new NoClientResponse(exchange.cache.charsets), true);
  }

  /**
   * Runs the rest of the chain into the held response. What the chain throws is rethrown, with
   * the response still held (the client has nothing) unless it was let go early.
   */
  void run() throws IOException, ServletException {
    renderedAt = cache.clock.instant();
    renderStartNanos = System.nanoTime();
    purgesBefore = cache.purgeSequence();
    try {
      exchange.chain.doFilter(request, capture);
      capture.complete();
    } catch (IOException | ServletException | RuntimeException | Error e) {
      cache.counters.count(Reason.EXCEPTION);
      throw e;
    }
  }

  /**
   * The rule's ignored headers, and on a render of the filter's own (a refresh) its token and the
   * site it names: the application must not be able to echo them into a page someone else reads.
   */
  private static java.util.Collection<String> hiddenHeaders(Exchange exchange) {
    if (exchange.request.getHeader(Warmer.TOKEN_HEADER) == null) {
      return exchange.rule.ignoredHeaders();
    }
    List<String> hidden = new java.util.ArrayList<>(exchange.rule.ignoredHeaders());
    hidden.add(Warmer.TOKEN_HEADER);
    hidden.add(Warmer.SITE_HEADER);
    return hidden;
  }

  /** Whether nothing has reached the client yet, so that something else may still be sent instead. */
  boolean isHeld() {
    return capture.isHeld();
  }

  /** Whether the origin failed: a 5xx, still held, that a stale copy may stand in for. */
  boolean failed() {
    return capture.isHeld() && capture.getStatus() >= 500;
  }

  /**
   * Decides whether the rendered response is stored, stores it if so, and settles the fields the
   * client will get. A redirect is sent first, so that the stored copy has the {@code Location}
   * the container made of it.
   */
  RenderResult store() throws IOException {
    Optional<Reason> releasedEarly = capture.releasedEarlyBecause();
    if (releasedEarly.isPresent()) {
      return RenderResult.notStored(releasedEarly.get()); // counted and announced as it was let go
    }
    Instant receivedAt = cache.clock.instant();
    ResponseView finished = responseView();
    try {
      return decideAndFile(finished, receivedAt);
    } catch (RuntimeException e) {
      // Our mistake must not become the user's: the response goes out as it is, unstored.
      cache.counters.storeErrors.increment();
      cache.counters.count(Reason.STORE_ERROR);
      LOG.log(Level.WARNING, "pagecache: deciding on " + exchange.view.path() + " failed; passing the response on", e);
      announce(new Storability.DontStore(Reason.STORE_ERROR), finished.headers(), receivedAt, null);
      return RenderResult.notStored(Reason.STORE_ERROR);
    }
  }

  private RenderResult decideAndFile(ResponseView finished, Instant receivedAt) throws IOException {
    Storability storability = exchange.encodingRefused
        ? new Storability.DontStore(Reason.ENCODING_NOT_ACCEPTED)
        : StoragePolicy.storability(exchange.view, finished, exchange.rule, receivedAt);
    if (storability instanceof Storability.DontStore dontStore) {
      cache.counters.count(dontStore.reason());
      announce(storability, finished.headers(), receivedAt, null);
      return RenderResult.notStored(dontStore.reason());
    }
    Storability.Store store = (Storability.Store) storability;
    Headers headers = finished.headers();
    byte[] body = capture.body(); // before a redirect goes out with it (6.1's sendRedirect without clearing)
    if (capture.sentRedirect()) {
      announce(store, headers, receivedAt, null);
      capture.release(ours);
      Optional<String> location = capture.redirectLocation();
      if (location.isPresent()) {
        headers = headers.toBuilder().set("Location", location.get()).build();
      }
    }
    List<String> tags = PageTags.of(exchange.view, exchange.rule, finished.headers());
    CachedPage page = cache.grouped(cache.compressed(exchange.rule, Snapshots.create(finished.withHeaders(headers), exchange.rule, body, store,
        Staleness.windows(headers, exchange.rule), receivedAt, renderedAt, capture.sentError(),
        capture.errorMessage().orElse(null))), exchange.view, exchange.primaryKey, tags, renderedAt, renderStartNanos, purgesBefore);
    RenderResult filed = cache.file(exchange.primaryKey, exchange.view, exchange.rule, exchange.steering,
        exchange.indexed, page, Snapshots.varyHeaders(headers));
    if (capture.isHeld()) {
      announce(filed.isStored() ? store : new Storability.DontStore(filed.notStoredBecause().orElseThrow()),
          headers, receivedAt, page);
    }
    return filed;
  }

  /** Lets the client have the response, if it has not had it already. */
  void send() throws IOException {
    capture.release(ours);
  }

  /** After the chain threw: tells the client, whose error page the container renders, that nothing was stored. */
  void announceFailure() {
    if (!exchange.response.isCommitted()) {
      exchange.response.setHeader(CacheStatus.HEADER, CacheStatus.miss(exchange.fwd, Reason.EXCEPTION));
    }
  }

  private void announce(Storability decided, Headers origin, Instant now, CachedPage stored) {
    MissAnnouncement announcement = MissAnnouncement.decide(decided, exchange.fwd, exchange.rule, origin, now);
    Headers.Builder fields = Headers.builder().set(CacheStatus.HEADER, announcement.cacheStatus());
    for (String value : announcement.cacheControl()) {
      fields.add("Cache-Control", value);
    }
    if (!origin.contains("Date")) {
      // The Date a hit repeats is the one this response goes out with: the container must not
      // stamp a different second.
      fields.set("Date", HttpDates.format(renderedAt));
    }
    if (stored != null && !origin.contains("ETag") && stored.etag().isPresent()) {
      // The validator the stored copy carries, so this client can revalidate at once.
      fields.set("ETag", stored.etag().get().headerValue());
    }
    if (stored != null && stored.varyHeader().isPresent()) {
      // Hits choose among the stored forms by Accept-Encoding: a cache downstream must know it from the first answer.
      fields.set("Vary", stored.varyHeader().get());
    }
    ours = fields.build();
  }

  @Override
  public Optional<Reason> refusalSoFar(CaptureResponseWrapper response) {
    try {
      Storability outlook = StoragePolicy.storability(exchange.view, responseView(), exchange.rule,
          cache.clock.instant());
      return outlook instanceof Storability.DontStore dontStore ? Optional.of(dontStore.reason()) : Optional.empty();
    } catch (RuntimeException e) {
      cache.counters.storeErrors.increment();
      LOG.log(Level.WARNING, "pagecache: deciding on " + exchange.view.path() + " failed; passing the response on", e);
      return Optional.of(Reason.STORE_ERROR);
    }
  }

  /** Called once the outcome is known early, so that requests waiting for this render need not wait for its end. */
  void onEarlyRelease(java.util.function.Consumer<RenderResult> listener) {
    this.earlyOutcome = listener;
  }

  @Override
  public Headers releasingEarly(CaptureResponseWrapper response, Reason why) {
    cache.counters.count(why);
    earlyOutcome.accept(RenderResult.notStored(why));
    Headers origin = response.recordedHeaders();
    MissAnnouncement announcement = MissAnnouncement.notStored(why, exchange.fwd, origin);
    Headers.Builder fields = Headers.builder().set(CacheStatus.HEADER, announcement.cacheStatus());
    if (!origin.contains("Date")) {
      fields.set("Date", HttpDates.format(renderedAt));
    }
    ours = fields.build();
    return ours;
  }

  private ResponseView responseView() {
    // A page keyed by the session cookie belongs to that session alone, and may use it: the one
    // the request named, not a new one the render made (the id was stale, or planted).
    boolean usedSessionOutsideKey = request.usedSession()
        && !(RequestPolicy.keyedBySession(exchange.view, exchange.rule, cache.sessionCookie)
            && request.usedOnlyTheRequestedSession());
    return new ResponseView(capture.getStatus(), capture.recordedHeaders(), Optional.ofNullable(capture.getContentType()),
        capture.setsCookie(cache.sessionCookie), usedSessionOutsideKey, capture.incomplete());
  }
}
