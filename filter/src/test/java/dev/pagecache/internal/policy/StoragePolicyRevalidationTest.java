package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.internal.http.Headers;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.rules.CacheRule;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Responses stored only to be revalidated: no-cache, lifetime 0, must-revalidate (RFC 9111 §4.2.4, §5.2.2). */
class StoragePolicyRevalidationTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final CacheRule RULE = CacheRule.forPath("/*").build();
  private static final CacheRule NO_RETENTION = CacheRule.forPath("/*").revalidationRetention(Duration.ZERO).build();
  private static final TestRequest GET = TestRequest.get("/a").build();
  private static final String LAST_MODIFIED = HttpDates.format(NOW.minusSeconds(3600));

  private static Storability storability(TestResponse response, CacheRule rule) {
    return StoragePolicy.storability(GET, response.view(), rule, NOW);
  }

  @Test
  void noCacheWithAnEtagIsStoredStaleFromTheStart() {
    Storability decided = storability(TestResponse.ok().header("Cache-Control", "no-cache, max-age=600")
        .header("ETag", "\"v1\""), RULE);

    assertThat(decided).isEqualTo(new Storability.Store(NOW, Duration.ZERO));
  }

  @Test
  void surrogateNoCacheWithLastModifiedIsStoredStaleFromTheStart() {
    Storability decided = storability(TestResponse.ok().header("Surrogate-Control", "no-cache, max-age=600")
        .header("Last-Modified", LAST_MODIFIED), RULE);

    assertThat(decided).isEqualTo(new Storability.Store(NOW, Duration.ZERO));
  }

  @Test
  void noCacheWithoutAValidatorIsStillRefused() {
    assertThat(storability(TestResponse.ok().header("Cache-Control", "no-cache, max-age=600"), RULE))
        .isEqualTo(new Storability.DontStore(Reason.NO_CACHE));
    assertThat(storability(TestResponse.ok().header("Cache-Control", "no-cache").header("ETag", "not quoted"), RULE))
        .as("an ETag that does not parse is no validator").isEqualTo(new Storability.DontStore(Reason.NO_CACHE));
  }

  @Test
  void aRuleWithoutRetentionRefusesNoCacheAsBefore() {
    assertThat(storability(TestResponse.ok().header("Cache-Control", "no-cache").header("ETag", "\"v1\""),
        NO_RETENTION)).isEqualTo(new Storability.DontStore(Reason.NO_CACHE));
  }

  @Test
  void lifetimeZeroWithAValidatorIsStoredToBeRevalidated() {
    assertThat(storability(TestResponse.ok().header("Cache-Control", "max-age=0").header("ETag", "\"v1\""), RULE))
        .isEqualTo(new Storability.Store(NOW, Duration.ZERO));
    assertThat(storability(TestResponse.ok().header("Cache-Control", "max-age=0"), RULE))
        .isEqualTo(new Storability.DontStore(Reason.NOT_FRESH));
    assertThat(storability(TestResponse.ok().header("Cache-Control", "max-age=0").header("ETag", "\"v1\""),
        NO_RETENTION)).isEqualTo(new Storability.DontStore(Reason.NOT_FRESH));
  }

  @Test
  void mustRevalidateAndNoCacheLeaveNoStaleWindows() {
    CacheRule generous = CacheRule.forPath("/*").staleWhileRevalidate(Duration.ofSeconds(30))
        .staleIfError(Duration.ofSeconds(300)).build();
    for (String cacheControl : new String[] {"max-age=60, must-revalidate", "max-age=60, proxy-revalidate",
        "no-cache, max-age=60", "max-age=60, stale-while-revalidate=30, no-cache"}) {
      Headers headers = Headers.builder().add("Cache-Control", cacheControl).build();
      assertThat(Staleness.windows(headers, generous)).as(cacheControl).isEqualTo(Staleness.Windows.NONE);
    }
    Headers plain = Headers.builder().add("Cache-Control", "max-age=60").build();
    assertThat(Staleness.windows(plain, generous))
        .isEqualTo(new Staleness.Windows(Duration.ofSeconds(30), Duration.ofSeconds(300)));
  }

  @Test
  void aPageWithTheOriginsValidatorIsRetainedPastItsStaleWindowsAndOneWithoutIsNot() {
    Storability.Store store = new Storability.Store(NOW.plusSeconds(60), Duration.ZERO);
    var withEtag = Snapshots.create(TestResponse.ok().header("ETag", "\"v1\"").view(), RULE, new byte[] {1}, store,
        Staleness.Windows.NONE, NOW, NOW, false, null);
    var withoutValidator = Snapshots.create(TestResponse.ok().view(), RULE, new byte[] {1}, store,
        Staleness.Windows.NONE, NOW, NOW, false, null);

    assertThat(withEtag.evictableAt()).isEqualTo(NOW.plusSeconds(60).plus(CacheRule.DEFAULT_REVALIDATION_RETENTION));
    assertThat(withEtag.originEtag()).isPresent();
    assertThat(withEtag.revalidatable()).isTrue();
    assertThat(withoutValidator.evictableAt()).isEqualTo(NOW.plusSeconds(60));
    assertThat(withoutValidator.etag()).as("the content hash").isPresent();
    assertThat(withoutValidator.originEtag()).as("is not the origin's").isEmpty();
    assertThat(withoutValidator.revalidatable()).isFalse();
  }
}
