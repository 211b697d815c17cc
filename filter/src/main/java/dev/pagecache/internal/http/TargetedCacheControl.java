package dev.pagecache.internal.http;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A targeted cache-control field ({@code CDN-Cache-Control}, {@code Pagecache-Control}; RFC 9213):
 * the {@code Cache-Control} directives written as a Structured Fields Dictionary (RFC 8941 §3.2).
 * A field that is not a valid Dictionary counts as absent (RFC 9213 §2.1), so a typo never makes a
 * page storable; a directive whose value has the wrong type is ignored on its own
 * ({@code max-age="60"}, {@code max-age=-1}, {@code max-age=1.5}).
 */
public final class TargetedCacheControl {
  /** Longer values are not parsed at all: no origin needs 4 KiB of cache directives. */
  static final int MAX_LENGTH = 4096;

  private TargetedCacheControl() {}

  /** The directives of every line of the field; empty when absent, empty or not a valid Dictionary. */
  public static Optional<CacheControl> parse(List<String> fieldLines) {
    if (fieldLines.isEmpty()) {
      return Optional.empty();
    }
    String combined = String.join(",", fieldLines);
    if (combined.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    return new Parser(combined).dictionary();
  }

  /** RFC 8941 §4.2.2, keeping only what the directives need; any syntax error ends it empty. */
  private static final class Parser {
    private final String text;
    private int at;
    private boolean noStore;
    private boolean noCache;
    private boolean isPrivate;
    private boolean isPublic;
    private boolean mustRevalidate;
    private boolean proxyRevalidate;
    private Optional<Duration> maxAge = Optional.empty();
    private Optional<Duration> sMaxAge = Optional.empty();
    private Optional<Duration> staleWhileRevalidate = Optional.empty();
    private Optional<Duration> staleIfError = Optional.empty();

    Parser(String text) {
      this.text = text;
    }

    Optional<CacheControl> dictionary() {
      skip(" ");
      if (at == text.length()) {
        return Optional.empty();
      }
      java.util.Map<String, Object> members = new java.util.LinkedHashMap<>();
      while (true) {
        String key = key();
        if (key == null) {
          return Optional.empty();
        }
        Object value;
        if (peek() == '=') {
          at++;
          value = peek() == '(' ? innerList() : bareItem();
        } else {
          value = Boolean.TRUE;
        }
        if (value == null || !parameters()) {
          return Optional.empty();
        }
        members.put(key, value); // RFC 8941: a later duplicate key overwrites the earlier one
        skip(" \t");
        if (at == text.length()) {
          break;
        }
        if (text.charAt(at) != ',') {
          return Optional.empty();
        }
        at++;
        skip(" \t");
        if (at == text.length()) {
          return Optional.empty(); // a trailing comma
        }
      }
      members.forEach(this::directive);
      return Optional.of(new CacheControl(noStore, noCache, isPrivate, isPublic, mustRevalidate, proxyRevalidate,
          maxAge, sMaxAge, staleWhileRevalidate, staleIfError));
    }

    /** RFC 9213 §2.1: the directives of Cache-Control, booleans as {@code true}, delta-seconds as non-negative Integers. */
    private void directive(String name, Object value) {
      switch (name) {
        // no-cache and private may carry a list of field names (a String or an Inner List): still set.
        case "no-store" -> noStore = Boolean.TRUE.equals(value);
        case "no-cache" -> noCache = !Boolean.FALSE.equals(value) && !(value instanceof Long);
        case "private" -> isPrivate = !Boolean.FALSE.equals(value) && !(value instanceof Long);
        case "public" -> isPublic = Boolean.TRUE.equals(value);
        case "must-revalidate" -> mustRevalidate = Boolean.TRUE.equals(value);
        case "proxy-revalidate" -> proxyRevalidate = Boolean.TRUE.equals(value);
        case "max-age" -> maxAge = seconds(value);
        case "s-maxage" -> sMaxAge = seconds(value);
        case "stale-while-revalidate" -> staleWhileRevalidate = seconds(value);
        case "stale-if-error" -> staleIfError = seconds(value);
        default -> { } // unknown directives are ignored, as in Cache-Control
      }
    }

    private static Optional<Duration> seconds(Object value) {
      return value instanceof Long number && number >= 0
          ? Optional.of(Duration.ofSeconds(Math.min(number, Integer.MAX_VALUE)))
          : Optional.empty();
    }

    private String key() {
      int start = at;
      if (at == text.length() || !(isLcAlpha(text.charAt(at)) || text.charAt(at) == '*')) {
        return null;
      }
      at++;
      while (at < text.length()) {
        char c = text.charAt(at);
        if (!(isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*')) {
          break;
        }
        at++;
      }
      return text.substring(start, at);
    }

    private boolean parameters() {
      while (peek() == ';') {
        at++;
        skip(" ");
        if (key() == null) {
          return false;
        }
        if (peek() == '=') {
          at++;
          if (bareItem() == null) {
            return false;
          }
        }
      }
      return true;
    }

    /** An Inner List is taken as a whole: only its presence matters to a directive. */
    private Object innerList() {
      at++; // (
      while (true) {
        skip(" ");
        if (peek() == ')') {
          at++;
          return List.of();
        }
        if (bareItem() == null || !parameters()) {
          return null;
        }
        char next = peek();
        if (next != ' ' && next != ')') {
          return null;
        }
      }
    }

    /** A Long for an Integer, Boolean, String for a String or a Token, or a marker for the rest; null when invalid. */
    private Object bareItem() {
      char c = peek();
      if (c == '-' || isDigit(c)) {
        return number();
      }
      if (c == '"') {
        return string();
      }
      if (c == '*' || isAlpha(c)) {
        int start = at++;
        while (at < text.length() && isTokenChar(text.charAt(at))) {
          at++;
        }
        return text.substring(start, at);
      }
      if (c == '?') {
        at++;
        char bit = peek();
        if (bit == '0' || bit == '1') {
          at++;
          return bit == '1';
        }
        return null;
      }
      if (c == ':') {
        int end = text.indexOf(':', at + 1);
        if (end < 0) {
          return null;
        }
        for (int i = at + 1; i < end; i++) {
          char b = text.charAt(i);
          if (!(isAlpha(b) || isDigit(b) || b == '+' || b == '/' || b == '=')) {
            return null;
          }
        }
        at = end + 1;
        return new Object();
      }
      return null;
    }

    private Object number() {
      int start = at;
      if (peek() == '-') {
        at++;
      }
      int digitsStart = at;
      while (at < text.length() && isDigit(text.charAt(at))) {
        at++;
      }
      int integerDigits = at - digitsStart;
      if (integerDigits == 0) {
        return null;
      }
      if (peek() == '.') {
        if (integerDigits > 12) {
          return null;
        }
        at++;
        int fractionStart = at;
        while (at < text.length() && isDigit(text.charAt(at))) {
          at++;
        }
        int fractionDigits = at - fractionStart;
        return fractionDigits >= 1 && fractionDigits <= 3 ? (Object) Double.valueOf(text.substring(start, at)) : null;
      }
      return integerDigits <= 15 ? Long.parseLong(text.substring(start, at)) : null;
    }

    private Object string() {
      StringBuilder value = new StringBuilder();
      at++; // opening quote
      while (at < text.length()) {
        char c = text.charAt(at++);
        if (c == '\\') {
          if (at == text.length() || (text.charAt(at) != '"' && text.charAt(at) != '\\')) {
            return null;
          }
          value.append(text.charAt(at++));
        } else if (c == '"') {
          return value.toString();
        } else if (c < 0x20 || c > 0x7e) {
          return null;
        } else {
          value.append(c);
        }
      }
      return null;
    }

    private char peek() {
      return at < text.length() ? text.charAt(at) : '\0';
    }

    private void skip(String whitespace) {
      while (at < text.length() && whitespace.indexOf(text.charAt(at)) >= 0) {
        at++;
      }
    }

    private static boolean isLcAlpha(char c) {
      return c >= 'a' && c <= 'z';
    }

    private static boolean isAlpha(char c) {
      return isLcAlpha(c) || c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    /** RFC 9110 tchar, plus ':' and '/' (RFC 8941 §3.3.4). */
    private static boolean isTokenChar(char c) {
      return isAlpha(c) || isDigit(c) || "!#$%&'*+-.^_`|~:/".indexOf(c) >= 0;
    }
  }
}
