package dev.pagecache.internal.http;

import java.util.List;
import java.util.Optional;

/**
 * The one byte range a {@code Range} field asks for (RFC 9110 §14.1.2): {@code first-last},
 * open-ended {@code first-}, or the suffix {@code -length}. A field that asks for anything else
 * (another unit, several ranges, a malformed set) is read as no range at all, which RFC 9110
 * §14.2 allows: the whole representation is then the answer.
 *
 * <p>The field comes from the client as it is: it is read without regular expressions, only up to
 * {@link #MAX_FIELD_LENGTH} characters, and numbers too large for a {@code long} are taken as
 * {@link Long#MAX_VALUE} (a last position past the end is clamped to it anyway).
 */
public sealed interface ByteRange {
  /** Longer fields are not read: no single range needs them, and thousands of ranges are refused unread. */
  int MAX_FIELD_LENGTH = 1024;

  /**
   * {@code first-last}; open-ended when {@code last} is {@link Long#MAX_VALUE}.
   *
   * @param first the first byte position
   * @param last the last byte position, inclusive, at least {@code first}
   */
  record FromTo(long first, long last) implements ByteRange {
    @Override
    public Optional<Slice> within(long completeLength) {
      if (first >= completeLength) {
        return Optional.empty();
      }
      return Optional.of(new Slice(first, Math.min(last, completeLength - 1)));
    }
  }

  /** {@code -length}: the last {@code length} bytes, or all of them when there are fewer. */
  record Suffix(long length) implements ByteRange {
    @Override
    public Optional<Slice> within(long completeLength) {
      if (length == 0 || completeLength == 0) {
        return Optional.empty();
      }
      return Optional.of(new Slice(Math.max(0, completeLength - length), completeLength - 1));
    }
  }

  /**
   * Bytes {@code first} to {@code last} inclusive, both inside the representation.
   */
  record Slice(long first, long last) {
    public long length() {
      return last - first + 1;
    }
  }

  /** The bytes of a representation of {@code completeLength} bytes this range selects; empty when none (§14.1.1: unsatisfiable). */
  Optional<Slice> within(long completeLength);

  /**
   * Reads the {@code Range} field lines of a request: the range, or empty when there is none to
   * honour (absent, repeated, not {@code bytes}, several ranges, malformed).
   */
  static Optional<ByteRange> parse(List<String> fieldLines) {
    if (fieldLines.size() != 1) {
      return Optional.empty(); // Range is a single field, not a list: repeated lines make it invalid
    }
    String value = fieldLines.get(0);
    if (value == null || value.length() > MAX_FIELD_LENGTH) {
      return Optional.empty();
    }
    int start = skipWhitespace(value, 0);
    int end = trimWhitespace(value, start, value.length());
    String unit = "bytes=";
    if (end - start <= unit.length() || !value.regionMatches(true, start, unit, 0, unit.length())) {
      return Optional.empty();
    }
    // range-set = 1#range-spec: empty list elements are allowed and ignored (RFC 9110 §5.6.1).
    ByteRange only = null;
    int element = start + unit.length();
    while (element <= end) {
      int comma = value.indexOf(',', element);
      int elementEnd = comma < 0 || comma > end ? end : comma;
      int from = skipWhitespace(value, element);
      int to = trimWhitespace(value, from, elementEnd);
      if (from < to) {
        if (only != null) {
          return Optional.empty(); // several ranges: the whole representation answers them
        }
        only = rangeSpec(value, from, to);
        if (only == null) {
          return Optional.empty();
        }
      }
      element = elementEnd + 1;
    }
    return Optional.ofNullable(only);
  }

  private static ByteRange rangeSpec(String value, int from, int to) {
    int dash = value.indexOf('-', from);
    if (dash < 0 || dash >= to) {
      return null;
    }
    if (dash == from) {
      long suffix = digits(value, dash + 1, to);
      return suffix < 0 ? null : new Suffix(suffix);
    }
    long first = digits(value, from, dash);
    if (first < 0) {
      return null;
    }
    if (dash + 1 == to) {
      return new FromTo(first, Long.MAX_VALUE);
    }
    long last = digits(value, dash + 1, to);
    if (last < 0 || last < first) {
      return null; // §14.1.1: a last position before the first makes the range-spec invalid
    }
    return new FromTo(first, last);
  }

  /** 1*DIGIT from {@code from} to {@code to}, saturated at {@link Long#MAX_VALUE}; -1 when not digits. */
  private static long digits(String value, int from, int to) {
    if (from >= to) {
      return -1;
    }
    long number = 0;
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      int digit = c - '0';
      number = number > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : number * 10 + digit;
    }
    return number;
  }

  private static int skipWhitespace(String value, int from) {
    int i = from;
    while (i < value.length() && isWhitespace(value.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int trimWhitespace(String value, int from, int to) {
    int i = to;
    while (i > from && isWhitespace(value.charAt(i - 1))) {
      i--;
    }
    return i;
  }

  /** OWS (RFC 9110 §5.6.3): spaces and horizontal tabs. */
  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }
}
