package dev.pagecache;

import dev.pagecache.internal.policy.CacheKeys;
import dev.pagecache.internal.policy.CacheStatus;
import dev.pagecache.internal.policy.ConditionalRequests;
import dev.pagecache.internal.policy.Freshness;
import dev.pagecache.internal.policy.RangeAnswer;
import dev.pagecache.internal.policy.RangeRequests;
import dev.pagecache.internal.policy.Reason;
import dev.pagecache.internal.policy.Representations;
import dev.pagecache.internal.policy.SteeringHeaders;
import dev.pagecache.internal.policy.WithheldFields;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.internal.servlet.PageResponder;
import dev.pagecache.internal.servlet.ServletRequestView;
import dev.pagecache.internal.servlet.WithholdingResponseWrapper;
import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.internal.store.Representation;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One request the cache may answer, with what the filter learned about it on the way: its rule,
 * its key and whether its URL was known. Everything that acts on the request takes this one
 * object.
 */
final class Exchange {
  final LocalPageCache cache;
  final HttpServletRequest request;
  final HttpServletResponse response;
  final FilterChain chain;
  final ServletRequestView view;
  final CacheRule rule;
  final String primaryKey;
  /** The steering headers this request carries that key its page ({@link SteeringHeaders}). */
  final List<String> steering;
  /** Why the lookup did not answer: nothing stored, another variant stored, or a purged page. */
  CacheStatus.Fwd fwd = CacheStatus.Fwd.URI_MISS;
  /** Whether the lookup found the URL under a variant index. */
  boolean indexed;
  /** The expired page a render of this request asks the origin about, if it has the origin's validators. */
  Optional<CachedPage> revalidate = Optional.empty();
  /** For a {@code HEAD} the origin answers: the expired {@code GET} page its answer updates or invalidates. */
  Optional<CachedPage> storedForHead = Optional.empty();
  /**
   * Whether a lookup found a page whose only body is in a coding of the origin's that this request
   * refuses: it is not served here, and what the origin renders for this request is not stored over it.
   */
  boolean encodingRefused;
  private String renderKey;

  Exchange(LocalPageCache cache, HttpServletRequest request, HttpServletResponse response, FilterChain chain,
      ServletRequestView view, CacheRule rule, String primaryKey) {
    this.cache = cache;
    this.request = request;
    this.response = response;
    this.chain = chain;
    this.view = view;
    this.rule = rule;
    this.primaryKey = primaryKey;
    this.steering = SteeringHeaders.keyed(view, rule);
  }

  /** Looks this request's page up. */
  PageIndex.Found find() {
    PageIndex.Found found = cache.find(primaryKey, view, rule, steering);
    indexed |= found.indexed();
    // Only a body the origin encoded can be refused: every other page has an identity form.
    if (found.isHit() && found.page().originRepresentation().isEncoded()
        && Representations.choose(view, found.page()).isEmpty()) {
      encodingRefused = true;
      return PageIndex.Found.VARY_MISS;
    }
    return found;
  }

  /**
   * The key renders of this page are coalesced on: only the URL and the rule's key parts are
   * known before a render, so a waiter whose {@code Vary} values differ finds nothing when it
   * looks again, and renders for itself.
   */
  String renderKey() {
    if (renderKey == null) {
      renderKey = CacheKeys.secondary(primaryKey, 0, view, rule, steering, List.of());
    }
    return renderKey;
  }

  boolean isHead() {
    return view.method().equals("HEAD");
  }

  /** Looks the page up again, as it may have been stored since; a fresh page or null. */
  CachedPage freshPage(Instant now) {
    PageIndex.Found found = freshFound(now);
    return found == null ? null : found.page();
  }

  /** Like {@link #freshPage}, saying which layer answered; null when nothing fresh is stored. */
  PageIndex.Found freshFound(Instant now) {
    PageIndex.Found found = find();
    return found.isHit() && Freshness.isFresh(found.page(), now) ? found : null;
  }

  /**
   * Answers from a stored page: the whole page, a {@code HEAD} answer or a 304, in the form the
   * request prefers. {@code page} came from {@link #find}, so some form of it is acceptable.
   */
  void serve(CachedPage page, Instant now, boolean shared, String cacheStatus) throws IOException {
    Representation chosen = Representations.choose(view, page).orElse(page.originRepresentation());
    boolean notModified = ConditionalRequests.notModified(view, page, chosen);
    Counters counters = cache.counters;
    counters.hits.increment();
    if (shared) {
      counters.sharedHits.increment();
    }
    if (notModified) {
      counters.notModified.increment();
    }
    if (chosen.isEncoded()) {
      counters.encodedHits.increment();
    }
    respond(page, chosen, now, notModified, cacheStatus);
  }

  /**
   * Answers from a page the origin has just said is not modified: not a hit (the origin was asked),
   * but answered as one, with a 304 of its own when the client's validators match.
   */
  void serveRevalidated(CachedPage page, Instant now, String cacheStatus) throws IOException {
    Representation chosen = Representations.choose(view, page).orElse(page.originRepresentation());
    respond(page, chosen, now, ConditionalRequests.notModified(view, page, chosen), cacheStatus);
  }

  /** The whole form {@code chosen}, a {@code HEAD} answer, a 304, or a byte range of that form. */
  private void respond(CachedPage page, Representation chosen, Instant now, boolean notModified, String cacheStatus)
      throws IOException {
    String cacheControl = rule.downstreamCacheControl()
        .map(downstream -> downstream.render(Freshness.remainingSeconds(page, now)))
        .orElse(null);
    long age = Freshness.age(page, now).getSeconds();
    if (!notModified && RangeRequests.rangeable(page)) {
      // Most hits carry no Range: they are answered whole (with Accept-Ranges) without reading further.
      RangeAnswer answer = view.hasHeader("Range")
          ? RangeRequests.answer(view, RangeRequests.of(page, chosen)) : RangeAnswer.WHOLE;
      PageResponder.respondRanged(response, page, chosen, answer, isHead(), age, cacheControl, cacheStatus,
          WithheldFields.of(rule));
      return;
    }
    PageResponder.respond(response, page, chosen, isHead(), notModified, age, cacheControl, cacheStatus,
        WithheldFields.of(rule));
  }

  /**
   * Says why the request skips the cache, and passes it on. Under a rule, the fields meant for the
   * cache (the tag fields, unless the rule keeps them) still do not reach the client: they are
   * the application's word to the cache whether or not this response is cached.
   *
   * @param rule the rule the request matched, if it matched one
   */
  static void bypass(LocalPageCache cache, HttpServletRequest request, HttpServletResponse response,
      FilterChain chain, Reason reason, Optional<CacheRule> rule) throws IOException, jakarta.servlet.ServletException {
    cache.counters.count(reason);
    response.setHeader(CacheStatus.HEADER, CacheStatus.bypass(reason));
    Set<String> withheld = rule.map(WithheldFields::of).orElse(Set.of());
    chain.doFilter(request, withheld.isEmpty() ? response : new WithholdingResponseWrapper(response, withheld));
  }
}
