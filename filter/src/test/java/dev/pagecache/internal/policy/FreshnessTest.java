package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.pagecache.internal.http.Headers;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.internal.store.CachedPage;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FreshnessTest {
  /** When the origin finished the response; every test's timeline starts here. */
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final CacheRule RULE = CacheRule.forPath("/*").ttl(Duration.ofSeconds(42)).build();

  private static String at(long secondsFromNow) {
    return HttpDates.format(NOW.plusSeconds(secondsFromNow));
  }

  private static Headers headers(String... namesAndValues) {
    Headers.Builder builder = Headers.builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      builder.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return builder.build();
  }

  static Stream<Arguments> lifetimes() {
    return Stream.of(
        arguments(named("Surrogate-Control max-age beats everything", headers(
            "Surrogate-Control", "max-age=300",
            "Cache-Control", "s-maxage=200, max-age=100",
            "Date", at(0), "Expires", at(50))), 300),
        arguments(named("s-maxage beats max-age and Expires", headers(
            "Cache-Control", "max-age=100, s-maxage=200",
            "Date", at(0), "Expires", at(50))), 200),
        arguments(named("max-age beats Expires", headers(
            "Cache-Control", "max-age=100",
            "Date", at(0), "Expires", at(50))), 100),
        arguments(named("max-age beats an invalid Expires", headers(
            "Cache-Control", "public, max-age=100", "Expires", "0")), 100),
        arguments(named("Expires minus Date", headers(
            // Date 10 s ago, Expires 40 s from now: a lifetime of 50 s
            "Date", at(-10), "Expires", at(40))), 50),
        arguments(named("Expires minus the time received, without Date", headers(
            "Expires", at(30))), 30),
        arguments(named("an Expires before Date", headers(
            "Date", at(0), "Expires", at(-3600))), 0),
        arguments(named("an invalid Expires means already expired", headers(
            "Expires", "0")), 0),
        arguments(named("an Expires in no HTTP-date form", headers(
            "Expires", "tomorrow")), 0),
        arguments(named("an invalid max-age means stale", headers(
            "Cache-Control", "max-age=soon")), 0),
        arguments(named("s-maxage=0 overrides a longer max-age", headers(
            "Cache-Control", "max-age=600, s-maxage=0")), 0),
        // Surrogate-Control decides the lifetime only when it gives one.
        arguments(named("a Surrogate-Control without max-age leaves Cache-Control's lifetime", headers(
            "Surrogate-Control", "no-store-remote",
            "Cache-Control", "max-age=100")), 100),
        arguments(named("Surrogate-Control s-maxage is not a Surrogate-Control max-age", headers(
            "Surrogate-Control", "s-maxage=500",
            "Cache-Control", "s-maxage=100", "Expires", at(30))), 100),
        arguments(named("a Surrogate-Control without max-age, and nothing else: the rule's ttl", headers(
            "Surrogate-Control", "content=\"ESI/1.0\"")), 42),
        arguments(named("nothing from the origin: the rule's ttl", headers(
            "Cache-Control", "public")), 42),
        arguments(named("no headers at all: the rule's ttl", Headers.empty()), 42));
  }

  @ParameterizedTest(name = "{0}: {1}s")
  @MethodSource("lifetimes")
  void lifetimeFollowsTheSharedCachePrecedence(Headers headers, long seconds) {
    assertThat(Freshness.lifetime(headers, NOW, RULE)).contains(Duration.ofSeconds(seconds));
  }

  @Test
  void aForcedTtlIsUsedWhateverTheOriginSays() {
    CacheRule forced = CacheRule.forPath("/*").ttl(Duration.ofMinutes(10)).forceTtl(true).build();

    assertThat(Freshness.lifetime(headers("Surrogate-Control", "max-age=5", "Cache-Control", "max-age=0",
        "Expires", "0"), NOW, forced)).contains(Duration.ofMinutes(10));
  }

  @Test
  void aRuleWithoutTtlHasNoLifetimeForAResponseThatGivesNone() {
    CacheRule originOnly = CacheRule.forPath("/*").ttlFromOriginOnly().build();

    assertThat(Freshness.lifetime(headers("Cache-Control", "public"), NOW, originOnly)).isEmpty();
    assertThat(Freshness.lifetime(headers("Surrogate-Control", "no-store-remote"), NOW, originOnly)).isEmpty();
    assertThat(Freshness.lifetime(headers("Cache-Control", "max-age=100"), NOW, originOnly))
        .contains(Duration.ofSeconds(100));
    assertThat(Freshness.lifetime(headers("Expires", "0"), NOW, originOnly)).contains(Duration.ZERO);
  }

  @Test
  void initialAgeIsTheAgeHeaderWhenThereIsNoDate() {
    assertThat(Freshness.initialAge(headers("Age", " 30 "), NOW)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void initialAgeIsTheApparentAgeFromDateWhenThereIsNoAge() {
    // Date says 10 s ago; we received it now.
    assertThat(Freshness.initialAge(headers("Date", at(-10)), NOW)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void initialAgeIsTheLargerOfAgeAndApparentAge() {
    assertThat(Freshness.initialAge(headers("Age", "30", "Date", at(-10)), NOW)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Freshness.initialAge(headers("Age", "5", "Date", at(-10)), NOW)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aDateInTheFutureGivesNoApparentAge() {
    // The origin's clock runs 60 s ahead of ours.
    assertThat(Freshness.initialAge(headers("Date", at(60)), NOW)).isZero();
  }

  @Test
  void anInvalidAgeIsTakenAsOlderThanAnyLifetime() {
    // RFC 9111 §5.1 lets a cache ignore it; we read it the safe way: never fresh.
    for (String invalid : new String[] {"-5", "ten", "", "1.5", ", 3", "0x10"}) {
      assertThat(Freshness.initialAge(headers("Age", invalid), NOW)).as(invalid).isEqualTo(Freshness.INVALID_AGE);
    }
    assertThat(Freshness.initialAge(Headers.empty(), NOW)).isZero();
  }

  @Test
  void ofAnAgeListTheFirstMemberCounts() {
    assertThat(Freshness.initialAge(headers("Age", "7200, 0"), NOW)).isEqualTo(Duration.ofSeconds(7200));
    assertThat(Freshness.initialAge(headers("Age", "0,7200"), NOW)).isZero();
    assertThat(Freshness.initialAge(headers("Age", "7200", "Age", "0"), NOW)).isEqualTo(Duration.ofSeconds(7200));
  }

  private static final CacheRule HEURISTIC = CacheRule.forPath("/*").ttl(Duration.ofSeconds(42)).heuristic(true).build();

  @Test
  void aHeuristicLifetimeIsATenthOfTheTimeSinceLastModified() {
    // Modified 1000 s before its Date: 100 s.
    Headers headers = headers("Date", at(0), "Last-Modified", at(-1000));
    assertThat(Freshness.lifetime(200, headers, NOW, HEURISTIC)).contains(Duration.ofSeconds(100));
    assertThat(Freshness.lifetime(404, headers, NOW, HEURISTIC)).contains(Duration.ofSeconds(100));
    // Without Date, counted from when it was received.
    assertThat(Freshness.lifetime(200, headers("Last-Modified", at(-500)), NOW, HEURISTIC))
        .contains(Duration.ofSeconds(50));
  }

  @Test
  void theHeuristicIsCappedAndItsFractionConfigurable() {
    Headers headers = headers("Date", at(0), "Last-Modified", at(-365L * 24 * 3600));
    assertThat(Freshness.lifetime(200, headers, NOW, HEURISTIC)).contains(Duration.ofDays(1));
    CacheRule half = CacheRule.forPath("/*").heuristic(true).heuristicFraction(0.5)
        .heuristicMax(Duration.ofMinutes(10)).build();
    assertThat(Freshness.lifetime(200, headers("Date", at(0), "Last-Modified", at(-100)), NOW, half))
        .contains(Duration.ofSeconds(50));
    assertThat(Freshness.lifetime(200, headers, NOW, half)).contains(Duration.ofMinutes(10));
  }

  @Test
  void theHeuristicNeverBeatsAnExplicitLifetimeAndOnlyReplacesTheTtlWhenItApplies() {
    Headers explicit = headers("Cache-Control", "max-age=7", "Date", at(0), "Last-Modified", at(-1000));
    assertThat(Freshness.lifetime(200, explicit, NOW, HEURISTIC)).contains(Duration.ofSeconds(7));
    Headers modified = headers("Date", at(0), "Last-Modified", at(-1000));
    assertThat(Freshness.lifetime(200, modified, NOW, RULE)).as("heuristic off").contains(Duration.ofSeconds(42));
    assertThat(Freshness.lifetime(302, modified, NOW, HEURISTIC)).as("302 is not heuristically cacheable")
        .contains(Duration.ofSeconds(42));
    assertThat(Freshness.lifetime(200, headers("Date", at(0)), NOW, HEURISTIC)).as("no Last-Modified")
        .contains(Duration.ofSeconds(42));
    assertThat(Freshness.lifetime(200, headers("Date", at(0), "Last-Modified", at(60)), NOW, HEURISTIC))
        .as("Last-Modified after Date").contains(Duration.ofSeconds(42));
    assertThat(Freshness.lifetime(200, headers("Last-Modified", "yesterday"), NOW, HEURISTIC))
        .as("unreadable Last-Modified").contains(Duration.ofSeconds(42));
    CacheRule originOnly = CacheRule.forPath("/*").ttlFromOriginOnly().heuristic(true).build();
    assertThat(Freshness.lifetime(200, modified, NOW, originOnly)).contains(Duration.ofSeconds(100));
    assertThat(Freshness.lifetime(200, headers("Date", at(0)), NOW, originOnly)).isEmpty();
  }

  @Test
  void aHugeAgeIsCappedNotIgnored() {
    assertThat(Freshness.initialAge(headers("Age", "99999999999"), NOW))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(Integer.MAX_VALUE));
  }

  private static CachedPage page(Duration initialAge, Instant storedAt, Instant expiresAt) {
    return CachedPage.builder().storedAt(storedAt).initialAge(initialAge).expiresAt(expiresAt).build();
  }

  @Test
  void currentAgeIsInitialAgePlusTimeInTheCache() {
    // Stored now with an Age of 30 s; 15 s later it is 45 s old.
    CachedPage page = page(Duration.ofSeconds(30), NOW, NOW.plusSeconds(60));

    assertThat(Freshness.age(page, NOW.plusSeconds(15))).isEqualTo(Duration.ofSeconds(45));
    assertThat(Freshness.age(page, NOW)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aClockThatWentBackDoesNotMakeAPageYounger() {
    CachedPage page = page(Duration.ofSeconds(30), NOW, NOW.plusSeconds(60));

    assertThat(Freshness.age(page, NOW.minusSeconds(5))).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aPageIsFreshUpToButNotAtItsExpiry() {
    CachedPage page = page(Duration.ZERO, NOW, NOW.plusSeconds(60));

    assertThat(Freshness.isFresh(page, NOW)).isTrue();
    assertThat(Freshness.isFresh(page, NOW.plusSeconds(60).minusNanos(1))).isTrue();
    assertThat(Freshness.isFresh(page, NOW.plusSeconds(60))).isFalse();
    assertThat(Freshness.isFresh(page, NOW.plusSeconds(61))).isFalse();
  }

  @Test
  void remainingSecondsAreWholeAndNeverNegative() {
    CachedPage page = page(Duration.ZERO, NOW, NOW.plusSeconds(60));

    assertThat(Freshness.remainingSeconds(page, NOW)).isEqualTo(60);
    assertThat(Freshness.remainingSeconds(page, NOW.plusMillis(500))).isEqualTo(59);
    assertThat(Freshness.remainingSeconds(page, NOW.plusSeconds(60))).isZero();
    assertThat(Freshness.remainingSeconds(page, NOW.plusSeconds(3600))).isZero();
  }
}
