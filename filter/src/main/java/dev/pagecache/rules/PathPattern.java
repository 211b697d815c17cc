package dev.pagecache.rules;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A path pattern in servlet-mapping syntax, matched against the path inside the web application
 * (servlet path plus path info, decoded by the container):
 * <ul>
 *   <li>{@code ^...} a regular expression, matched against the whole path;</li>
 *   <li>{@code /videos/*} a prefix: {@code /videos} and everything under it ({@code /*} is every path);</li>
 *   <li>{@code *.html} a suffix;</li>
 *   <li>anything else starting with {@code /} is exact ({@code /} is the root page only).</li>
 * </ul>
 */
public sealed interface PathPattern {

  /**
   * Whether this pattern matches a request.
   *
   * @param path the path inside the application, decoded, without the query
   * @return {@code true} if the rule with this pattern applies to the path
   */
  boolean matches(String path);

  /**
   * Whether every path this pattern's rule could see is also matched by {@code this}: a later
   * rule so covered can never match. Regular expressions cover only an identical expression.
   *
   * @param other the pattern of a later rule
   * @return {@code true} if {@code other} can match no path this pattern does not
   */
  boolean covers(PathPattern other);

  /** {@return the pattern as written} */
  String source();

  /**
   * The pattern a rule's {@code path} names.
   *
   * @param source {@code /exact}, {@code /prefix/*}, {@code *.suffix} or {@code ^regex}
   * @return the pattern
   * @throws IllegalArgumentException for an empty or malformed pattern, naming what is wrong with it
   */
  static PathPattern parse(String source) {
    if (source == null || source.isEmpty()) {
      throw new IllegalArgumentException("path pattern is empty");
    }
    if (source.startsWith("^")) {
      try {
        return new Regex(source, Pattern.compile(source));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("path pattern '" + source + "' is not a valid regular expression: "
            + e.getDescription());
      }
    }
    if (source.startsWith("*.")) {
      if (source.indexOf('/') >= 0 || source.indexOf('*', 1) >= 0) {
        throw new IllegalArgumentException("suffix pattern '" + source + "' may not contain '/' or a second '*'");
      }
      return new Suffix(source.substring(1));
    }
    if (!source.startsWith("/")) {
      throw new IllegalArgumentException("path pattern '" + source
          + "' must start with '/' (exact or /prefix/*), '*.' (suffix) or '^' (regex)");
    }
    if (source.endsWith("/*")) {
      String prefix = source.substring(0, source.length() - 2);
      if (prefix.indexOf('*') >= 0) {
        throw new IllegalArgumentException("prefix pattern '" + source + "' may contain '*' only at its end");
      }
      return new Prefix(prefix);
    }
    if (source.indexOf('*') >= 0) {
      throw new IllegalArgumentException("path pattern '" + source
          + "': '*' is allowed only as '/prefix/*' or '*.suffix'; use '^regex' for more");
    }
    return new Exact(source);
  }

  /** One path only. */
  record Exact(String path) implements PathPattern {
    @Override
    public boolean matches(String candidate) {
      return path.equals(candidate);
    }

    @Override
    public boolean covers(PathPattern other) {
      return other instanceof Exact exact && exact.path.equals(path);
    }

    @Override
    public String source() {
      return path;
    }
  }

  /** {@code prefix} itself and every path below it; the empty prefix ({@code /*}) is every path. */
  record Prefix(String prefix) implements PathPattern {
    @Override
    public boolean matches(String candidate) {
      return prefix.isEmpty()
          || candidate.startsWith(prefix)
              && (candidate.length() == prefix.length() || candidate.charAt(prefix.length()) == '/');
    }

    @Override
    public boolean covers(PathPattern other) {
      if (prefix.isEmpty()) {
        return true;
      }
      if (other instanceof Exact exact) {
        return matches(exact.path);
      }
      return other instanceof Prefix inner && !inner.prefix.isEmpty() && matches(inner.prefix);
    }

    @Override
    public String source() {
      return prefix + "/*";
    }
  }

  /** Every path ending with {@code suffix} (which starts with a dot). */
  record Suffix(String suffix) implements PathPattern {
    @Override
    public boolean matches(String candidate) {
      return candidate.endsWith(suffix);
    }

    @Override
    public boolean covers(PathPattern other) {
      if (other instanceof Exact exact) {
        return matches(exact.path);
      }
      return other instanceof Suffix inner && inner.suffix.endsWith(suffix);
    }

    @Override
    public String source() {
      return "*" + suffix;
    }
  }

  /** A regular expression that must match the whole path. */
  record Regex(String source, Pattern pattern) implements PathPattern {
    @Override
    public boolean matches(String candidate) {
      return pattern.matcher(candidate).matches();
    }

    @Override
    public boolean covers(PathPattern other) {
      return other instanceof Regex regex && regex.source.equals(source)
          || other instanceof Exact exact && matches(exact.path);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Regex regex && regex.source.equals(source);
    }

    @Override
    public int hashCode() {
      return source.hashCode();
    }
  }
}
