package dev.pagecache.internal.policy;

import dev.pagecache.internal.http.CacheControl;
import dev.pagecache.internal.http.Headers;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.internal.store.CachedPage;
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
    return lifetime(200, headers, receivedAt, rule);
  }

  /**
   * As {@link #lifetime(Headers, Instant, CacheRule)}, with the rule's targeted fields first and,
   * when the rule allows it, a heuristic lifetime ({@link #heuristicLifetime}) in place of the
   * rule's ttl for a response that gives none.
   */
  public static Optional<Duration> lifetime(int status, Headers headers, Instant receivedAt, CacheRule rule) {
    if (rule.forceTtl()) {
      return rule.ttl();
    }
    return ResponseDirectives.of(headers, rule).explicitLifetime(headers, receivedAt)
        .or(() -> heuristicLifetime(status, headers, receivedAt, rule))
        .or(rule::ttl);
  }

  /** RFC 9111 §4.2.2: the statuses heuristically cacheable (RFC 9110 §15.1), less 206, which is never stored. */
  private static final java.util.Set<Integer> HEURISTICALLY_CACHEABLE =
      java.util.Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);

  /**
   * RFC 9111 §4.2.2: for a rule that allows it, a response of a heuristically cacheable status with
   * {@code Last-Modified} lives the rule's fraction of the time between it and {@code Date} (the
   * time received without one), at most the rule's cap. A {@code Last-Modified} in the future, or
   * one that cannot be read, gives none (and the rule's ttl applies).
   */
  static Optional<Duration> heuristicLifetime(int status, Headers headers, Instant receivedAt, CacheRule rule) {
    if (!rule.heuristic() || !HEURISTICALLY_CACHEABLE.contains(status)) {
      return Optional.empty();
    }
    Optional<Instant> lastModified = headers.first("Last-Modified").flatMap(HttpDates::parse);
    if (lastModified.isEmpty()) {
      return Optional.empty();
    }
    Instant date = dateOf(headers).orElse(receivedAt);
    Duration since = Duration.between(lastModified.get(), date);
    if (since.isNegative()) {
      return Optional.empty();
    }
    Duration lifetime = Duration.ofMillis((long) (since.toMillis() * rule.heuristicFraction()));
    lifetime = Duration.ofSeconds(lifetime.getSeconds()); // whole seconds, as every other lifetime
    return Optional.of(lifetime.compareTo(rule.heuristicMax()) > 0 ? rule.heuristicMax() : lifetime);
  }

  /**
   * RFC 9111 §4.2.3 {@code corrected_initial_age}, without response delay (the origin is in the
   * same JVM or next to it): the larger of the {@code Age} it came with and its apparent age.
   */
  public static Duration initialAge(Headers headers, Instant receivedAt) {
    Duration ageValue = ageValue(headers);
    Duration apparentAge = dateOf(headers)
        .map(date -> nonNegative(Duration.between(date, receivedAt)))
        .orElse(Duration.ZERO);
    return ageValue.compareTo(apparentAge) >= 0 ? ageValue : apparentAge;
  }

  /** What an invalid {@code Age} is taken as: older than any lifetime. */
  static final Duration INVALID_AGE = Duration.ofSeconds(1L << 31);

  /**
   * RFC 9111 §5.1 {@code age_value}: of a list ({@code Age: 7200, 0}, or several field lines) the
   * first member counts. A value that is not delta-seconds ({@code -5}, {@code 1.5}, {@code abc},
   * an empty first member) the RFC lets a cache ignore; we read it the safe way instead, as 2^31
   * seconds (the value RFC 9111 §1.2.2 gives an overflow), so that a response some cache on the way
   * mislabelled is never served as fresh. No {@code Age} at all is zero.
   */
  static Duration ageValue(Headers headers) {
    Optional<String> line = headers.first("Age");
    if (line.isEmpty()) {
      return Duration.ZERO;
    }
    String value = line.get();
    int comma = value.indexOf(',');
    String first = (comma < 0 ? value : value.substring(0, comma)).trim();
    return CacheControl.seconds(first).orElse(INVALID_AGE);
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
