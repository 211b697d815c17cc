package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.internal.http.EntityTag;
import dev.pagecache.internal.http.Headers;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.internal.store.CachedPage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a revalidation asks the origin, and what a 304 makes of the stored page (RFC 9111 §3.2, §4.3). */
class RevalidationTest {
  // Timeline: stored at STORED with max-age=60; revalidated at NOW, 10 minutes later.
  private static final Instant STORED = Instant.parse("2025-03-01T12:00:00Z");
  private static final Instant NOW = STORED.plusSeconds(600);
  private static final Instant LAST_MODIFIED = STORED.minusSeconds(3600);
  private static final CacheRule RULE = CacheRule.forPath("/*").build();
  private static final TestRequest GET = TestRequest.get("/a").build();

  private static CachedPage stored(TestResponse response) {
    Storability.Store store = (Storability.Store) StoragePolicy.storability(GET, response.view(), RULE, STORED);
    return Snapshots.create(response.view(), RULE, "<p>v1</p>".getBytes(StandardCharsets.UTF_8), store,
        Staleness.windows(response.view().headers(), RULE), STORED, STORED, false, null);
  }

  private static final CachedPage TAGGED = stored(TestResponse.ok().contentType("text/html")
      .header("Cache-Control", "max-age=60").header("ETag", "\"v1\"").header("X-Version", "1")
      .header("Link", "</a.css>; rel=preload").header("Link", "</b.js>; rel=preload"));

  @Test
  void aRevalidationAsksWithTheOriginsOwnValidators() {
    CachedPage both = stored(TestResponse.ok().header("Cache-Control", "max-age=60").header("ETag", "W/\"v1\"")
        .header("Last-Modified", HttpDates.format(LAST_MODIFIED)));

    assertThat(Revalidation.conditionals(both)).containsExactly(Map.entry("If-None-Match", "W/\"v1\""),
        Map.entry("If-Modified-Since", HttpDates.format(LAST_MODIFIED)));
  }

  @Test
  void theContentHashThisCacheMadeUpIsNeverSentToTheOrigin() {
    CachedPage hashed = stored(TestResponse.ok().header("Cache-Control", "max-age=60"));
    CachedPage dated = stored(TestResponse.ok().header("Cache-Control", "max-age=60")
        .header("Last-Modified", HttpDates.format(LAST_MODIFIED)));

    assertThat(hashed.etag()).isPresent();
    assertThat(Revalidation.conditionals(hashed)).isEmpty();
    assertThat(Revalidation.conditionals(dated)).containsExactly(
        Map.entry("If-Modified-Since", HttpDates.format(LAST_MODIFIED)));
  }

  @Test
  void aNotModifiedReplacesTheFieldsItCarriesAndKeepsTheRest() {
    Headers notModified = Headers.builder().add("ETag", "\"v1\"").add("X-Version", "2")
        .add("Cache-Control", "max-age=120").add("Content-Length", "0").add("Content-Type", "text/plain")
        .add("Content-Encoding", "gzip").build();

    Headers merged = Freshening.mergedFields(TAGGED, notModified);

    assertThat(merged.all("X-Version")).containsExactly("2");
    assertThat(merged.all("Cache-Control")).containsExactly("max-age=120");
    assertThat(merged.all("Link")).as("untouched, every value").hasSize(2);
    assertThat(merged.contains("Content-Length")).as("describes the 304, not the stored body").isFalse();
    assertThat(merged.contains("Content-Encoding")).isFalse();
    assertThat(merged.contains("Content-Type")).isFalse();
  }

