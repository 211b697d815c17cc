package dev.pagecache.internal.servlet;

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
  /** Enough for every content type (and locale) a site serves; a site with more just stops learning. */
  private static final int MAX_TYPES = 256;

  /** How the container treats a writer for one media type. */
  record Choice(String charset, boolean addedToContentType) {}

  private final Map<String, Choice> learned = new ConcurrentHashMap<>();

  /**
   * Notes what the container did for a writer obtained with no charset set by the application.
   *
   * @param locale the locale the application set, or null if it set none
   * @param contentTypeBefore the content type before the writer was obtained, or null
   * @param charset the charset the container's writer uses
   * @param contentTypeAfter the content type after
   */
  void learn(String contentTypeBefore, Locale locale, String charset, String contentTypeAfter) {
    if (charset == null) {
      return;
    }
    boolean added = contentTypeAfter != null && hasCharset(contentTypeAfter);
    Choice choice = new Choice(charset, added);
    String key = key(contentTypeBefore, locale);
    if (learned.size() < MAX_TYPES || learned.containsKey(key)) {
      learned.put(key, choice);
    }
  }

  /**
   * The container's choice for a writer of {@code contentType} (null: none set) after
   * {@code setLocale(locale)} (null: not called), which in Tomcat may choose the charset; a guess
   * before it is learned.
   */
  Choice choiceFor(String contentType, Locale locale) {
    Choice choice = learned.get(key(contentType, locale));
    return choice != null ? choice : new Choice(StandardCharsets.ISO_8859_1.name(), contentType != null);
  }

  private static String key(String contentType, Locale locale) {
    String type = contentType == null ? "" : mediaType(contentType);
    return locale == null ? type : type + "|" + locale.toLanguageTag();
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
