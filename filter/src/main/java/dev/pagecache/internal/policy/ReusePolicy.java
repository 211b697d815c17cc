package dev.pagecache.internal.policy;

import dev.pagecache.rules.CacheRule;
import dev.pagecache.internal.store.CachedPage;
import java.time.Instant;
import java.util.Optional;

/**
 * May a stored page answer this request now (RFC 9111 §4)? Fresh pages are served; an expired one
 * is served while its stale-while-revalidate window lasts (RFC 5861), otherwise the origin renders,
 * with the expired page kept as a stand-in for a failure during its stale-if-error window, and
 * asked first whether it changed when the page has the origin's validators (RFC 9111 §4.3).
 */
public final class ReusePolicy {
  private ReusePolicy() {}

  /**
   * @param request a {@code GET} or {@code HEAD} that matched {@code rule} and may use the cache
   * @param stored what the store holds for the request's key
   */
  public static Decision decide(RequestView request, CacheRule rule, Optional<CachedPage> stored, Instant now) {
    if (stored.isPresent() && Freshness.isFresh(stored.get(), now)) {
      return new Decision.Serve(stored.get()); // the hit path: decided before the request is read further
    }
    boolean mayStore = RequestPolicy.storeRefusal(request, rule).isEmpty();
    if (stored.isEmpty()) {
      return new Decision.Render(mayStore, Optional.empty());
    }
    CachedPage page = stored.get();
    if (Staleness.servableWhileRevalidating(page, now)) {
      // A request that could not store its own render leaves the refresh to one that can.
      return new Decision.ServeStale(page, mayStore);
    }
    // Only a render that may store its answer revalidates: a 304 is of use only to freshen a stored copy.
    return new Decision.Render(mayStore,
        Staleness.servableOnError(page, now) ? Optional.of(page) : Optional.empty(),
        mayStore && page.revalidatable() ? Optional.of(page) : Optional.empty());
  }
}
