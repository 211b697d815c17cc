package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.rules.CacheRule;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class StoragePolicyTest {
  /** When the origin finished the response. */
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final CacheRule RULE = CacheRule.forPath("/*").build();
  private static final TestRequest GET = TestRequest.get("/a").build();

  private static Storability storability(TestResponse response, CacheRule rule) {
    return StoragePolicy.storability(GET, response.view(), rule, NOW);
  }

  private static void assertRefused(Storability storability, Reason reason) {
    assertThat(storability).isEqualTo(new Storability.DontStore(reason));
    assertThat(storability.stores()).isFalse();
  }

  private static Storability.Store assertStored(Storability storability) {
    assertThat(storability.stores()).as("%s stores", storability).isTrue();
    return (Storability.Store) storability;
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        refusal("an event stream", TestResponse.ok().contentType("text/event-stream"), Reason.EVENT_STREAM, null),
        refusal("an event stream in capitals, with a charset",
            TestResponse.ok().contentType(" Text/Event-Stream; charset=UTF-8"), Reason.EVENT_STREAM, null),
        refusal("a body shorter or longer than its Content-Length", TestResponse.ok().incomplete(),
            Reason.INCOMPLETE, null),
        refusal("a status the rule does not store", TestResponse.status(404), Reason.STATUS, null),
        refusal("Cache-Control: no-store", TestResponse.ok().header("Cache-Control", "no-store"),
            Reason.NO_STORE, b -> b.allowNoStore(true)),
        refusal("Surrogate-Control: no-store", TestResponse.ok().header("Surrogate-Control", "no-store"),
            Reason.NO_STORE, b -> b.allowNoStore(true)),
        refusal("Cache-Control: no-cache", TestResponse.ok().header("Cache-Control", "no-cache"),
            Reason.NO_CACHE, b -> b.allowNoStore(true)),
        refusal("Cache-Control: no-cache=\"Set-Cookie\"",
            TestResponse.ok().header("Cache-Control", "no-cache=\"Set-Cookie\", max-age=60"),
            Reason.NO_CACHE, b -> b.allowNoStore(true)),
        refusal("Cache-Control: private", TestResponse.ok().header("Cache-Control", "private, max-age=60"),
            Reason.PRIVATE, b -> b.allowPrivate(true)),
        refusal("a cookie set", TestResponse.ok().setsCookie(), Reason.SET_COOKIE, b -> b.allowSetCookie(true)),
        refusal("a session used", TestResponse.ok().usedSession(), Reason.SESSION, b -> b.allowSession(true)),
        refusal("Vary: *", TestResponse.ok().header("Vary", "Accept-Encoding, *"), Reason.VARY_STAR, null));
  }

  private static Arguments refusal(String name, TestResponse response, Reason reason,
      UnaryOperator<CacheRule.Builder> lift) {
    return arguments(named(name, response), reason, lift);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("refusals")
  void eachRefusalNamesItsReason(TestResponse response, Reason reason, UnaryOperator<CacheRule.Builder> lift) {
    assertRefused(storability(response, RULE), reason);
    assertThat(reason.isBypass()).isFalse();
  }

  @ParameterizedTest(name = "{0} -> stored with the rule's switch")
  @MethodSource("refusals")
  void theRulesAllowSwitchLiftsItsRefusal(TestResponse response, Reason reason, UnaryOperator<CacheRule.Builder> lift) {
    if (lift == null) {
      // No switch lifts this reason: the rule that allows everything still refuses.
      CacheRule permissive = CacheRule.forPath("/*").allowNoStore(true).allowPrivate(true).allowSetCookie(true)
          .allowSession(true).allowAuthorization(true).build();
      assertRefused(storability(response, permissive), reason);
      return;
    }
    assertStored(storability(response, lift.apply(CacheRule.forPath("/*")).build()));
  }

  @Test
  void aPathWhoseExtensionTheBodyContradictsIsNotStored() {
    TestRequest css = TestRequest.get("/profile/nonexistent.css").build();

    assertRefused(StoragePolicy.storability(css, TestResponse.ok().view(), RULE, NOW), Reason.TYPE_MISMATCH);
    assertRefused(StoragePolicy.storability(css, TestResponse.ok().contentType(null).view(), RULE, NOW),
        Reason.TYPE_MISMATCH);
    assertStored(StoragePolicy.storability(css, TestResponse.ok().contentType("text/css; charset=UTF-8").view(), RULE, NOW));
    assertStored(StoragePolicy.storability(css, TestResponse.ok().view(),
        CacheRule.forPath("/*").checkContentType(false).build(), NOW));
    // A redirect away from the file is not its content.
    assertStored(StoragePolicy.storability(css, TestResponse.status(301).view(), RULE, NOW));
    // Paths without a known extension are not checked.
    assertStored(StoragePolicy.storability(TestRequest.get("/profile/v1.2").build(), TestResponse.ok().view(), RULE, NOW));
  }

  @Test
  void aRuleCanTeachTheTableAnExtension() {
    CacheRule rule = CacheRule.forPath("/*").extensionTypes(java.util.Map.of("md", java.util.List.of("text/markdown"))).build();
    TestRequest markdown = TestRequest.get("/README.md").build();

    assertRefused(StoragePolicy.storability(markdown, TestResponse.ok().view(), rule, NOW), Reason.TYPE_MISMATCH);
    assertStored(StoragePolicy.storability(markdown, TestResponse.ok().contentType("text/markdown").view(), rule, NOW));
  }

  @Test
  void aRequestWithAnUnkeyedCookieIsStoredOnlyWhenTheResponseSaysItIsForEveryone() {
    CacheRule credentials = CacheRule.forPath("/*").requestCookies(CacheRule.RequestCookies.CREDENTIALS)
        .keyCookies(java.util.List.of("lang")).build();
    TestRequest withLogin = TestRequest.get("/a").header("Cookie", "lang=de; auth=s3cret").build();
    TestRequest withKeyedCookie = TestRequest.get("/a").header("Cookie", "lang=de").build();

    assertRefused(StoragePolicy.storability(withLogin, TestResponse.ok().view(), credentials, NOW), Reason.REQUEST_COOKIE);
    assertStored(StoragePolicy.storability(withLogin, TestResponse.ok().header("Cache-Control", "public").view(),
        credentials, NOW));
    assertStored(StoragePolicy.storability(withLogin, TestResponse.ok().header("Cache-Control", "s-maxage=60").view(),
        credentials, NOW));
    assertStored(StoragePolicy.storability(withKeyedCookie, TestResponse.ok().view(), credentials, NOW));
    assertStored(StoragePolicy.storability(withLogin, TestResponse.ok().view(), RULE, NOW));
  }

  @Test
  void extensionRulesTreatRequestCookiesAsCredentialsByDefault() {
    TestRequest css = TestRequest.get("/site.css").header("Cookie", "auth=s3cret").build();
    TestResponse styleSheet = TestResponse.ok().contentType("text/css");

    assertRefused(StoragePolicy.storability(css, styleSheet.view(), CacheRule.forPath("*.css").build(), NOW),
        Reason.REQUEST_COOKIE);
    assertStored(StoragePolicy.storability(css, styleSheet.view(),
        CacheRule.forPath("*.css").requestCookies(CacheRule.RequestCookies.IGNORE).build(), NOW));
    assertStored(StoragePolicy.storability(css, styleSheet.view(), CacheRule.forPath("/*").build(), NOW));
  }

  @Test
  void aHeadMissIsNotStoredBecauseItHasNoBody() {
    TestRequest head = TestRequest.head("/a").build();

    assertRefused(StoragePolicy.storability(head, TestResponse.ok().view(), RULE, NOW), Reason.HEAD_MISS);
  }

  @Test
  void aRequestsNoStoreKeepsItsResponseOut() {
    TestRequest noStore = TestRequest.get("/a").header("Cache-Control", "no-store").build();

    assertRefused(StoragePolicy.storability(noStore, TestResponse.ok().view(), RULE, NOW), Reason.REQUEST_NO_STORE);
  }

  @Test
  void theFirstReasonThatAppliesIsTheAnswer() {
    assertRefused(storability(TestResponse.status(500).header("Cache-Control", "no-store"), RULE), Reason.STATUS);
    assertRefused(storability(TestResponse.ok().header("Cache-Control", "no-store, private").setsCookie(), RULE),
        Reason.NO_STORE);
    assertRefused(storability(TestResponse.ok().header("Cache-Control", "private").setsCookie().usedSession(), RULE),
        Reason.PRIVATE);
    assertRefused(storability(TestResponse.ok().contentType("text/event-stream").incomplete(), RULE),
        Reason.EVENT_STREAM);
    assertRefused(storability(TestResponse.status(404).incomplete(), RULE), Reason.STATUS);
  }

  @ParameterizedTest(name = "status {0}")
  @ValueSource(ints = {200, 203, 300, 301, 308, 410})
  void theDefaultStatusesAreStored(int status) {
    assertStored(storability(TestResponse.status(status), RULE));
  }

  @ParameterizedTest(name = "status {0}")
  @ValueSource(ints = {201, 204, 302, 303, 307, 400, 401, 403, 404, 500, 503})
  void otherStatusesAreNotStoredByDefault(int status) {
    assertRefused(storability(TestResponse.status(status), RULE), Reason.STATUS);
  }

  @Test
  void aRulesStatusListReplacesTheDefault() {
    CacheRule rule = CacheRule.forPath("/*").statuses(Set.of(200, 404)).build();

    assertStored(storability(TestResponse.status(404), rule));
    assertStored(storability(TestResponse.status(200), rule));
    assertRefused(storability(TestResponse.status(301), rule), Reason.STATUS);
  }

  @Test
  void aVaryOnRealHeadersIsStored() {
    assertStored(storability(TestResponse.ok().header("Vary", "Accept-Encoding, Accept-Language"), RULE));
  }

  @Test
  void maxAgeZeroIsNotFresh() {
    assertRefused(storability(TestResponse.ok().header("Cache-Control", "max-age=0"), RULE), Reason.NOT_FRESH);
  }

  @Test
  void anInvalidExpiresIsNotFresh() {
    assertRefused(storability(TestResponse.ok().header("Expires", "0"), RULE), Reason.NOT_FRESH);
  }

  @ParameterizedTest(name = "Age {0} with max-age=60")
  @ValueSource(ints = {60, 61, 3600})
  void aResponseAsOldAsItsLifetimeIsNotFresh(int age) {
    TestResponse response = TestResponse.ok().header("Cache-Control", "max-age=60").header("Age", String.valueOf(age));

    assertRefused(storability(response, RULE), Reason.NOT_FRESH);
  }

  @Test
  void aResponseDatedAsLongAgoAsItsLifetimeIsNotFresh() {
    // Dated 60 s ago with max-age=60: it has just gone stale.
    TestResponse response = TestResponse.ok().header("Cache-Control", "max-age=60")
        .header("Date", HttpDates.format(NOW.minusSeconds(60)));

    assertRefused(storability(response, RULE), Reason.NOT_FRESH);
  }

  @Test
  void freshnessLeftIsLifetimeMinusTheAgeItArrivedWith() {
    // Received now, already 30 s old, max-age=100: fresh for another 70 s.
    TestResponse response = TestResponse.ok().header("Cache-Control", "max-age=100").header("Age", "30");

    Storability.Store store = assertStored(storability(response, RULE));

    assertThat(store.expiresAt()).isEqualTo(NOW.plusSeconds(70));
    assertThat(store.initialAge()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void apparentAgeFromDateCountsLikeAge() {
    // Dated 10 s ago, max-age=60: fresh for another 50 s.
    TestResponse response = TestResponse.ok().header("Cache-Control", "max-age=60")
        .header("Date", HttpDates.format(NOW.minusSeconds(10)));

    Storability.Store store = assertStored(storability(response, RULE));

    assertThat(store.expiresAt()).isEqualTo(NOW.plusSeconds(50));
    assertThat(store.initialAge()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void expiresAndDateGiveTheSameExpiryWhateverTheClockSkew() {
    // The origin's clock is 5 minutes behind ours: Date reads NOW-300, Expires NOW-300+60.
    TestResponse response = TestResponse.ok()
        .header("Date", HttpDates.format(NOW.minusSeconds(300)))
        .header("Expires", HttpDates.format(NOW.minusSeconds(240)));

    // Lifetime 60 s, apparent age 300 s: already stale.
    assertRefused(storability(response, RULE), Reason.NOT_FRESH);
  }

  @Test
  void withoutOriginFreshnessTheRulesTtlApplies() {
    CacheRule rule = CacheRule.forPath("/*").ttl(Duration.ofMinutes(5)).build();

    Storability.Store store = assertStored(storability(TestResponse.ok(), rule));

    assertThat(store.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    assertThat(store.initialAge()).isZero();
  }

  @Test
  void aForcedTtlIgnoresTheOriginsLifetimeAndAge() {
    CacheRule rule = CacheRule.forPath("/*").ttl(Duration.ofMinutes(5)).forceTtl(true).build();
    TestResponse response = TestResponse.ok().header("Cache-Control", "max-age=0").header("Age", "1000");

    Storability.Store store = assertStored(storability(response, rule));

    assertThat(store.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    assertThat(store.initialAge()).isZero();
  }

  @Test
  void aRuleWithoutTtlDoesNotStoreWhatTheOriginGivesNoLifetime() {
    CacheRule originOnly = CacheRule.forPath("/*").ttlFromOriginOnly().build();

    assertRefused(storability(TestResponse.ok().header("Cache-Control", "public"), originOnly), Reason.NO_LIFETIME);
    Storability.Store store = assertStored(storability(TestResponse.ok().header("Cache-Control", "max-age=90"),
        originOnly));
    assertThat(store.expiresAt()).isEqualTo(NOW.plusSeconds(90));
  }

  @ParameterizedTest(name = "Cache-Control: {0}")
  @ValueSource(strings = {"private, max-age=60", "no-store", "no-cache", "no-store, no-cache, private, max-age=0"})
  void surrogateControlNeverLiftsWhatCacheControlForbids(String cacheControl) {
    // A Surrogate-Control of any kind, even one that only announces ESI, leaves these refusals alone.
    for (String surrogate : new String[] {"max-age=60", "content=\"ESI/1.0\""}) {
      TestResponse response = TestResponse.ok().header("Cache-Control", cacheControl)
          .header("Surrogate-Control", surrogate);

      assertThat(storability(response, RULE).stores()).as(surrogate).isFalse();
    }
  }

  @Test
  void surrogateControlGivesTheLifetimeWhileCacheControlSpeaksToBrowsers() {
    // Browsers must revalidate at once; this cache may keep the page for 60 s.
    TestResponse response = TestResponse.ok()
        .header("Cache-Control", "max-age=0, must-revalidate")
        .header("Surrogate-Control", "max-age=60");

    Storability.Store store = assertStored(storability(response, RULE));

    assertThat(store.expiresAt()).isEqualTo(NOW.plusSeconds(60));
  }

  @Test
  void surrogateControlNoStoreIsRefusedWhateverCacheControlSays() {
    TestResponse response = TestResponse.ok()
        .header("Cache-Control", "public, max-age=600")
        .header("Surrogate-Control", "no-store");

    assertRefused(storability(response, RULE), Reason.NO_STORE);
  }

  @Test
  void aForcedTtlDoesNotLiftARefusal() {
    CacheRule rule = CacheRule.forPath("/*").forceTtl(true).build();

    assertRefused(storability(TestResponse.ok().header("Cache-Control", "no-store"), rule), Reason.NO_STORE);
  }
}
