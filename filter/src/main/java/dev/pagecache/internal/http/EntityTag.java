package dev.pagecache.internal.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An entity tag (RFC 9110 §8.8.3): an opaque quoted string, weak when prefixed with {@code W/}.
 *
 * @param tag the opaque value without quotes
 * @param weak whether the tag was sent as {@code W/"..."}
 */
public record EntityTag(String tag, boolean weak) {

  public static EntityTag strong(String tag) {
    return new EntityTag(tag, false);
  }

  /** Parses one entity tag; a value that is not a quoted string is not an entity tag. */
  public static Optional<EntityTag> parse(String value) {
    String trimmed = value.trim();
    boolean weak = trimmed.startsWith("W/");
    String quoted = weak ? trimmed.substring(2) : trimmed;
    if (quoted.length() < 2 || quoted.charAt(0) != '"' || quoted.charAt(quoted.length() - 1) != '"') {
      return Optional.empty();
    }
    String tag = quoted.substring(1, quoted.length() - 1);
    return tag.indexOf('"') >= 0 ? Optional.empty() : Optional.of(new EntityTag(tag, weak));
  }

  /**
   * Parses an {@code If-None-Match} / {@code If-Match} list. Malformed members are skipped; the
   * wildcard is reported by {@link #isWildcard(List)} instead.
   */
  public static List<EntityTag> parseList(List<String> fieldLines) {
    List<EntityTag> tags = new ArrayList<>();
    for (String line : fieldLines) {
      int i = 0;
      while (i < line.length()) {
        int open = line.indexOf('"', i);
        if (open < 0) {
          break;
        }
        int close = line.indexOf('"', open + 1);
        if (close < 0) {
          break;
        }
        boolean weak = open >= 2 && line.startsWith("W/", open - 2);
        tags.add(new EntityTag(line.substring(open + 1, close), weak));
        i = close + 1;
      }
    }
    return tags;
  }

  public static boolean isWildcard(List<String> fieldLines) {
    return fieldLines.size() == 1 && fieldLines.get(0).trim().equals("*");
  }

  /** Weak comparison (RFC 9110 §8.8.3.2): opaque tags equal, weakness ignored. */
  public boolean weaklyMatches(EntityTag other) {
    return tag.equals(other.tag);
  }

  /** Strong comparison: both strong and opaque tags equal. */
  public boolean stronglyMatches(EntityTag other) {
    return !weak && !other.weak && tag.equals(other.tag);
  }

  /** The header form: {@code "abc"} or {@code W/"abc"}. */
  public String headerValue() {
    return (weak ? "W/\"" : "\"") + tag + '"';
  }

  @Override
  public String toString() {
    return headerValue();
  }
}
