package dev.pagecache.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpDatesTest {
  /** The example instant of RFC 9110 §5.6.7. */
  private static final Instant EXAMPLE = Instant.parse("1994-11-06T08:49:37Z");

  @Test
  void formatsImfFixdate() {
    assertThat(HttpDates.format(EXAMPLE)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
  }

  @Test
  void formatDropsFractionsOfASecondAndPadsTheDay() {
    assertThat(HttpDates.format(Instant.parse("2025-03-01T07:05:09.999Z")))
        .isEqualTo("Sat, 01 Mar 2025 07:05:09 GMT");
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {
      "Sun, 06 Nov 1994 08:49:37 GMT",   // IMF-fixdate
      "Sun Nov  6 08:49:37 1994",        // asctime, day padded with a space
      "  Sun, 06 Nov 1994 08:49:37 GMT  "})
  void parsesImfFixdateAndAsctime(String header) {
    assertThat(HttpDates.parse(header)).contains(EXAMPLE);
  }

  @Test
  void parsesAsctimeWithATwoDigitDay() {
    assertThat(HttpDates.parse("Wed Nov 16 08:49:37 1994")).contains(Instant.parse("1994-11-16T08:49:37Z"));
  }

  @Test
  void parsesTheOneDigitDayThatJavasRfc1123FormatterWrites() {
    Instant first = Instant.parse("2026-12-01T00:10:25Z");
    String written = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.withZone(java.time.ZoneOffset.UTC)
        .format(first);

    assertThat(written).isEqualTo("Tue, 1 Dec 2026 00:10:25 GMT");
    assertThat(HttpDates.parse(written)).contains(first);
  }

  @Test
  void parsesTheObsoleteRfc850Form() {
    assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT")).contains(EXAMPLE);
  }

  @ParameterizedTest(name = "[{0}]")
  @NullAndEmptySource
  @ValueSource(strings = {"0", "-1", "yesterday", "Sun, 06 Nov 1994", "Sun, 32 Nov 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 25:49:37 GMT", "1994-11-06T08:49:37Z", "Sun, 06 Nov 1994 08:49:37 GMT garbage"})
  void anythingElseIsAbsent(String header) {
    assertThat(HttpDates.parse(header)).isEmpty();
  }

  @Test
  void parseReadsWhatFormatWrites() {
    Instant instant = Instant.parse("2031-12-31T23:59:59Z");

    assertThat(HttpDates.parse(HttpDates.format(instant))).contains(instant);
  }

  @Test
  void formatIsTheSameUnderAnyDefaultLocale() {
    Locale previous = Locale.getDefault();
    try {
      for (String tag : new String[] {"tr-TR", "de-DE", "ar-EG", "ja-JP"}) {
        Locale.setDefault(Locale.forLanguageTag(tag));
        assertThat(HttpDates.format(EXAMPLE)).as(tag).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT")).as(tag).contains(EXAMPLE);
      }
    } finally {
      Locale.setDefault(previous);
    }
  }
}
