package dev.pagecache.rules;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a path's file extension promises about its content: the media types a server sends for
 * it. A response to {@code /profile/x.css} that comes back as {@code text/html} is not a style
 * sheet but the application's answer for {@code /profile} (web cache deception): a rule that
 * caches {@code *.css} must not store it, or the next visitor reads the first one's profile.
 */
public final class ExtensionTypes {
  private static final ExtensionTypes BUILT_IN = new ExtensionTypes(Map.ofEntries(
      Map.entry("css", Set.of("text/css")),
      Map.entry("js", Set.of("text/javascript", "application/javascript", "application/x-javascript",
          "application/ecmascript", "text/ecmascript")),
      Map.entry("mjs", Set.of("text/javascript", "application/javascript")),
      Map.entry("json", Set.of("application/json", "+json")),
      Map.entry("map", Set.of("application/json")),
      Map.entry("xml", Set.of("application/xml", "text/xml", "+xml")),
      Map.entry("rss", Set.of("application/rss+xml", "application/xml", "text/xml")),
      Map.entry("atom", Set.of("application/atom+xml", "application/xml", "text/xml")),
      Map.entry("txt", Set.of("text/plain")),
      Map.entry("csv", Set.of("text/csv", "text/plain")),
      Map.entry("html", Set.of("text/html")),
      Map.entry("htm", Set.of("text/html")),
      Map.entry("svg", Set.of("image/svg+xml")),
      Map.entry("png", Set.of("image/png")),
      Map.entry("jpg", Set.of("image/jpeg")),
      Map.entry("jpeg", Set.of("image/jpeg")),
      Map.entry("gif", Set.of("image/gif")),
      Map.entry("webp", Set.of("image/webp")),
      Map.entry("avif", Set.of("image/avif")),
      Map.entry("ico", Set.of("image/x-icon", "image/vnd.microsoft.icon")),
      Map.entry("woff", Set.of("font/woff", "application/font-woff")),
      Map.entry("woff2", Set.of("font/woff2")),
      Map.entry("ttf", Set.of("font/ttf", "application/x-font-ttf")),
      Map.entry("otf", Set.of("font/otf")),
      Map.entry("pdf", Set.of("application/pdf")),
      Map.entry("zip", Set.of("application/zip")),
      Map.entry("wasm", Set.of("application/wasm")),
      Map.entry("mp4", Set.of("video/mp4")),
      Map.entry("webm", Set.of("video/webm")),
      Map.entry("mp3", Set.of("audio/mpeg"))));

  private final Map<String, Set<String>> types;

  private ExtensionTypes(Map<String, Set<String>> types) {
    this.types = Map.copyOf(types);
  }

  /** {@return the built-in table: common web extensions ({@code css}, {@code js}, {@code json}, images, fonts...)} */
  public static ExtensionTypes builtIn() {
    return BUILT_IN;
  }

  /**
   * This table with {@code additions}: each extension named there is served as the listed media
   * types (replacing the built-in ones for it).
   *
   * @param additions extension (letters and digits, no dot) to media types; a type may be a suffix
   *     such as {@code +json}
   * @return a new table; this one if there are no additions
   * @throws IllegalArgumentException for a malformed extension or media type, or an empty list of types
   */
  public ExtensionTypes with(Map<String, List<String>> additions) {
    if (additions.isEmpty()) {
      return this;
    }
    Map<String, Set<String>> merged = new HashMap<>(types);
    additions.forEach((extension, mediaTypes) -> {
      String name = extension.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
        throw new IllegalArgumentException("'" + extension + "' is not a file extension (letters and digits, no dot)");
      }
      if (mediaTypes.isEmpty()) {
        throw new IllegalArgumentException(name + ": list at least one media type, e.g. [text/css]");
      }
      Set<String> lower = new HashSet<>();
      for (String type : mediaTypes) {
        String trimmed = type.trim().toLowerCase(Locale.ROOT);
        if (!(trimmed.startsWith("+") ? trimmed.length() > 1 : trimmed.matches("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+"))) {
          throw new IllegalArgumentException(name + ": '" + type + "' is not a media type such as text/css or a suffix such as +json");
        }
        lower.add(trimmed);
      }
      merged.put(name, Set.copyOf(lower));
    });
    return new ExtensionTypes(merged);
  }

  /**
   * Whether a response fits the extension of the path it answers.
   *
   * @param path the request path; path parameters ({@code ;jsessionid=...}) do not count
   * @param contentType the response's {@code Content-Type}, parameters allowed
   * @return {@code true} when the type is one of the extension's, or the path's last segment has no
   *     extension this table knows; {@code false} when a known extension has no {@code Content-Type}
   */
  public boolean fits(String path, Optional<String> contentType) {
    Optional<String> extension = extension(path);
    if (extension.isEmpty()) {
      return true;
    }
    Set<String> expected = types.get(extension.get());
    if (expected == null) {
      return true;
    }
    if (contentType.isEmpty()) {
      return false;
    }
    String mediaType = mediaType(contentType.get());
    if (expected.contains(mediaType)) {
      return true;
    }
    for (String type : expected) {
      if (type.startsWith("+") && mediaType.endsWith(type)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The lower-case extension of the last path segment, e.g. {@code css} for
   * {@code /a/b.min.css}; path parameters ({@code ;jsessionid=...}) do not count.
   */
  static Optional<String> extension(String path) {
    int segment = path.lastIndexOf('/') + 1;
    int end = path.indexOf(';', segment);
    String last = path.substring(segment, end < 0 ? path.length() : end);
    int dot = last.lastIndexOf('.');
    if (dot < 0 || dot == last.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(last.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  /** {@return the extensions this table knows, lower-case, without the dot} */
  public Set<String> extensions() {
    return types.keySet();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ExtensionTypes that && types.equals(that.types);
  }

  @Override
  public int hashCode() {
    return types.hashCode();
  }
}
