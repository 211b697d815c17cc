package dev.pagecache.internal.policy;

import dev.pagecache.rules.CacheRule;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * May this response be stored in a shared cache (RFC 9111 §3), and until when? The first reason
 * that applies is the answer; the order below puts what a user most needs to see first.
 */
public final class StoragePolicy {
  private StoragePolicy() {}

  public static Storability storability(RequestView request, ResponseView response, CacheRule rule,
      Instant receivedAt) {
    Optional<Reason> refusal = refusal(request, response, rule);
    if (refusal.isPresent()) {
      return new Storability.DontStore(refusal.get());
    }
    Optional<Duration> maybeLifetime = Freshness.lifetime(response.status(), response.headers(), receivedAt, rule);
    if (maybeLifetime.isEmpty()) {
      return new Storability.DontStore(Reason.NO_LIFETIME);
    }
    Duration lifetime = maybeLifetime.get();
    if (rule.forceTtl()) {
      return new Storability.Store(receivedAt.plus(lifetime), Duration.ZERO);
    }
    Duration initialAge = Freshness.initialAge(response.headers(), receivedAt);
    // RFC 9111 §5.2.2.4: no-cache may be stored, but is never reused without revalidation.
    if (revalidatedBeforeReuse(response, rule)) {
      return new Storability.Store(receivedAt, initialAge);
    }
    Duration freshFor = lifetime.minus(initialAge);
    if (freshFor.isNegative() || freshFor.isZero()) {
      // Stale on arrival, but the origin can say cheaply whether it is still good: stored stale.
      return Revalidation.hasValidator(response.headers()) && !rule.revalidationRetention().isZero()
          ? new Storability.Store(receivedAt, initialAge)
          : new Storability.DontStore(Reason.NOT_FRESH);
    }
    return new Storability.Store(receivedAt.plus(freshFor), initialAge);
  }

  private static Optional<Reason> refusal(RequestView request, ResponseView response, CacheRule rule) {
    if (response.contentType().map(StoragePolicy::isEventStream).orElse(false)) {
      return Optional.of(Reason.EVENT_STREAM);
    }
    Optional<Reason> byRequest = RequestPolicy.storeRefusal(request, rule);
    if (byRequest.isPresent()) {
      return byRequest;
    }
    if (!rule.storesStatus(response.status())) {
      return Optional.of(Reason.STATUS);
    }
    // RFC 9111 §3.3: a cache must not store an incomplete response as if it were complete.
    if (response.incomplete()) {
      return Optional.of(Reason.INCOMPLETE);
    }
    // Web cache deception: /profile/x.css answered with the profile page is not a style sheet.
    if (rule.checkContentType() && response.status() >= 200 && response.status() < 300
        && !rule.extensionTypes().fits(request.path(), response.contentType())) {
      return Optional.of(Reason.TYPE_MISMATCH);
    }
    ResponseDirectives directives = ResponseDirectives.of(response.headers(), rule);
    if (rule.requestCookies() == CacheRule.RequestCookies.CREDENTIALS && !directives.sharedExplicitly()
        && RequestPolicy.hasUnkeyedCookie(request, rule)) {
      return Optional.of(Reason.REQUEST_COOKIE);
    }
    if (!rule.allowNoStore() && directives.noStore()) {
      return Optional.of(Reason.NO_STORE);
    }
    // no-cache means "reuse only after revalidation": without a validator to revalidate with, a
    // stored copy could never be reused.
    if (!rule.allowNoStore() && directives.noCache()
        && (!Revalidation.hasValidator(response.headers()) || rule.revalidationRetention().isZero())) {
      return Optional.of(Reason.NO_CACHE);
    }
    if (!rule.allowPrivate() && directives.isPrivate()) {
      return Optional.of(Reason.PRIVATE);
    }
    if (!rule.allowSetCookie() && response.setsCookie()) {
      return Optional.of(Reason.SET_COOKIE);
    }
    if (!rule.allowSession() && response.usedSession()) {
      return Optional.of(Reason.SESSION);
    }
    if (response.headers().tokens("Vary").contains("*")) {
      return Optional.of(Reason.VARY_STAR);
    }
    return Optional.empty();
  }

  /** A {@code no-cache} response this cache stores (it has a validator): stale from the start. */
  private static boolean revalidatedBeforeReuse(ResponseView response, CacheRule rule) {
    return !rule.allowNoStore() && ResponseDirectives.of(response.headers(), rule).noCache();
  }

  private static boolean isEventStream(String contentType) {
    return contentType.trim().toLowerCase(Locale.ROOT).startsWith("text/event-stream");
  }
}
