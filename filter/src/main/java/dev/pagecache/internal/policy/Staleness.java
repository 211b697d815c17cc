package dev.pagecache.internal.policy;

import dev.pagecache.internal.http.CacheControl;
import dev.pagecache.internal.http.Headers;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.internal.store.CachedPage;
import java.time.Duration;
import java.time.Instant;

/**
 * How long past its expiry a page may still be served (RFC 5861, RFC 9111 §4.2.4): while one
 * request renders its successor ({@code stale-while-revalidate}) and when that render fails
 * ({@code stale-if-error}). The longer of the rule's window and the origin's directive applies;
 * {@code must-revalidate}, {@code proxy-revalidate} and {@code s-maxage} (which implies
 * proxy-revalidate for a shared cache) forbid serving stale at all. The field that gave the page its
 * lifetime speaks here ({@link ResponseDirectives#pastExpiry}).
 */
public final class Staleness {
  private Staleness() {}

  /** The two windows, counted from expiry. */
  public record Windows(Duration whileRevalidate, Duration ifError) {
    public static final Windows NONE = new Windows(Duration.ZERO, Duration.ZERO);
  }

  public static Windows windows(Headers headers, CacheRule rule) {
    ResponseDirectives response = ResponseDirectives.of(headers, rule);
    CacheControl directives = response.pastExpiry();
    // no-cache: never reused without revalidation, so never served stale either (RFC 9111 §5.2.2.4).
    if (directives.mustRevalidate() || directives.proxyRevalidate() || directives.sMaxAge().isPresent()
        || (!rule.allowNoStore() && response.noCache())) {
      return Windows.NONE;
    }
    return new Windows(
        longer(rule.staleWhileRevalidate(), directives.staleWhileRevalidate().orElse(Duration.ZERO)),
        longer(rule.staleIfError(), directives.staleIfError().orElse(Duration.ZERO)));
  }

  /** Whether an expired page may be served now while another render refreshes it. */
  public static boolean servableWhileRevalidating(CachedPage page, Instant now) {
    return now.isBefore(page.staleWhileRevalidateUntil());
  }

  /** Whether an expired page may be served now in place of a failed render. */
  public static boolean servableOnError(CachedPage page, Instant now) {
    return now.isBefore(page.staleIfErrorUntil());
  }

  private static Duration longer(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
