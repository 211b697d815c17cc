package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.internal.http.Headers;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.rules.CacheRule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9213 targeted fields: what they decide for this cache, and the safety exception. */
class TargetedDirectivesTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final CacheRule RULE = CacheRule.forPath("/*").build();
  private static final CacheRule ORIGIN_ONLY = CacheRule.forPath("/*").ttlFromOriginOnly().build();
  private static final TestRequest GET = TestRequest.get("/a").build();

  private static Storability storability(TestResponse response, CacheRule rule) {
    return StoragePolicy.storability(GET, response.view(), rule, NOW);
  }

  private static Instant expiry(TestResponse response, CacheRule rule) {
    Storability storability = storability(response, rule);
    assertThat(storability.stores()).as("%s stores", storability).isTrue();
    return ((Storability.Store) storability).expiresAt();
  }

  @Test
  void cdnNoStoreRefusesWhatCacheControlWouldStore() {
    TestResponse response = TestResponse.ok().header("Cache-Control", "max-age=60").header("CDN-Cache-Control", "no-store");
    assertThat(storability(response, RULE)).isEqualTo(new Storability.DontStore(Reason.NO_STORE));
  }

  @Test
  void theTargetedLifetimeReplacesCacheControlAndExpires() {
    TestResponse response = TestResponse.ok()
        .header("Cache-Control", "max-age=5, s-maxage=7")
        .header("Expires", HttpDates.format(NOW.plusSeconds(9)))
        .header("Surrogate-Control", "max-age=11")
        .header("CDN-Cache-Control", "max-age=600");
    assertThat(expiry(response, RULE)).isEqualTo(NOW.plusSeconds(600));
  }

  @Test
  void theFirstListedFieldPresentAndValidDecides() {
    TestResponse both = TestResponse.ok().header("CDN-Cache-Control", "max-age=600").header("Pagecache-Control", "max-age=30");
    assertThat(expiry(both, RULE)).isEqualTo(NOW.plusSeconds(30));
    TestResponse invalidFirst = TestResponse.ok().header("CDN-Cache-Control", "max-age=600").header("Pagecache-Control", "Max-Age=30");
    assertThat(expiry(invalidFirst, RULE)).isEqualTo(NOW.plusSeconds(600));
    CacheRule cdnFirst = CacheRule.forPath("/*").targetedFields(List.of("CDN-Cache-Control", "Pagecache-Control")).build();
    assertThat(expiry(both, cdnFirst)).isEqualTo(NOW.plusSeconds(600));
  }

  @Test
  void aRuleWithoutTargetedFieldsReadsCacheControl() {
    CacheRule none = CacheRule.forPath("/*").targetedFields(List.of()).build();
    TestResponse response = TestResponse.ok().header("Cache-Control", "max-age=60").header("CDN-Cache-Control", "no-store");
    assertThat(expiry(response, none)).isEqualTo(NOW.plusSeconds(60));
  }

  @Test
  void anInvalidTargetedFieldFallsBackToCacheControl() {
    TestResponse response = TestResponse.ok().header("Cache-Control", "max-age=60").header("CDN-Cache-Control", "max-age=600,");
    assertThat(expiry(response, RULE)).isEqualTo(NOW.plusSeconds(60));
  }

  @Test
  void aTargetedFieldWithoutLifetimeLeavesTheRuleTtlNotCacheControl() {
    TestResponse response = TestResponse.ok().header("Cache-Control", "max-age=5").header("CDN-Cache-Control", "public");
    assertThat(expiry(response, RULE)).isEqualTo(NOW.plus(CacheRule.DEFAULT_TTL));
    assertThat(storability(response, ORIGIN_ONLY)).isEqualTo(new Storability.DontStore(Reason.NO_LIFETIME));
  }

  @Test
  void cacheControlPrivateOrNoStoreStillRefusesUnlessTheTargetedFieldSaysPublic() {
    TestResponse privatePage = TestResponse.ok().header("Cache-Control", "private").header("CDN-Cache-Control", "max-age=60");
    assertThat(storability(privatePage, RULE)).isEqualTo(new Storability.DontStore(Reason.PRIVATE));
    TestResponse noStorePage = TestResponse.ok().header("Cache-Control", "no-store").header("CDN-Cache-Control", "max-age=60");
    assertThat(storability(noStorePage, RULE)).isEqualTo(new Storability.DontStore(Reason.NO_STORE));
    TestResponse surrogateNoStore = TestResponse.ok().header("Surrogate-Control", "no-store").header("CDN-Cache-Control", "max-age=60");
    assertThat(storability(surrogateNoStore, RULE)).isEqualTo(new Storability.DontStore(Reason.NO_STORE));

    TestResponse meant = TestResponse.ok().header("Cache-Control", "private, no-store").header("CDN-Cache-Control", "public, max-age=60");
    assertThat(expiry(meant, RULE)).isEqualTo(NOW.plusSeconds(60));
  }

  @Test
  void cacheControlNoCacheIsIgnoredWhenATargetedFieldDecides() {
    TestResponse response = TestResponse.ok().header("Cache-Control", "no-cache").header("CDN-Cache-Control", "max-age=60");
    assertThat(expiry(response, RULE)).isEqualTo(NOW.plusSeconds(60));
  }

  @Test
  void targetedPrivateOrNoCacheRefuses() {
    assertThat(storability(TestResponse.ok().header("Pagecache-Control", "private, max-age=60"), RULE))
        .isEqualTo(new Storability.DontStore(Reason.PRIVATE));
    assertThat(storability(TestResponse.ok().header("Pagecache-Control", "no-cache, max-age=60"), RULE))
        .isEqualTo(new Storability.DontStore(Reason.NO_CACHE));
  }

  @Test
  void setCookieAndSessionChecksAreUnaffected() {
    TestResponse cookie = TestResponse.ok().header("CDN-Cache-Control", "public, max-age=60").setsCookie();
    assertThat(storability(cookie, RULE)).isEqualTo(new Storability.DontStore(Reason.SET_COOKIE));
    TestResponse session = TestResponse.ok().header("CDN-Cache-Control", "public, max-age=60").usedSession();
    assertThat(storability(session, RULE)).isEqualTo(new Storability.DontStore(Reason.SESSION));
  }

  @Test
  void anUnkeyedCookieNeedsPublicInTheTargetedField() {
    CacheRule credentials = CacheRule.forPath("/*").requestCookies(CacheRule.RequestCookies.CREDENTIALS).build();
    TestRequest withCookie = TestRequest.get("/a").header("Cookie", "sid=x").build();
    TestResponse plain = TestResponse.ok().header("CDN-Cache-Control", "max-age=60");
    assertThat(StoragePolicy.storability(withCookie, plain.view(), credentials, NOW))
        .isEqualTo(new Storability.DontStore(Reason.REQUEST_COOKIE));
    TestResponse shared = TestResponse.ok().header("CDN-Cache-Control", "public, max-age=60");
    assertThat(StoragePolicy.storability(withCookie, shared.view(), credentials, NOW).stores()).isTrue();
  }

  @Test
  void theTargetedFieldGivesTheStaleWindows() {
    Headers headers = Headers.builder()
        .add("Cache-Control", "max-age=0, must-revalidate")
        .add("CDN-Cache-Control", "max-age=600, stale-while-revalidate=60, stale-if-error=300")
        .build();
    assertThat(Staleness.windows(headers, RULE))
        .isEqualTo(new Staleness.Windows(Duration.ofSeconds(60), Duration.ofSeconds(300)));
    Headers mustRevalidate = Headers.builder()
        .add("Cache-Control", "max-age=60, stale-while-revalidate=60")
        .add("CDN-Cache-Control", "max-age=600, must-revalidate")
        .build();
    assertThat(Staleness.windows(mustRevalidate, RULE)).isEqualTo(Staleness.Windows.NONE);
  }
}
