package dev.pagecache;

import dev.pagecache.internal.http.EntityTag;
import dev.pagecache.internal.http.Headers;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.internal.policy.CacheKeys;
import dev.pagecache.internal.policy.CacheStatus;
import dev.pagecache.internal.policy.Freshening;
import dev.pagecache.internal.policy.Revalidation;
import dev.pagecache.internal.policy.MissAnnouncement;
import dev.pagecache.internal.policy.PageTags;
import dev.pagecache.internal.policy.RangeAnswer;
import dev.pagecache.internal.policy.RangeRequests;
import dev.pagecache.internal.policy.Reason;
import dev.pagecache.internal.policy.RequestPolicy;
import dev.pagecache.internal.policy.ResponseView;
import dev.pagecache.internal.policy.Snapshots;
import dev.pagecache.internal.policy.Staleness;
import dev.pagecache.internal.policy.Storability;
import dev.pagecache.internal.policy.StoragePolicy;
import dev.pagecache.internal.policy.WithheldFields;
import dev.pagecache.internal.servlet.CaptureResponseWrapper;
import dev.pagecache.internal.servlet.NoClientResponse;
import dev.pagecache.internal.servlet.TrackedRequest;
import dev.pagecache.internal.store.CachedPage;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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
  /** The stale page this render revalidates; null for a plain render. */
  private final CachedPage revalidating;
  /** What the client of a revalidation the origin answered 304 gets, and its Cache-Status. */
  private CachedPage freshened;
  private String freshenedStatus;
  private boolean validatorMismatch;
  private boolean revalidationCounted;
  private java.util.function.Consumer<RenderResult> earlyOutcome = result -> { };
  /** Whether the application was not shown the client's {@code Range}: then the cache answers it. */
  private final boolean hidesRange;
  private RangeAnswer range = RangeAnswer.WHOLE;
  private final RenderEnd end = new RenderEnd();
  private Ending ending;

  private Miss(Exchange exchange, HttpServletResponse target, boolean mayStore, CachedPage revalidating) {
    this.exchange = exchange;
    this.cache = exchange.cache;
    this.hidesRange = mayStore;
    this.revalidating = revalidating;
    // A client's If-None-Match / If-Modified-Since or Range would get a 304 or 206 from the origin,
    // which cannot be stored: ask for the whole page, store it, and answer such requests from it.
    // A revalidation asks about the stored copy instead, with its validators.
    this.request = new TrackedRequest(exchange.request, mayStore, hiddenHeaders(exchange),
        CacheKeys.applicationQuery(exchange.view.query(), exchange.rule.query()),
        revalidating == null ? java.util.Map.of() : Revalidation.conditionals(revalidating));
    this.capture = new CaptureResponseWrapper(target, exchange.rule.maxBodyBytes(),
        WithheldFields.of(exchange.rule), cache.charsets, this);
    if (exchange.isHead()) {
      capture.keepContentLength(); // a HEAD answer has no body to measure
    }
    // Asynchronous code keeps writing into the held response; the render ends when it completes.
    request.captureAsync(capture, new AsyncMiss(this, exchange.cache, exchange.request));
  }

  /**
   * A render whose response goes to the request's client.
   *
   * @param mayStore whether the request allows its response to be stored ({@link dev.pagecache.internal.policy.Decision.Render})
   */
  static Miss forClient(Exchange exchange, boolean mayStore) {
    return forClient(exchange, mayStore, java.util.Optional.empty());
  }

  /**
   * @param revalidate a stale page to ask the origin about ({@link dev.pagecache.internal.policy.Decision.Render#revalidate})
   */
  static Miss forClient(Exchange exchange, boolean mayStore, Optional<CachedPage> revalidate) {
    return new Miss(exchange, exchange.response, mayStore, revalidate.orElse(null));
  }

  /** A render no client receives: it only refreshes the stored page, revalidating it when it can. */
  static Miss withoutClient(Exchange exchange, Optional<CachedPage> revalidate) {
    return new Miss(exchange, new NoClientResponse(exchange.cache.charsets), true, revalidate.orElse(null));
  }

  /**
   * What happens once the render has ended: it is stored, and its client answered, or it is given
   * up. Called once per render, on the request thread, or on whichever thread ends an asynchronous
   * render.
   */
  interface Ending {
    /**
     * The render ended: the chain returned, or the asynchronous code completed.
     *
     * @param failure what the chain threw, or null; rethrown unless the ending answers instead
     */
    void finish(Throwable failure) throws IOException, ServletException;

    /**
     * An asynchronous render timed out or failed: nothing of it is stored or sent, the waiters
     * go, and the container (or the application's own listener) answers the client. Never throws.
     */
    void abandon(Reason why);
  }

  /**
   * Runs the rest of the chain into the held response. When it returns without going
   * asynchronous, {@code ending} finishes the render at once, on this thread; what the chain threw
   * is passed to it. When the application went asynchronous, this returns at once, and the render
   * is ended by whichever comes first of its {@code complete()}, the end of its async dispatch, a
   * timeout or an error ({@link AsyncMiss}).
   */
  void run(Ending ending) throws IOException, ServletException {
    this.ending = ending;
    renderedAt = cache.clock.instant();
    renderStartNanos = System.nanoTime();
    purgesBefore = cache.purgeSequence();
    if (revalidating != null) {
      cache.counters.revalidations.increment();
    }
    try {
      exchange.chain.doFilter(request, capture);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      if (end.isAsync()) {
        // The container reports it to the async listeners too; the render is over either way.
        if (end.claim()) {
          ending.abandon(Reason.EXCEPTION);
        }
        throw e;
      }
      end.claim();
      end(e);
      return;
    }
    if (end.endsOnRequestThread()) {
      end(null);
    }
  }

  /** Ends the render on this thread: the chain or the asynchronous code is done, or threw {@code failure}. */
  void end(Throwable failure) throws IOException, ServletException {
    if (failure == null) {
      try {
        capture.complete();
      } catch (IOException | RuntimeException e) {
        failure = e;
      }
    }
    if (failure != null) {
      cache.counters.count(Reason.EXCEPTION);
    }
    ending.finish(failure);
  }

  /** Who ends this render. */
  RenderEnd renderEnd() {
    return end;
  }

  /** Gives the render up ({@link Ending#abandon}). */
  void abandon(Reason why) {
    ending.abandon(why);
  }

  /** Drops what is held, leaving the client's response to the container ({@link CaptureResponseWrapper#abandon}). */
  void dropHeld(Reason why) {
    boolean held = capture.isHeld();
    capture.abandon(why);
    if (held && !exchange.response.isCommitted()) {
      exchange.response.setHeader(CacheStatus.HEADER, CacheStatus.miss(exchange.fwd, why));
    }
  }

  /** Whether the response was let go before the render ended (and so is not stored). */
  boolean releasedEarly() {
    return capture.releasedEarlyBecause().isPresent();
  }

  /** Lets the response go now, unstored: asynchronous output the held response cannot follow. */
  void releaseEarly(Reason why) throws IOException {
    capture.releaseEarly(why);
  }

  /** Whether the application went asynchronous during this render. */
  boolean wentAsync() {
    return end.isAsync();
  }

  /** The path, for log lines. */
  String path() {
    return exchange.view.path();
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
    hidden.add(Warmer.AFTER_PURGE_HEADER);
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
      if (revalidating != null && finished.status() == HttpServletResponse.SC_NOT_MODIFIED) {
        return freshen(finished, receivedAt);
      }
      if (exchange.storedForHead.isPresent() && finished.status() == HttpServletResponse.SC_OK) {
        updateFromHead(exchange.storedForHead.get(), finished, receivedAt);
      }
      return decideAndFile(finished, receivedAt);
    } catch (RuntimeException e) {
      // Our mistake must not become the user's: the response goes out as it is, unstored.
      cache.counters.storeErrors.increment();
      cache.counters.count(Reason.STORE_ERROR);
      LOG.log(Level.WARNING, "pagecache: deciding on " + exchange.view.path() + " failed; passing the response on", e);
      if (revalidating != null && finished.status() == HttpServletResponse.SC_NOT_MODIFIED && !validatorMismatch) {
        // The 304 answered our question, not the client's: the client gets the page it was about.
        freshened = revalidating;
        freshenedStatus = CacheStatus.revalidated(Reason.STORE_ERROR);
        return RenderResult.notStored(Reason.STORE_ERROR);
      }
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
      decideRange(finished, null);
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
    if (revalidating != null && filed.isStored()) {
      revalidationCounted = true;
      cache.counters.revalidationsReplaced.increment();
    }
    if (capture.isHeld()) {
      announce(filed.isStored() ? store : new Storability.DontStore(filed.notStoredBecause().orElseThrow()),
          headers, receivedAt, page);
      decideRange(finished, page);
    }
    return filed;
  }

  // ---- ranges (RFC 9110 §14) ----

  /**
   * Decides how the client's {@code Range}, which the application did not see, is answered from
   * the whole response held: from the snapshot's body and validators when one was made, else from
   * the response as the origin finished it. Only a whole 200 held back is sliced; a range past its
   * end gets the whole 200 (RFC 9110 §14.2 allows it) rather than a 416 carrying the origin's
   * {@code Cache-Control}.
   */
  private void decideRange(ResponseView finished, CachedPage snapshot) {
    if (!hidesRange || !capture.isHeld() || capture.sentRedirect() || capture.sentError() || finished.incomplete()
        || finished.status() != 200) {
      return;
    }
    Optional<RangeRequests.Representation> representation = snapshot != null ? RangeRequests.of(snapshot)
        : Optional.of(new RangeRequests.Representation(capture.bodyLength(),
            finished.headers().first("ETag").flatMap(EntityTag::parse),
            finished.headers().first("Last-Modified").flatMap(HttpDates::parse),
            finished.headers().first("Date").flatMap(HttpDates::parse).orElse(renderedAt)));
    if (representation.isEmpty() || exchange.isHead()) {
      return;
    }
    ours = ours.toBuilder().set("Accept-Ranges", "bytes").build();
    RangeAnswer answer = RangeRequests.answer(exchange.view, representation.get());
    if (answer instanceof RangeAnswer.Partial) {
      range = answer;
    }
  }

  /**
   * The origin answered the revalidation with 304: the stale page, freshened (RFC 9111 §4.3.4),
   * is filed as a new render would be, under the purge sequence taken when the revalidation
   * began, and only if no purge has stopped the stale page either: a purge meanwhile wins.
   */
  private RenderResult freshen(ResponseView notModified, Instant receivedAt) {
    if (!Freshening.vouchesFor(revalidating, notModified.headers())) {
      validatorMismatch = true;
      cache.counters.count(Reason.VALIDATOR_MISMATCH);
      return RenderResult.notStored(Reason.VALIDATOR_MISMATCH);
    }
    revalidationCounted = true;
    Freshening.Freshened result = Freshening.freshen(exchange.view, revalidating, notModified, exchange.rule,
        receivedAt, renderedAt);
    CachedPage page = result.page().renderedHere(renderedAt, renderStartNanos, purgesBefore,
        revalidating.purgeGroups());
    freshened = page;
    RenderResult filed;
    if (result.decided() instanceof Storability.DontStore dontStore) {
      cache.counters.count(dontStore.reason());
      filed = RenderResult.notStored(dontStore.reason());
    } else if (cache.purgedSinceRender(revalidating)) {
      cache.counters.count(Reason.PURGED);
      filed = RenderResult.notStored(Reason.PURGED);
    } else {
      filed = cache.file(exchange.primaryKey, exchange.view, exchange.rule, exchange.steering, exchange.indexed,
          page, Snapshots.varyHeaders(page.headers()));
    }
    // Counted once the freshened copy is in the store: whoever reads the count then finds it there.
    cache.counters.revalidationsNotModified.increment();
    freshenedStatus = CacheStatus.revalidated(filed.notStoredBecause().orElse(null));
    return filed;
  }

  /**
   * RFC 9111 §4.3.5: the origin's answer to a {@code HEAD} freshens the stored {@code GET} page
   * when its validators and length agree with it, and invalidates it when they do not. The
   * {@code HEAD} answer itself is not stored.
   */
  private void updateFromHead(CachedPage stored, ResponseView head, Instant receivedAt) {
    Headers fields = head.headers();
    String declared = capture.getHeader("Content-Length");
    if (declared != null && !fields.contains("Content-Length")) {
      fields = fields.toBuilder().set("Content-Length", declared).build();
    }
    switch (Freshening.afterHead(stored, fields)) {
      case FRESHEN -> {
        Freshening.Freshened result = Freshening.freshen(exchange.view, stored, head.withHeaders(fields),
            exchange.rule, receivedAt, renderedAt);
        if (result.decided().stores() && !cache.purgedSinceRender(stored)) {
          CachedPage page = result.page().renderedHere(renderedAt, renderStartNanos, purgesBefore, stored.purgeGroups());
          cache.file(exchange.primaryKey, exchange.view, exchange.rule, exchange.steering, exchange.indexed, page,
              Snapshots.varyHeaders(page.headers()));
        }
      }
      case INVALIDATE -> cache.invalidate(exchange.view);
      case NOTHING -> { }
    }
  }

  /** The freshened page a 304 from the origin produced, for this render's client; null otherwise. */
  CachedPage freshened() {
    return freshened;
  }

  /** The {@code Cache-Status} of {@link #freshened()}. */
  String freshenedStatus() {
    return freshenedStatus;
  }

  /** Whether the origin's 304 was about another representation than the stored one: ask again, unconditionally. */
  boolean validatorMismatch() {
    return validatorMismatch;
  }

  /** Counts a revalidation that neither freshened nor replaced the page (it failed, or was not stored). */
  void countRevalidationFailure() {
    if (revalidating != null && !revalidationCounted) {
      revalidationCounted = true;
      cache.counters.revalidationFailures.increment();
    }
  }

  /** Lets the client have the response, if it has not had it already. */
  void send() throws IOException {
    if (range instanceof RangeAnswer.Partial partial && capture.releasePartial(ours, partial)) {
      return;
    }
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
    if (revalidating != null && response.getStatus() == HttpServletResponse.SC_NOT_MODIFIED) {
      return Optional.empty(); // the answer to our question: never for the client, who did not ask it
    }
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
