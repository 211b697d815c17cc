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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotsTest {
  // Timeline: the response went out with its Date at SENT_AT and was finished (received) at NOW.
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final Instant SENT_AT = NOW.minusSeconds(2);
  private static final Storability.Store STORE = new Storability.Store(NOW.plusSeconds(60), Duration.ofSeconds(5));
  private static final byte[] BODY = "<p>hello</p>".getBytes(StandardCharsets.UTF_8);
  private static final CacheRule RULE = CacheRule.forPath("/*").build();

  private static CachedPage snapshot(TestResponse response) {
    return Snapshots.create(response.view(), RULE, BODY.clone(), STORE, Staleness.Windows.NONE, NOW, SENT_AT, false, null);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Set-Cookie", "set-cookie", "Set-Cookie2", "Content-Length", "Content-Type", "Date", "Age",
      "Cache-Status", "Surrogate-Control", "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding",
      "TE", "Trailer", "Upgrade", "Proxy-Authenticate", "Proxy-Authorization"})
  void fieldsTheCacheOwnsOrThatBelongToOneUserOrConnectionAreNotStored(String name) {
    CachedPage page = snapshot(TestResponse.ok().header(name, "x").header("X-Kept", "1"));

    assertThat(page.headers().contains(name)).isFalse();
    assertThat(page.headers().first("X-Kept")).contains("1");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Surrogate-Key", "surrogate-key", "Cache-Tag", "CACHE-TAG"})
  void tagFieldsAreStoredOnlyWhenTheRuleKeepsThemForClients(String name) {
    TestResponse response = TestResponse.ok().header(name, "a b").header("X-Kept", "1");
    CachedPage withheld = snapshot(response);
    CachedPage kept = Snapshots.create(response.view(), CacheRule.forPath("/*").keepTagHeaders(true).build(),
        BODY.clone(), STORE, Staleness.Windows.NONE, NOW, SENT_AT, false, null);

    assertThat(withheld.headers().contains(name)).isFalse();
    assertThat(withheld.headers().first("X-Kept")).contains("1");
    assertThat(kept.headers().all(name)).containsExactly("a b");
  }

  @Test
  void fieldsNamedInConnectionAreNotStored() {
    CachedPage page = snapshot(TestResponse.ok()
        .header("Connection", "close, X-Hop")
        .header("connection", "x-other-hop")
        .header("x-hop", "1")
        .header("X-Other-Hop", "2")
        .header("X-End-To-End", "3"));

    assertThat(page.headers().contains("X-Hop")).isFalse();
    assertThat(page.headers().contains("X-Other-Hop")).isFalse();
    assertThat(page.headers().first("X-End-To-End")).contains("3");
  }

  @Test
  void endToEndFieldsAreStoredInOrderWithEveryValue() {
    CachedPage page = snapshot(TestResponse.ok()
        .header("Cache-Control", "public, max-age=60")
        .header("Link", "</a.css>; rel=preload")
        .header("Vary", "Accept-Encoding")
        .header("Link", "</b.js>; rel=preload")
        .header("ETag", "\"v1\""));

    assertThat(page.headers().fields()).extracting(Headers.Field::name)
        .containsExactly("Cache-Control", "Link", "Vary", "ETag");
    assertThat(page.headers().all("Link")).containsExactly("</a.css>; rel=preload", "</b.js>; rel=preload");
    assertThat(page.cacheControl().maxAge()).contains(Duration.ofSeconds(60));
  }

  @Test
  void aPageWithoutAnOriginEntityTagGetsAStrongOneComputedFromItsBody() {
    CachedPage page = snapshot(TestResponse.ok());

    EntityTag etag = page.etag().orElseThrow();
    assertThat(etag.weak()).isFalse();
    assertThat(etag.tag()).matches("[A-Za-z0-9_-]{22}");
    assertThat(page.headers().first("ETag")).contains(etag.headerValue());
    assertThat(page.etagHeader()).isEqualTo(etag.headerValue());
  }

  @Test
  void theComputedEntityTagDependsOnTheBodyAlone() {
    CachedPage first = snapshot(TestResponse.ok().header("X-Request", "1"));
    CachedPage same = snapshot(TestResponse.ok().header("X-Request", "2"));
    CachedPage other = Snapshots.create(TestResponse.ok().view(), RULE, "<p>bye</p>".getBytes(StandardCharsets.UTF_8), STORE, Staleness.Windows.NONE, NOW, SENT_AT, false, null);

    assertThat(same.etag()).isEqualTo(first.etag());
    assertThat(other.etag()).isNotEqualTo(first.etag());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"v1\"", "W/\"v1\""})
  void theOriginsEntityTagIsKept(String etag) {
    CachedPage page = snapshot(TestResponse.ok().header("etag", etag));

    assertThat(page.etag()).isEqualTo(EntityTag.parse(etag));
    assertThat(page.headers().all("ETag")).containsExactly(etag);
  }

  @Test
  void aMalformedOriginEntityTagIsReplacedByAComputedOne() {
    CachedPage page = snapshot(TestResponse.ok().header("ETag", "v1"));

    assertThat(page.etag()).hasValueSatisfying(etag -> assertThat(etag.tag()).isNotEqualTo("v1"));
    assertThat(page.headers().all("ETag")).containsExactly(page.etagHeader());
  }

  @Test
  void aReplayedErrorGetsNoComputedEntityTag() {
    CachedPage page = Snapshots.create(TestResponse.status(410).view(), RULE, BODY.clone(), STORE, Staleness.Windows.NONE, NOW, SENT_AT, true, "Gone away");

    assertThat(page.isErrorReplay()).isTrue();
    assertThat(page.errorMessage()).contains("Gone away");
    assertThat(page.etag()).isEmpty();
    assertThat(page.etagHeader()).isNull();
    assertThat(page.headers().contains("ETag")).isFalse();
  }

  @Test
  void aReplayedErrorKeepsTheOriginsEntityTag() {
    CachedPage page = Snapshots.create(TestResponse.status(410).header("ETag", "\"gone\"").view(), RULE, BODY.clone(), STORE, Staleness.Windows.NONE, NOW, SENT_AT, true, null);

    assertThat(page.etag()).contains(EntityTag.strong("gone"));
  }

  @Test
  void theSnapshotCarriesStatusBodyTypeTimesAndValidators() {
    Instant date = NOW.minusSeconds(5);
    Instant lastModified = NOW.minusSeconds(86_400);
    TestResponse response = TestResponse.status(203)
        .contentType("text/html;charset=UTF-8")
        .header("Date", HttpDates.format(date))
        .header("Last-Modified", HttpDates.format(lastModified));

    CachedPage page = snapshot(response);

    assertThat(page.status()).isEqualTo(203);
    assertThat(page.contentType()).contains("text/html;charset=UTF-8");
    assertThat(page.body()).isEqualTo(java.nio.ByteBuffer.wrap(BODY));
    assertThat(page.date()).isEqualTo(date);
    assertThat(page.dateHeader()).isEqualTo(HttpDates.format(date));
    assertThat(page.lastModified()).contains(lastModified);
    assertThat(page.storedAt()).isEqualTo(NOW);
    assertThat(page.expiresAt()).isEqualTo(NOW.plusSeconds(60));
    assertThat(page.initialAge()).isEqualTo(Duration.ofSeconds(5));
    assertThat(page.isErrorReplay()).isFalse();
  }

  @Test
  void withoutADateTheSnapshotIsDatedWhenItWasSent() {
    CachedPage page = snapshot(TestResponse.ok().contentType(null).header("Last-Modified", "garbage"));

    assertThat(page.date()).isEqualTo(SENT_AT);
    assertThat(page.storedAt()).isEqualTo(NOW);
    assertThat(page.lastModified()).isEmpty();
    assertThat(page.contentType()).isEmpty();
  }

  @Test
  void varyHeadersAreLowerCasedInOrderWithoutRepeats() {
    Headers headers = Headers.builder()
        .add("Vary", "Accept-Encoding, User-Agent")
        .add("vary", "accept-encoding ,Accept-Language")
        .build();

    assertThat(Snapshots.varyHeaders(headers)).containsExactly("accept-encoding", "user-agent", "accept-language");
  }

  @Test
  void noVaryMeansNoVaryHeaders() {
    assertThat(Snapshots.varyHeaders(Headers.empty())).isEmpty();
    assertThat(Snapshots.varyHeaders(Headers.builder().add("Vary", " ").build())).isEmpty();
  }

  @Test
  void contentHashIsStableAndUrlSafe() {
    String hash = Snapshots.contentHash(BODY);

    assertThat(Snapshots.contentHash(BODY.clone())).isEqualTo(hash);
    assertThat(hash).hasSize(22).doesNotContain("+", "/", "=");
    assertThat(Snapshots.contentHash(new byte[0])).isNotEqualTo(hash);
    assertThat(List.of(Snapshots.contentHash(new byte[] {1}), Snapshots.contentHash(new byte[] {2})))
        .doesNotHaveDuplicates();
  }
}
