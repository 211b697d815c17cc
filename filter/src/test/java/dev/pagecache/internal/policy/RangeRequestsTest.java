package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.internal.http.EntityTag;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.internal.store.CachedPage;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RangeRequestsTest {
  // Timeline: last modified an hour before the response's Date.
  private static final Instant DATE = Instant.parse("2025-03-01T12:00:00Z");
  private static final Instant LAST_MODIFIED = DATE.minusSeconds(3600);
  private static final EntityTag ETAG = EntityTag.strong("v1");
  private static final RangeRequests.Representation PAGE =
      new RangeRequests.Representation(1000, Optional.of(ETAG), Optional.of(LAST_MODIFIED), DATE);

  private static RangeAnswer answer(TestRequest request) {
    return RangeRequests.answer(request, PAGE);
  }

  private static TestRequest.Builder range(String range) {
    return TestRequest.get("/a").header("Range", range);
  }

  @Test
  void aRequestWithoutRangeGetsTheWholePage() {
    assertThat(answer(TestRequest.get("/a").build())).isEqualTo(RangeAnswer.WHOLE);
    assertThat(answer(TestRequest.get("/a").header("If-Range", "\"v1\"").build())).isEqualTo(RangeAnswer.WHOLE);
  }

  @Test
  void oneRangeGetsThatSlice() {
    assertThat(answer(range("bytes=0-99").build())).isEqualTo(new RangeAnswer.Partial(0, 99, 1000));
    assertThat(answer(range("bytes=900-").build())).isEqualTo(new RangeAnswer.Partial(900, 999, 1000));
    assertThat(answer(range("bytes=-100").build())).isEqualTo(new RangeAnswer.Partial(900, 999, 1000));
    assertThat(answer(range("bytes=990-5000").build())).isEqualTo(new RangeAnswer.Partial(990, 999, 1000));
  }

  @Test
  void aRangePastTheEndIsUnsatisfiable() {
    assertThat(answer(range("bytes=1000-").build())).isEqualTo(new RangeAnswer.Unsatisfiable(1000));
    assertThat(answer(range("bytes=-0").build())).isEqualTo(new RangeAnswer.Unsatisfiable(1000));
  }

  @Test
  void severalOrMalformedRangesGetTheWholePage() {
    assertThat(answer(range("bytes=0-1,5-6").build())).isEqualTo(RangeAnswer.WHOLE);
    assertThat(answer(range("bytes=5-1").build())).isEqualTo(RangeAnswer.WHOLE);
    assertThat(answer(range("lines=1-2").build())).isEqualTo(RangeAnswer.WHOLE);
  }

  @Test
  void onlyGetIsRanged() {
    assertThat(RangeRequests.answer(TestRequest.head("/a").header("Range", "bytes=0-1").build(), PAGE))
        .isEqualTo(RangeAnswer.WHOLE);
    assertThat(RangeRequests.answer(TestRequest.request("POST", "/a").header("Range", "bytes=0-1").build(), PAGE))
        .isEqualTo(RangeAnswer.WHOLE);
  }

  @Test
  void anEmptyRepresentationIsSentWhole() {
    RangeRequests.Representation empty = new RangeRequests.Representation(0, Optional.of(ETAG), Optional.empty(), DATE);
    assertThat(RangeRequests.answer(range("bytes=0-").build(), empty)).isEqualTo(RangeAnswer.WHOLE);
    assertThat(RangeRequests.answer(range("bytes=-5").build(), empty)).isEqualTo(RangeAnswer.WHOLE);
  }

  @Test
  void ifRangeWithTheCurrentStrongTagGetsTheSlice() {
    assertThat(answer(range("bytes=0-9").header("If-Range", "\"v1\"").build()))
        .isEqualTo(new RangeAnswer.Partial(0, 9, 1000));
    assertThat(answer(range("bytes=0-9").header("If-Range", "  \"v1\" ").build()))
        .isEqualTo(new RangeAnswer.Partial(0, 9, 1000));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"v2\"", "W/\"v1\"", "\"V1\"", "v1", "\"v1", "\"v1\", \"v2\"", "*", "", "W/", "\"\""})
  void ifRangeWithAnyOtherTagGetsTheWholePage(String ifRange) {
    assertThat(answer(range("bytes=0-9").header("If-Range", ifRange).build())).isEqualTo(RangeAnswer.WHOLE);
  }

  @Test
  void ifRangeNeverMatchesAWeakCurrentTag() {
    RangeRequests.Representation weak = new RangeRequests.Representation(1000,
        Optional.of(new EntityTag("v1", true)), Optional.empty(), DATE);
    assertThat(RangeRequests.answer(range("bytes=0-9").header("If-Range", "W/\"v1\"").build(), weak))
        .isEqualTo(RangeAnswer.WHOLE);
    assertThat(RangeRequests.answer(range("bytes=0-9").header("If-Range", "\"v1\"").build(), weak))
        .isEqualTo(RangeAnswer.WHOLE);
  }

  @Test
  void ifRangeWithATagAndNoCurrentTagGetsTheWholePage() {
    RangeRequests.Representation untagged =
        new RangeRequests.Representation(1000, Optional.empty(), Optional.of(LAST_MODIFIED), DATE);
    assertThat(RangeRequests.answer(range("bytes=0-9").header("If-Range", "\"v1\"").build(), untagged))
        .isEqualTo(RangeAnswer.WHOLE);
  }

  @Test
  void ifRangeWithTheExactLastModifiedGetsTheSlice() {
    assertThat(answer(range("bytes=0-9").header("If-Range", HttpDates.format(LAST_MODIFIED)).build()))
        .isEqualTo(new RangeAnswer.Partial(0, 9, 1000));
  }

  @Test
  void ifRangeWithAnyOtherDateGetsTheWholePage() {
    // Unlike If-Modified-Since, If-Range asks for equality: later is no better than earlier.
    for (Instant other : new Instant[] {LAST_MODIFIED.plusSeconds(1), LAST_MODIFIED.minusSeconds(1), DATE}) {
      assertThat(answer(range("bytes=0-9").header("If-Range", HttpDates.format(other)).build()))
          .as("If-Range %s", other).isEqualTo(RangeAnswer.WHOLE);
    }
    assertThat(answer(range("bytes=0-9").header("If-Range", "yesterday").build())).isEqualTo(RangeAnswer.WHOLE);
  }

  @Test
  void ifRangeDateNeedsAStrongLastModified() {
    // §8.8.2.2: modified within the second of its Date, it may have changed again in that second.
    RangeRequests.Representation sameSecond = new RangeRequests.Representation(1000, Optional.of(ETAG),
        Optional.of(DATE), DATE);
    RangeRequests.Representation oneSecondBefore = new RangeRequests.Representation(1000, Optional.of(ETAG),
        Optional.of(DATE.minusSeconds(1)), DATE);
    assertThat(RangeRequests.answer(range("bytes=0-9").header("If-Range", HttpDates.format(DATE)).build(), sameSecond))
        .isEqualTo(RangeAnswer.WHOLE);
    assertThat(RangeRequests.answer(
        range("bytes=0-9").header("If-Range", HttpDates.format(DATE.minusSeconds(1))).build(), oneSecondBefore))
        .isEqualTo(new RangeAnswer.Partial(0, 9, 1000));
  }

  @Test
  void ifRangeDateWithoutLastModifiedGetsTheWholePage() {
    RangeRequests.Representation undated = new RangeRequests.Representation(1000, Optional.of(ETAG), Optional.empty(), DATE);
    assertThat(RangeRequests.answer(range("bytes=0-9").header("If-Range", HttpDates.format(DATE)).build(), undated))
        .isEqualTo(RangeAnswer.WHOLE);
  }

  @Test
  void aFailedIfRangeSendsTheWholePageEvenForAnUnsatisfiableRange() {
    assertThat(answer(range("bytes=5000-").header("If-Range", "\"v2\"").build())).isEqualTo(RangeAnswer.WHOLE);
  }

  @Test
  void repeatedOrHugeIfRangeFieldsNeverHold() {
    assertThat(answer(range("bytes=0-9").header("If-Range", "\"v1\"").header("If-Range", "\"v1\"").build()))
        .isEqualTo(RangeAnswer.WHOLE);
    String huge = "\"" + "v".repeat(100_000) + "\"";
    assertThat(answer(range("bytes=0-9").header("If-Range", huge).build())).isEqualTo(RangeAnswer.WHOLE);
  }

  @Test
  void contentRangeFieldsAreWrittenAsRfc9110Says() {
    assertThat(new RangeAnswer.Partial(0, 499, 1234).contentRange()).isEqualTo("bytes 0-499/1234");
    assertThat(new RangeAnswer.Partial(0, 499, 1234).length()).isEqualTo(500);
    assertThat(new RangeAnswer.Unsatisfiable(1234).contentRange()).isEqualTo("bytes */1234");
  }

  @Test
  void storedPagesAreRangedOnlyWhenTheyAreOrdinary200s() {
    CachedPage.Builder page = CachedPage.builder().date(DATE).storedAt(DATE).expiresAt(DATE.plusSeconds(60))
        .etag(ETAG).lastModified(LAST_MODIFIED).body(new byte[42]);
    assertThat(RangeRequests.of(page.build()))
        .contains(new RangeRequests.Representation(42, Optional.of(ETAG), Optional.of(LAST_MODIFIED), DATE));
    assertThat(RangeRequests.of(page.status(404).build())).isEmpty();
    assertThat(RangeRequests.of(page.status(200).errorReplay(null).build())).isEmpty();
  }
}
