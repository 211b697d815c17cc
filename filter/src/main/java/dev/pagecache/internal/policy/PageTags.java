package dev.pagecache.internal.policy;

import dev.pagecache.internal.http.HeaderNames;
import dev.pagecache.internal.http.Headers;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.TagTemplate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The tags a stored page carries, by which a purge finds every page that shows one thing (an
 * article, a user, a product) without knowing their URLs. They come from two places:
 *
 * <ol>
 *   <li>the rule's {@code tags}, filled in from the request ({@link TagTemplate});
 *   <li>the response: {@code Surrogate-Key} (space-separated, the Fastly and Varnish xkey
 *       convention; several fields add up) and {@code Cache-Tag} (comma-separated, the Cloudflare
 *       convention).
 * </ol>
 *
 * <p>Rule tags come first: the operator wrote them, and an application that names many keys must
 * not push them out of the {@value TagTemplate#MAX_TAGS_PER_PAGE} a page keeps. Request values are
 * hostile and response values unchecked, so every tag is bounded: one longer than
 * {@value TagTemplate#MAX_TAG_LENGTH} characters, or with a space or a control character, is
 * dropped, and so is every tag past the {@value TagTemplate#MAX_TAGS_PER_PAGE}th.
 */
public final class PageTags {
  public static final String SURROGATE_KEY = "Surrogate-Key";
  public static final String CACHE_TAG = "Cache-Tag";

  private static final Set<String> TAG_HEADERS = HeaderNames.setOf(SURROGATE_KEY, CACHE_TAG);

  private PageTags() {}

  /** The page's tags, each once, in the order first seen; at most {@value TagTemplate#MAX_TAGS_PER_PAGE}. */
  public static List<String> of(RequestView request, CacheRule rule, Headers responseHeaders) {
    Set<String> tags = new LinkedHashSet<>();
    for (TagTemplate template : rule.tags()) {
      Optional<String> tag = fill(template, request);
      if (tag.isPresent() && !add(tags, tag.get())) {
        return List.copyOf(tags);
      }
    }
    for (String field : responseHeaders.all(SURROGATE_KEY)) {
      if (!addSeparated(tags, field, ' ')) {
        return List.copyOf(tags);
      }
    }
    for (String field : responseHeaders.all(CACHE_TAG)) {
      if (!addSeparated(tags, field, ',')) {
        return List.copyOf(tags);
      }
    }
    return List.copyOf(tags);
  }

  /**
   * The fields tags come from, when the rule keeps them from the client (the default): they are
   * the application's word to this cache, and neither sent nor stored. Empty with
   * {@code keepTagHeaders = true}.
   */
  public static Set<String> withheldHeaders(CacheRule rule) {
    return rule.keepTagHeaders() ? Set.of() : TAG_HEADERS;
  }

  /**
   * The template with its placeholders filled in; empty when one of them has no value in this
   * request (a tag with an empty part would name something else, e.g. {@code user:} for every
   * visitor without the cookie).
   */
  static Optional<String> fill(TagTemplate template, RequestView request) {
    StringBuilder tag = new StringBuilder();
    for (TagTemplate.Part part : template.parts()) {
      Optional<String> value = valueOf(part, request);
      if (value.isEmpty() || value.get().isEmpty()) {
        return Optional.empty();
      }
      tag.append(value.get());
      if (tag.length() > TagTemplate.MAX_TAG_LENGTH) {
        return Optional.empty(); // dropped anyway: stop copying what a client sent
      }
    }
    return Optional.of(tag.toString());
  }

  private static Optional<String> valueOf(TagTemplate.Part part, RequestView request) {
    if (part instanceof TagTemplate.Literal literal) {
      return Optional.of(literal.text());
    }
    if (part instanceof TagTemplate.PathSegment segment) {
      return pathSegment(request.path(), segment.index());
    }
    if (part instanceof TagTemplate.QueryParameter parameter) {
      return request.query().flatMap(query -> CacheKeys.firstValue(query, parameter.name()));
    }
    if (part instanceof TagTemplate.Cookie cookie) {
      return request.cookie(cookie.name());
    }
    throw new IllegalStateException("unknown part " + part);
  }

  /** The {@code index}-th segment (from 1) of a decoded path; empty past the last or when empty ({@code //}). */
  static Optional<String> pathSegment(String path, int index) {
    int start = path.startsWith("/") ? 1 : 0;
    for (int i = 1; i < index; i++) {
      int slash = path.indexOf('/', start);
      if (slash < 0) {
        return Optional.empty();
      }
      start = slash + 1;
    }
    int end = path.indexOf('/', start);
    String segment = path.substring(Math.min(start, path.length()), end < 0 ? path.length() : end);
    return segment.isEmpty() ? Optional.empty() : Optional.of(segment);
  }

  /**
   * Adds each member of one field: members are separated by {@code separator}, or, for
   * {@code Surrogate-Key} ({@code separator} a space), by any run of spaces and tabs; spaces and
   * tabs around a member are not part of it.
   *
   * @return whether there is room for more
   */
  private static boolean addSeparated(Set<String> tags, String field, char separator) {
    boolean byWhitespace = separator == ' ';
    int start = 0;
    while (start < field.length()) {
      int end = start;
      while (end < field.length() && !(byWhitespace ? isBlank(field.charAt(end)) : field.charAt(end) == separator)) {
        end++;
      }
      int from = start;
      int to = end;
      while (from < to && isBlank(field.charAt(from))) {
        from++;
      }
      while (to > from && isBlank(field.charAt(to - 1))) {
        to--;
      }
      if (to > from && !add(tags, field.substring(from, to))) {
        return false;
      }
      start = end + 1;
    }
    return true;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  /**
   * Adds a tag that is within bounds; drops one that is not.
   *
   * @return whether there is room for more
   */
  private static boolean add(Set<String> tags, String tag) {
    if (isAcceptable(tag)) {
      tags.add(tag);
    }
    return tags.size() < TagTemplate.MAX_TAGS_PER_PAGE;
  }

  static boolean isAcceptable(String tag) {
    if (tag.isEmpty() || tag.length() > TagTemplate.MAX_TAG_LENGTH) {
      return false;
    }
    for (int i = 0; i < tag.length(); i++) {
      if (!TagTemplate.isTagCharacter(tag.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
