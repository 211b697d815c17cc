package dev.pagecache.internal.http;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP-date (RFC 9110 §5.6.7), with English day and month names whatever the default locale: formats IMF-fixdate, and parses all three forms a recipient must
 * accept: IMF-fixdate, the obsolete RFC 850 form and asctime.
 */
public final class HttpDates {
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
      .appendPattern("EEEE, dd-MMM-")
      .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDateTime.now(ZoneOffset.UTC).getYear() - 49)
      .appendPattern(" HH:mm:ss 'GMT'")
      .toFormatter(Locale.US)
      .withZone(ZoneOffset.UTC);

  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

  /**
   * IMF-fixdate with a one-digit day, as {@link DateTimeFormatter#RFC_1123_DATE_TIME} writes it
   * ({@code Tue, 1 Dec 2026 ...}): many Java origins send that for the first nine days of every
   * month, and an Expires read as invalid would mean "already expired" (RFC 9110 §5.6.7 asks
   * recipients to be lenient).
   */
  private static final DateTimeFormatter IMF_FIXDATE_SHORT_DAY =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  private static final List<DateTimeFormatter> PARSERS = List.of(IMF_FIXDATE, IMF_FIXDATE_SHORT_DAY, RFC_850, ASCTIME);

  private HttpDates() {}

  public static String format(Instant instant) {
    return IMF_FIXDATE.format(instant);
  }

  /** An unparseable date is absent (RFC 9111 §5.3: an invalid Expires means "already expired"). */
  public static Optional<Instant> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String trimmed = value.trim();
    for (DateTimeFormatter parser : PARSERS) {
      try {
        return Optional.of(ZonedDateTime.parse(trimmed, parser).toInstant());
      } catch (DateTimeException notThisForm) {
        // try the next form
      }
    }
    return Optional.empty();
  }
}
