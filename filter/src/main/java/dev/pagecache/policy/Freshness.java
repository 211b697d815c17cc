package dev.pagecache.policy;

import dev.pagecache.http.CacheControl;
import dev.pagecache.http.Headers;
import dev.pagecache.http.HttpDates;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.store.CachedPage;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Freshness lifetime and age, as RFC 9111 §4.2 defines them for a shared cache. */
public final class Freshness {
  private Freshness() {}

  /**
   * RFC 9111 §4.2.1, shared cache, with {@code Surrogate-Control} first (see
   * {@link ResponseDirectives#explicitLifetime}). When the origin says nothing, the rule's ttl
   * applies (empty for a rule with {@code ttl = origin}); a rule with {@code forceTtl} uses its ttl
   * whatever the origin says.
   */
  public static Optional<Duration> lifetime(Headers headers, Instant receivedAt, CacheRule rule) {
    if (rule.forceTtl()) {
      return rule.ttl();
    }
    return ResponseDirectives.of(headers).explicitLifetime(headers, receivedAt).or(rule::ttl);
  }

  /**
   * RFC 9111 §4.2.3 {@code corrected_initial_age}, without response delay (the origin is in the
   * same JVM or next to it): the larger of the {@code Age} it came with and its apparent age.
   */
  public static Duration initialAge(Headers headers, Instant receivedAt) {
    Duration ageValue = headers.first("Age")
        .flatMap(value -> CacheControl.seconds(value.trim()))
        .orElse(Duration.ZERO);
    Duration apparentAge = dateOf(headers)
        .map(date -> nonNegative(Duration.between(date, receivedAt)))
        .orElse(Duration.ZERO);
    return ageValue.compareTo(apparentAge) >= 0 ? ageValue : apparentAge;
  }

  /** The current age of a stored page (RFC 9111 §4.2.3 {@code current_age}). */
  public static Duration age(CachedPage page, Instant now) {
    return page.initialAge().plus(nonNegative(Duration.between(page.storedAt(), now)));
  }

  public static boolean isFresh(CachedPage page, Instant now) {
    return now.isBefore(page.expiresAt());
  }

  /** Whole seconds of freshness left, never negative. */
  public static long remainingSeconds(CachedPage page, Instant now) {
    return Math.max(0, Duration.between(now, page.expiresAt()).getSeconds());
  }

  private static Optional<Instant> dateOf(Headers headers) {
    return headers.first("Date").flatMap(HttpDates::parse);
  }

  private static Duration nonNegative(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }
}
