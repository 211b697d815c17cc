package dev.pagecache.rules;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The media types whose pages the cache compresses. Each pattern is a type ({@code application/json}),
 * a whole top-level type ({@code text/*}) or a structured-syntax suffix ({@code +json}, RFC 6839),
 * matched without parameters and case. The empty list compresses nothing.
 */
public final class CompressibleTypes {
  /** Text, JSON, JavaScript, SVG and XML: the types that shrink, and that browsers ask for compressed. */
  public static final List<String> DEFAULT_PATTERNS = List.of(
      "text/*", "application/json", "+json", "application/javascript", "application/ecmascript",
      "application/x-javascript", "image/svg+xml", "application/xml", "+xml", "application/manifest+json",
      "application/wasm");
  private static final CompressibleTypes DEFAULT = new CompressibleTypes(DEFAULT_PATTERNS);

  private final List<String> patterns;

  private CompressibleTypes(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  /** {@return the {@link #DEFAULT_PATTERNS}, which a rule uses unless it lists its own} */
  public static CompressibleTypes defaults() {
    return DEFAULT;
  }

  /**
   * The types matching any of {@code patterns}.
   *
   * @param patterns types, {@code type/*} or {@code +suffix}, in any case; empty compresses nothing
   * @return the types the patterns match; the patterns are kept trimmed and lower-cased
   * @throws IllegalArgumentException for a pattern that is none of the three forms
   */
  public static CompressibleTypes of(List<String> patterns) {
    List<String> normal = new java.util.ArrayList<>(patterns.size());
    for (String pattern : patterns) {
      String trimmed = pattern.trim().toLowerCase(Locale.ROOT);
      boolean suffix = trimmed.startsWith("+") && trimmed.length() > 1 && trimmed.indexOf('/') < 0;
      int slash = trimmed.indexOf('/');
      boolean type = slash > 0 && slash < trimmed.length() - 1 && trimmed.indexOf('/', slash + 1) < 0
          && trimmed.indexOf(';') < 0 && trimmed.indexOf(' ') < 0
          && trimmed.lastIndexOf('*', slash) < 0
          && (!trimmed.contains("*") || trimmed.endsWith("/*") && slash == trimmed.length() - 2);
      if (!suffix && !type) {
        throw new IllegalArgumentException("'" + pattern + "' is not a media type, type/* or +suffix");
      }
      normal.add(trimmed);
    }
    return new CompressibleTypes(normal);
  }

  /** {@return the patterns, trimmed and lower-case, in the order given} */
  public List<String> patterns() {
    return patterns;
  }

  /**
   * Whether a page of this {@code Content-Type} is compressed.
   *
   * @param contentType the response's {@code Content-Type}, parameters allowed
   * @return {@code true} if a pattern matches; {@code false} for a page without one
   */
  public boolean matches(Optional<String> contentType) {
    if (contentType.isEmpty() || patterns.isEmpty()) {
      return false;
    }
    String value = contentType.get();
    int semicolon = value.indexOf(';');
    String type = (semicolon < 0 ? value : value.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    int slash = type.indexOf('/');
    if (slash <= 0) {
      return false;
    }
    for (String pattern : patterns) {
      boolean matched = pattern.startsWith("+") ? type.endsWith(pattern)
          : pattern.endsWith("/*") ? type.regionMatches(0, pattern, 0, pattern.length() - 1)
          : type.equals(pattern);
      if (matched) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CompressibleTypes types && patterns.equals(types.patterns);
  }

  @Override
  public int hashCode() {
    return patterns.hashCode();
  }

  @Override
  public String toString() {
    return patterns.toString();
  }
}
