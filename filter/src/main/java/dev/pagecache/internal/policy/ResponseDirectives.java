package dev.pagecache.internal.policy;

import dev.pagecache.internal.http.CacheControl;
import dev.pagecache.internal.http.Headers;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.internal.http.TargetedCacheControl;
import dev.pagecache.rules.CacheRule;
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
 *
 * <p><b>Targeted fields</b> (RFC 9213, {@link CacheRule#targetedFields}): the first of the rule's
 * fields present with a valid value decides storage, lifetime and the stale windows for this cache,
 * and {@code Cache-Control}, {@code Expires} and {@code Surrogate-Control} are ignored, as the RFC
 * says, with one exception that keeps the cache safe by default: {@code private} or
 * {@code no-store} in {@code Cache-Control} (or {@code no-store} in {@code Surrogate-Control})
 * still refuse, unless the targeted field itself says {@code public}. A site-wide
 * {@code CDN-Cache-Control: max-age=60} added by a proxy or framework default must not share a
 * logged-in page the application marked private; an origin that means it writes
 * {@code CDN-Cache-Control: public, max-age=60}. The rule's {@code allowPrivate}/{@code allowNoStore}
 * relax as before.
 */
public final class ResponseDirectives {
  private final CacheControl cacheControl;
  private final CacheControl surrogateControl;
  /** The targeted field that decides for this cache; null when none does. */
  private final CacheControl targeted;

  private ResponseDirectives(CacheControl cacheControl, CacheControl surrogateControl, CacheControl targeted) {
    this.cacheControl = cacheControl;
    this.surrogateControl = surrogateControl;
    this.targeted = targeted;
  }

  /** Without targeted fields: {@code Cache-Control} and {@code Surrogate-Control} alone. */
  public static ResponseDirectives of(Headers headers) {
    return new ResponseDirectives(CacheControl.parse(headers.all("Cache-Control")),
        CacheControl.parse(headers.all("Surrogate-Control")), null);
  }

  /** With the first of the rule's targeted fields present and valid, if any. */
  public static ResponseDirectives of(Headers headers, CacheRule rule) {
    return new ResponseDirectives(CacheControl.parse(headers.all("Cache-Control")),
        CacheControl.parse(headers.all("Surrogate-Control")), targeted(headers, rule).orElse(null));
  }

  /** RFC 9213 §2.2: the first listed field that is present and a valid, non-empty Dictionary. */
  static Optional<CacheControl> targeted(Headers headers, CacheRule rule) {
    for (String name : rule.targetedFields()) {
      Optional<CacheControl> parsed = TargetedCacheControl.parse(headers.all(name));
      if (parsed.isPresent()) {
        return parsed;
      }
    }
    return Optional.empty();
  }

  /** Whether a targeted field decides for this cache. */
  public boolean targeted() {
    return targeted != null;
  }

  /**
   * {@code no-store} (RFC 9111 §5.2.2.5): in either field; with a targeted field, in it, or in
   * {@code Cache-Control}/{@code Surrogate-Control} unless it says {@code public}.
   */
  public boolean noStore() {
    boolean general = cacheControl.noStore() || surrogateControl.noStore();
    if (targeted != null) {
      return targeted.noStore() || general && !targeted.isPublic();
    }
    return general;
  }

  /** {@code no-cache} in either field, or in the targeted field alone: stored only to be revalidated before every reuse. */
  public boolean noCache() {
    if (targeted != null) {
      return targeted.noCache();
    }
    return cacheControl.noCache() || surrogateControl.noCache();
  }

  /**
   * Whether the response says a shared cache may give it to anyone, even when the request carried
   * credentials: {@code public} or {@code s-maxage} in {@code Cache-Control} (RFC 9111 §3.5).
   */
  public boolean sharedExplicitly() {
    if (targeted != null && (targeted.isPublic() || targeted.sMaxAge().isPresent())) {
      return true;
    }
    return cacheControl.isPublic() || cacheControl.sMaxAge().isPresent();
  }

  /**
   * {@code Cache-Control: private} (RFC 9111 §5.2.2.7): for one user's browser only; with a
   * targeted field, {@code private} in it, or in {@code Cache-Control} unless it says {@code public}.
   */
  public boolean isPrivate() {
    if (targeted != null) {
      return targeted.isPrivate() || cacheControl.isPrivate() && !targeted.isPublic();
    }
    return cacheControl.isPrivate();
  }

  /**
   * The lifetime the response gives itself, in shared-cache precedence; empty when it gives none.
   * An invalid {@code Expires} (such as {@code 0}) means already expired (RFC 9111 §5.3).
   */
  public Optional<Duration> explicitLifetime(Headers headers, Instant receivedAt) {
    if (targeted != null) {
      // RFC 9213 §2.2: Cache-Control and Expires are ignored; s-maxage, as for any shared cache, first.
      return targeted.sMaxAge().or(targeted::maxAge);
    }
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
    if (targeted != null) {
      return targeted;
    }
    return surrogateControl.maxAge().isPresent() ? surrogateControl : cacheControl;
  }

  private static Duration nonNegative(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }
}
