package dev.pagecache.policy;

import dev.pagecache.http.CacheControl;
import dev.pagecache.http.Headers;
import dev.pagecache.http.HttpDates;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a response tells this cache, read from {@code Cache-Control} and {@code Surrogate-Control}
 * (W3C Edge Architecture): the one place that chooses between the two.
 *
 * <ul>
 *   <li><b>Storage</b> listens to both: {@code no-store} in either, and {@code private} in
 *       {@code Cache-Control}, refuse it; {@code no-cache} in either stores it only with a
 *       validator, to be revalidated before every reuse. A {@code Surrogate-Control} never
 *       makes a response that {@code Cache-Control} marks private or no-store storable.</li>
 *   <li><b>Lifetime</b>: {@code Surrogate-Control: max-age} comes first (it is addressed to caches
 *       like this one), then {@code s-maxage}, {@code max-age} and {@code Expires} from the
 *       response as RFC 9111 §4.2.1 orders them for a shared cache (the precedence Fastly uses).</li>
 *   <li><b>Past expiry</b> ({@code stale-while-revalidate}, {@code stale-if-error},
 *       {@code must-revalidate}): the field that gave the lifetime speaks, so a browser-facing
 *       {@code Cache-Control: max-age=0, must-revalidate} does not take away the stale window a
 *       {@code Surrogate-Control: max-age=600, stale-while-revalidate=60} grants this cache.</li>
 * </ul>
 */
public final class ResponseDirectives {
  private final CacheControl cacheControl;
  private final CacheControl surrogateControl;

  private ResponseDirectives(CacheControl cacheControl, CacheControl surrogateControl) {
    this.cacheControl = cacheControl;
    this.surrogateControl = surrogateControl;
  }

  public static ResponseDirectives of(Headers headers) {
    return new ResponseDirectives(CacheControl.parse(headers.all("Cache-Control")),
        CacheControl.parse(headers.all("Surrogate-Control")));
  }

  /** {@code no-store} in either field (RFC 9111 §5.2.2.5). */
  public boolean noStore() {
    return cacheControl.noStore() || surrogateControl.noStore();
  }

  /** {@code no-cache} in either field: stored only to be revalidated before every reuse. */
  public boolean noCache() {
    return cacheControl.noCache() || surrogateControl.noCache();
  }

  /**
   * Whether the response says a shared cache may give it to anyone, even when the request carried
   * credentials: {@code public} or {@code s-maxage} in {@code Cache-Control} (RFC 9111 §3.5).
   */
  public boolean sharedExplicitly() {
    return cacheControl.isPublic() || cacheControl.sMaxAge().isPresent();
  }

  /** {@code Cache-Control: private} (RFC 9111 §5.2.2.7): for one user's browser only. */
  public boolean isPrivate() {
    return cacheControl.isPrivate();
  }

  /**
   * The lifetime the response gives itself, in shared-cache precedence; empty when it gives none.
   * An invalid {@code Expires} (such as {@code 0}) means already expired (RFC 9111 §5.3).
   */
  public Optional<Duration> explicitLifetime(Headers headers, Instant receivedAt) {
    if (surrogateControl.maxAge().isPresent()) {
      return surrogateControl.maxAge();
    }
    if (cacheControl.sMaxAge().isPresent()) {
      return cacheControl.sMaxAge();
    }
    if (cacheControl.maxAge().isPresent()) {
      return cacheControl.maxAge();
    }
    Optional<String> expires = headers.first("Expires");
    if (expires.isEmpty()) {
      return Optional.empty();
    }
    Optional<Instant> expiresAt = HttpDates.parse(expires.get());
    Instant date = headers.first("Date").flatMap(HttpDates::parse).orElse(receivedAt);
    return Optional.of(expiresAt.map(at -> nonNegative(Duration.between(date, at))).orElse(Duration.ZERO));
  }

  /** The directives that say what may happen once the response is stale. */
  public CacheControl pastExpiry() {
    return surrogateControl.maxAge().isPresent() ? surrogateControl : cacheControl;
  }

  private static Duration nonNegative(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }
}
