package dev.pagecache.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a rule's {@code tags}: text with placeholders that take values from the request,
 * parsed once when the rules are read. {@code user:{cookie.user}} is the literal {@code user:}
 * followed by the value of the {@code user} cookie.
 *
 * <ul>
 *   <li>{@code {path.N}}: the N-th segment of the decoded path inside the application, from 1
 *       ({@code /wiki/Home}: {@code {path.1}} is {@code wiki}, {@code {path.2}} is {@code Home});
 *   <li>{@code {query.NAME}}: the first value of query parameter {@code NAME}, decoded;
 *   <li>{@code {cookie.NAME}}: the value of cookie {@code NAME}.
 * </ul>
 *
 * <p>There is no escape for braces: a tag never needs them. Which parameters and cookies a rule
 * may name is checked by {@link CacheRule.Builder#build()}, against the rule's key.
 */
public final class TagTemplate {
  /** The longest tag kept; longer ones are dropped (and a template whose text alone is longer is refused). */
  public static final int MAX_TAG_LENGTH = 256;
  /** The most tags one page keeps, from its rule and its response together; a rule may list no more. */
  public static final int MAX_TAGS_PER_PAGE = 64;

  /** A piece of a template: literal text or a placeholder. */
  public sealed interface Part permits Literal, PathSegment, QueryParameter, Cookie {}

  /**
   * Text copied into the tag as it is.
   *
   * @param text the text between placeholders, never empty
   */
  public record Literal(String text) implements Part {}

  /**
   * {@code {path.N}}: a segment of the decoded path inside the application.
   *
   * @param index N, from 1
   */
  public record PathSegment(int index) implements Part {}

  /**
   * {@code {query.NAME}}: the first value of a query parameter, decoded.
   *
   * @param name the parameter's name, as written
   */
  public record QueryParameter(String name) implements Part {}

  /**
   * {@code {cookie.NAME}}: the value of a request cookie.
   *
   * @param name the cookie's name, as written
   */
  public record Cookie(String name) implements Part {}

  private final String source;
  private final List<Part> parts;

  private TagTemplate(String source, List<Part> parts) {
    this.source = source;
    this.parts = List.copyOf(parts);
  }

  /**
   * Reads one entry of a rule's {@code tags}.
   *
   * @param source the template as written, e.g. {@code user:{cookie.user}}
   * @return the template, split into its parts
   * @throws IllegalArgumentException naming the template and the problem: an unknown placeholder,
   *     an unclosed <code>{</code>, a stray <code>}</code>, {@code {path.0}}, or text no tag may
   *     hold (spaces, control characters, more than {@value #MAX_TAG_LENGTH} characters)
   */
  public static TagTemplate parse(String source) {
    if (source.isEmpty()) {
      throw new IllegalArgumentException("tags: '' is empty: a tag needs text or a placeholder");
    }
    List<Part> parts = new ArrayList<>();
    int literalLength = 0;
    int at = 0;
    while (at < source.length()) {
      int open = source.indexOf('{', at);
      int end = open < 0 ? source.length() : open;
      if (end > at) {
        String text = source.substring(at, end);
        checkLiteral(source, text);
        literalLength += text.length();
        parts.add(new Literal(text));
      }
      if (open < 0) {
        break;
      }
      int close = source.indexOf('}', open);
      int nextOpen = source.indexOf('{', open + 1);
      if (close < 0 || nextOpen >= 0 && nextOpen < close) {
        throw problem(source, "'{' at " + (open + 1) + " is not closed by '}'");
      }
      parts.add(placeholder(source, source.substring(open + 1, close)));
      at = close + 1;
    }
    if (literalLength > MAX_TAG_LENGTH) {
      throw problem(source, "its text alone is longer than " + MAX_TAG_LENGTH + " characters, the most a tag may have");
    }
    return new TagTemplate(source, parts);
  }

  private static Part placeholder(String source, String inside) {
    int dot = inside.indexOf('.');
    String kind = dot < 0 ? inside : inside.substring(0, dot);
    String argument = dot < 0 ? "" : inside.substring(dot + 1);
    switch (kind) {
      case "path" -> {
        if (!argument.matches("[0-9]{1,4}")) {
          throw problem(source, "{" + inside + "} needs a segment number: {path.1} is the first segment");
        }
        int index = Integer.parseInt(argument);
        if (index == 0) {
          throw problem(source, "{path.0}: segments are counted from 1 ({path.1} is the first)");
        }
        return new PathSegment(index);
      }
      case "query" -> {
        if (argument.isEmpty()) {
          throw problem(source, "{query} needs a parameter name: {query.NAME}");
        }
        return new QueryParameter(argument);
      }
      case "cookie" -> {
        if (argument.isEmpty()) {
          throw problem(source, "{cookie} needs a cookie name: {cookie.NAME}");
        }
        return new Cookie(argument);
      }
      default -> throw problem(source, "unknown placeholder {" + inside
          + "}: use {path.N}, {query.NAME} or {cookie.NAME}");
    }
  }

  private static void checkLiteral(String source, String text) {
    int close = text.indexOf('}');
    if (close >= 0) {
      throw problem(source, "'}' without '{'");
    }
    for (int i = 0; i < text.length(); i++) {
      if (!isTagCharacter(text.charAt(i))) {
        throw problem(source, "a tag may not contain spaces or control characters");
      }
    }
  }

  /**
   * Whether a character may appear in a tag.
   *
   * @param c a character of a tag's text or of a value put into it
   * @return {@code true} for anything but spaces and control characters
   */
  public static boolean isTagCharacter(char c) {
    return !Character.isISOControl(c) && !Character.isWhitespace(c) && !Character.isSpaceChar(c);
  }

  private static IllegalArgumentException problem(String source, String problem) {
    return new IllegalArgumentException("tags: '" + source + "': " + problem);
  }

  /** {@return the template as written in the rules} */
  public String source() {
    return source;
  }

  /** {@return the literal text and placeholders, in order} */
  public List<Part> parts() {
    return parts;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TagTemplate that && that.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return source;
  }
}
