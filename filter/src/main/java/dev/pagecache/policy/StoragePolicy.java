package dev.pagecache.policy;

import dev.pagecache.http.CacheControl;
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
    Reason refusal = refusal(request, response, rule);
    if (refusal != null) {
      return new Storability.DontStore(refusal);
    }
    Optional<Duration> maybeLifetime = Freshness.lifetime(response.headers(), receivedAt, rule);
    if (maybeLifetime.isEmpty()) {
      return new Storability.DontStore(Reason.NO_LIFETIME);
    }
    Duration lifetime = maybeLifetime.get();
    if (rule.forceTtl()) {
      return new Storability.Store(receivedAt.plus(lifetime), Duration.ZERO);
    }
    Duration initialAge = Freshness.initialAge(response.headers(), receivedAt);
    Duration freshFor = lifetime.minus(initialAge);
    if (freshFor.isNegative() || freshFor.isZero()) {
      return new Storability.DontStore(Reason.NOT_FRESH);
    }
    return new Storability.Store(receivedAt.plus(freshFor), initialAge);
  }

  private static Reason refusal(RequestView request, ResponseView response, CacheRule rule) {
    if (response.async()) {
      return Reason.ASYNC;
    }
    if (response.contentType().map(StoragePolicy::isEventStream).orElse(false)) {
      return Reason.EVENT_STREAM;
    }
    if (request.method().equals("HEAD")) {
      return Reason.HEAD_MISS; // a HEAD response has no body: storing it would serve GETs empty pages
    }
    if (!response.completed()) {
      return Reason.EXCEPTION;
    }
    if (!rule.storesStatus(response.status())) {
      return Reason.STATUS;
    }
    CacheControl cacheControl = forSurrogates(response);
    // RFC 9111 §5.2.1.5: a request's no-store forbids storing its response, too.
    boolean requestNoStore = CacheControl.parse(request.headers("Cache-Control")).noStore();
    if (!rule.allowNoStore() && (cacheControl.noStore() || requestNoStore)) {
      return Reason.NO_STORE;
    }
    // We cannot revalidate with the origin, so no-cache ("reuse only after revalidation") means
    // do not store at all.
    if (!rule.allowNoStore() && cacheControl.noCache()) {
      return Reason.NO_CACHE;
    }
    if (!rule.allowPrivate() && cacheControl.isPrivate()) {
      return Reason.PRIVATE;
    }
    if (!rule.allowSetCookie() && response.setsCookie()) {
      return Reason.SET_COOKIE;
    }
    if (!rule.allowSession() && response.usedSession()) {
      return Reason.SESSION;
    }
    if (response.headers().tokens("Vary").contains("*")) {
      return Reason.VARY_STAR;
    }
    if (response.bodyTooLarge()) {
      return Reason.TOO_LARGE;
    }
    return null;
  }

  /**
   * {@code Surrogate-Control} is addressed to caches like this one and, when present, replaces
   * {@code Cache-Control} for them (W3C Edge Architecture); {@code Cache-Control} then speaks to
   * browsers only.
   */
  private static CacheControl forSurrogates(ResponseView response) {
    java.util.List<String> surrogate = response.headers().all("Surrogate-Control");
    return CacheControl.parse(surrogate.isEmpty() ? response.headers().all("Cache-Control") : surrogate);
  }

  private static boolean isEventStream(String contentType) {
    return contentType.trim().toLowerCase(Locale.ROOT).startsWith("text/event-stream");
  }
}
