package dev.pagecache.servlet;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which charset this container gives a writer for a content type that names none, and whether it
 * then adds it to {@code Content-Type}, as learned from real responses. Containers differ: Jetty
 * assumes UTF-8 for {@code application/json} and leaves the header alone, Tomcat writes
 * ISO-8859-1 and says so, and a context may set its own default. A render no client sees (a
 * refresh) must encode exactly as a real response would, or the copy it stores is not the page
 * that a miss would have stored.
 */
public final class ContainerCharsets {
  /** Enough for every content type a site serves; a site with more just stops learning. */
  private static final int MAX_TYPES = 256;

  /** How the container treats a writer for one media type. */
  record Choice(String charset, boolean addedToContentType) {}

  private final Map<String, Choice> learned = new ConcurrentHashMap<>();
  private volatile Choice withoutContentType;

  /**
   * Notes what the container did for a writer obtained with no charset set by the application.
   *
   * @param contentTypeBefore the content type before the writer was obtained, or null
   * @param charset the charset the container's writer uses
   * @param contentTypeAfter the content type after
   */
  void learn(String contentTypeBefore, String charset, String contentTypeAfter) {
    if (charset == null) {
      return;
    }
    boolean added = contentTypeAfter != null && hasCharset(contentTypeAfter);
    Choice choice = new Choice(charset, added);
    if (contentTypeBefore == null) {
      withoutContentType = choice;
    } else if (learned.size() < MAX_TYPES || learned.containsKey(mediaType(contentTypeBefore))) {
      learned.put(mediaType(contentTypeBefore), choice);
    }
  }

  /** The container's choice for a writer of {@code contentType} (null: none set); a guess before it is learned. */
  Choice choiceFor(String contentType) {
    Choice choice = contentType == null ? withoutContentType : learned.get(mediaType(contentType));
    return choice != null ? choice : new Choice(StandardCharsets.ISO_8859_1.name(), contentType != null);
  }

  static boolean hasCharset(String contentType) {
    return contentType.toLowerCase(Locale.ROOT).contains("charset=");
  }

  /** {@code text/html} of {@code Text/HTML; q=1}. */
  static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }
}