  @Test
  void aFreshenedPageGetsANewDateAndLifetimeAndKeepsItsBody() {
    ResponseView notModified = TestResponse.status(304).header("Cache-Control", "max-age=120")
        .header("Date", HttpDates.format(NOW)).header("ETag", "\"v1\"").view();

    Freshening.Freshened freshened = Freshening.freshen(GET, TAGGED, notModified, RULE, NOW, NOW);

    CachedPage page = freshened.page();
    assertThat(freshened.decided()).isEqualTo(new Storability.Store(NOW.plusSeconds(120), Duration.ZERO));
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.date()).isEqualTo(NOW);
    assertThat(page.expiresAt()).isEqualTo(NOW.plusSeconds(120));
    assertThat(page.storedAt()).isEqualTo(NOW);
    assertThat(page.contentType()).contains("text/html");
    assertThat(page.body()).isEqualTo(TAGGED.body());
    assertThat(page.originEtag()).contains(new EntityTag("v1", false));
    assertThat(page.headers().all("X-Version")).containsExactly("1");
    assertThat(page.evictableAt()).as("retained again for the next revalidation")
        .isEqualTo(NOW.plusSeconds(120).plus(CacheRule.DEFAULT_REVALIDATION_RETENTION));
  }

  @Test
  void aPageWithAContentHashKeepsItAfterFreshening() {
    CachedPage dated = stored(TestResponse.ok().header("Cache-Control", "max-age=60")
        .header("Last-Modified", HttpDates.format(LAST_MODIFIED)));

    CachedPage page = Freshening.freshen(GET, dated, TestResponse.status(304).view(), RULE, NOW, NOW).page();

    assertThat(page.etag()).isEqualTo(dated.etag());
    assertThat(page.originEtag()).isEmpty();
    assertThat(page.lastModified()).contains(LAST_MODIFIED);
    assertThat(page.date()).as("the 304 had no Date: when it was sent").isEqualTo(NOW);
  }

  @Test
  void aFreshenedPageKeepsTheCompressedFormsOfItsBodyUnlessTheOriginNowSaysNoTransform() {
    byte[] text = "<p>a page long enough to be worth compressing</p>".repeat(40).getBytes(StandardCharsets.UTF_8);
    TestResponse response = TestResponse.ok().contentType("text/html").header("Cache-Control", "max-age=60")
        .header("ETag", "\"v1\"");
    Storability.Store store = (Storability.Store) StoragePolicy.storability(GET, response.view(), RULE, STORED);
    CachedPage plain = Snapshots.create(response.view(), RULE, text, store,
        Staleness.windows(response.view().headers(), RULE), STORED, STORED, false, null);
    CachedPage compressed = plain.withEncoded(java.util.Map.of(dev.pagecache.internal.http.ContentCoding.GZIP,
        new byte[] {31, -117, 8, 0}));

    CachedPage kept = Freshening.freshen(GET, compressed, TestResponse.status(304).header("ETag", "\"v1\"").view(),
        RULE, NOW, NOW).page();
    CachedPage dropped = Freshening.freshen(GET, compressed, TestResponse.status(304).header("ETag", "\"v1\"")
        .header("Cache-Control", "max-age=60, no-transform").view(), RULE, NOW, NOW).page();

    assertThat(kept.encoded(dev.pagecache.internal.http.ContentCoding.GZIP)).isPresent();
    assertThat(kept.encoded(dev.pagecache.internal.http.ContentCoding.GZIP).get().etagHeader()).isEqualTo("\"v1-gz\"");
    assertThat(dropped.encoded(dev.pagecache.internal.http.ContentCoding.GZIP)).isEmpty();
  }

  @Test
  void aNotModifiedThatNowForbidsStorageIsServedButNotStored() {
    ResponseView setsCookie = TestResponse.status(304).setsCookie().view();
    ResponseView noStore = TestResponse.status(304).header("Cache-Control", "no-store").view();

    assertThat(Freshening.freshen(GET, TAGGED, setsCookie, RULE, NOW, NOW).decided())
        .isEqualTo(new Storability.DontStore(Reason.SET_COOKIE));
    assertThat(Freshening.freshen(GET, TAGGED, noStore, RULE, NOW, NOW).decided())
        .isEqualTo(new Storability.DontStore(Reason.NO_STORE));
  }

  @Test
  void aNotModifiedAboutAnotherRepresentationDoesNotVouchForTheStoredOne() {
    CachedPage dated = stored(TestResponse.ok().header("Cache-Control", "max-age=60")
        .header("Last-Modified", HttpDates.format(LAST_MODIFIED)));

    assertThat(Freshening.vouchesFor(TAGGED, Headers.empty())).isTrue();
    assertThat(Freshening.vouchesFor(TAGGED, Headers.builder().add("ETag", "\"v1\"").build())).isTrue();
    assertThat(Freshening.vouchesFor(TAGGED, Headers.builder().add("ETag", "W/\"v1\"").build())).isTrue();
    assertThat(Freshening.vouchesFor(TAGGED, Headers.builder().add("ETag", "\"v2\"").build())).isFalse();
    assertThat(Freshening.vouchesFor(dated, Headers.builder().add("ETag", "\"v1\"").build()))
        .as("an ETag the stored page never had").isFalse();
    assertThat(Freshening.vouchesFor(dated,
        Headers.builder().add("Last-Modified", HttpDates.format(LAST_MODIFIED.plusSeconds(1))).build())).isFalse();
    assertThat(Freshening.vouchesFor(dated,
        Headers.builder().add("Last-Modified", HttpDates.format(LAST_MODIFIED)).build())).isTrue();
  }

  @Test
  void anExpiredPageWithTheOriginsValidatorIsRevalidatedByARequestThatMayStore() {
    Instant late = TAGGED.evictableAt().minusSeconds(1);

    assertThat(ReusePolicy.decide(GET, RULE, Optional.of(TAGGED), late))
        .isEqualTo(new Decision.Render(true, Optional.empty(), Optional.of(TAGGED)));
    assertThat(ReusePolicy.decide(TestRequest.head("/a").build(), RULE, Optional.of(TAGGED), late))
        .isEqualTo(new Decision.Render(false, Optional.empty(), Optional.empty()));
    CachedPage hashed = stored(TestResponse.ok().header("Cache-Control", "max-age=60"));
    assertThat(ReusePolicy.decide(GET, RULE, Optional.of(hashed), NOW))
        .isEqualTo(new Decision.Render(true, Optional.empty(), Optional.empty()));
  }

  @Test
  void aHeadAnswerWhoseValidatorsAndLengthAgreeFreshensAndOneThatDiffersInvalidates() {
    CachedPage dated = stored(TestResponse.ok().header("Cache-Control", "max-age=60")
        .header("Last-Modified", HttpDates.format(LAST_MODIFIED)));
    String length = String.valueOf(TAGGED.bodyLength());

    assertThat(Freshening.afterHead(TAGGED, Headers.builder().add("ETag", "\"v1\"").add("Content-Length", length)
        .build())).isEqualTo(Freshening.HeadOutcome.FRESHEN);
    assertThat(Freshening.afterHead(dated, Headers.builder()
        .add("Last-Modified", HttpDates.format(LAST_MODIFIED)).build())).isEqualTo(Freshening.HeadOutcome.FRESHEN);
    assertThat(Freshening.afterHead(TAGGED, Headers.builder().add("ETag", "\"v2\"").build()))
        .isEqualTo(Freshening.HeadOutcome.INVALIDATE);
    assertThat(Freshening.afterHead(TAGGED, Headers.builder().add("ETag", "W/\"v1\"").build()))
        .as("a weak tag is not the strong one").isEqualTo(Freshening.HeadOutcome.INVALIDATE);
    assertThat(Freshening.afterHead(TAGGED, Headers.builder().add("ETag", "\"v1\"").add("Content-Length", "1")
        .build())).isEqualTo(Freshening.HeadOutcome.INVALIDATE);
    assertThat(Freshening.afterHead(dated, Headers.builder()
        .add("Last-Modified", HttpDates.format(LAST_MODIFIED.plusSeconds(5))).build()))
        .isEqualTo(Freshening.HeadOutcome.INVALIDATE);
    assertThat(Freshening.afterHead(dated, Headers.builder().add("ETag", "\"v1\"").build()))
        .as("an ETag where the stored page had only a content hash").isEqualTo(Freshening.HeadOutcome.INVALIDATE);
    assertThat(Freshening.afterHead(TAGGED, Headers.builder().add("Content-Length", "nonsense").build()))
        .isEqualTo(Freshening.HeadOutcome.NOTHING);
  }

  @Test
  void aHeadAnswerFreshensTheStoredGetPageAsA304Would() {
    ResponseView head = TestResponse.ok().header("Cache-Control", "max-age=120").header("ETag", "\"v1\"")
        .header("Content-Length", String.valueOf(TAGGED.bodyLength())).view();

    Freshening.Freshened freshened = Freshening.freshen(TestRequest.head("/a").build(), TAGGED, head, RULE, NOW, NOW);

    assertThat(freshened.decided()).isEqualTo(new Storability.Store(NOW.plusSeconds(120), Duration.ZERO));
    assertThat(freshened.page().body()).isEqualTo(TAGGED.body());
  }
}
