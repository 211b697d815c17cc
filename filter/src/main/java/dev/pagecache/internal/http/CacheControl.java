package dev.pagecache.internal.http;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The directives of one or more {@code Cache-Control} (or {@code Surrogate-Control}) field lines,
 * tokenised once (RFC 9111 §5.2). Absent values are {@link Optional#empty()}, never {@code -1};
 * an unparseable delta-seconds counts as absent, except that an invalid {@code max-age} makes the
 * response stale (RFC 9111 §4.2.1: a cache "SHOULD consider" it so), which we model as zero.
 */
public record CacheControl(
    boolean noStore,
    boolean noCache,
    boolean isPrivate,
    boolean isPublic,
    boolean mustRevalidate,
    boolean proxyRevalidate,
    Optional<Duration> maxAge,
    Optional<Duration> sMaxAge,
    Optional<Duration> staleWhileRevalidate,
    Optional<Duration> staleIfError) {

  private static final CacheControl NONE =
      new CacheControl(false, false, false, false, false, false,
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public static CacheControl none() {
    return NONE;
  }

  /** Parses every field line of the header; directive names are case-insensitive. */
  public static CacheControl parse(List<String> fieldLines) {
    if (fieldLines.isEmpty()) {
      return NONE;
    }
    boolean noStore = false;
    boolean noCache = false;
    boolean isPrivate = false;
    boolean isPublic = false;
    boolean mustRevalidate = false;
    boolean proxyRevalidate = false;
    Optional<Duration> maxAge = Optional.empty();
    Optional<Duration> sMaxAge = Optional.empty();
    Optional<Duration> staleWhileRevalidate = Optional.empty();
    Optional<Duration> staleIfError = Optional.empty();
    for (String line : fieldLines) {
      for (String directive : splitDirectives(line)) {
        int eq = directive.indexOf('=');
        String name = (eq < 0 ? directive : directive.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        String argument = eq < 0 ? null : unquote(directive.substring(eq + 1).trim());
        switch (name) {
          case "no-store" -> noStore = true;
          // A qualified no-cache="Set-Cookie" still forbids reuse without revalidation of those
          // fields; we cannot revalidate, so any form of no-cache means "do not store".
          case "no-cache" -> noCache = true;
          case "private" -> isPrivate = true;
          case "public" -> isPublic = true;
          case "must-revalidate" -> mustRevalidate = true;
          case "proxy-revalidate" -> proxyRevalidate = true;
          case "max-age" -> maxAge = maxAge.or(() -> Optional.of(seconds(argument).orElse(Duration.ZERO)));
          case "s-maxage" -> sMaxAge = sMaxAge.or(() -> Optional.of(seconds(argument).orElse(Duration.ZERO)));
          case "stale-while-revalidate" -> staleWhileRevalidate = staleWhileRevalidate.or(() -> seconds(argument));
          case "stale-if-error" -> staleIfError = staleIfError.or(() -> seconds(argument));
          default -> { } // RFC 9111 §5.2.3: unknown directives are ignored.
        }
      }
    }
    return new CacheControl(noStore, noCache, isPrivate, isPublic, mustRevalidate, proxyRevalidate,
        maxAge, sMaxAge, staleWhileRevalidate, staleIfError);
  }

  /** Splits on commas that are not inside a quoted string ({@code private="a, b"}). */
  private static List<String> splitDirectives(String line) {
    java.util.ArrayList<String> parts = new java.util.ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        addNonBlank(parts, line.substring(start, i));
        start = i + 1;
      }
    }
    addNonBlank(parts, line.substring(start));
    return parts;
  }

  private static void addNonBlank(List<String> parts, String part) {
    if (!part.isBlank()) {
      parts.add(part.trim());
    }
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  /**
   * RFC 9111 §1.2.2 delta-seconds: digits only; a value too large to hold is taken as 2^31
   * seconds, not rejected.
   */
  public static Optional<Duration> seconds(String argument) {
    if (argument == null || argument.isEmpty()) {
      return Optional.empty();
    }
    for (int i = 0; i < argument.length(); i++) {
      if (argument.charAt(i) < '0' || argument.charAt(i) > '9') {
        return Optional.empty();
      }
    }
    String significant = argument.replaceFirst("^0+(?=.)", "");
    if (significant.length() > 10) {
      return Optional.of(Duration.ofSeconds(Integer.MAX_VALUE));
    }
    return Optional.of(Duration.ofSeconds(Math.min(Long.parseLong(significant), Integer.MAX_VALUE)));
  }
}
