package dev.pagecache.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wiki's pages, in memory, and its small markup: a blank line starts a paragraph, a line
 * {@code = Title =} is a heading, {@code [[Name]]} links to another page. Thread-safe.
 */
final class Wiki {
  /** Page names: letters, digits, '-' and '_', up to 64, starting with a letter or digit. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Pattern LINK = Pattern.compile("\\[\\[([A-Za-z0-9][A-Za-z0-9_-]{0,63})]]");
  /** The longest text a page may hold, in characters. */
  static final int MAX_TEXT = 100_000;

  /** One version of a page. */
  record Revision(String text, int number, Instant editedAt) {}

  private final Map<String, Revision> pages = new ConcurrentHashMap<>();

  Wiki() {
    Instant start = Instant.now();
    seed("Home", """
        = Welcome =
        This wiki is cached: a page view is kept for ten minutes, so the second view of a page \
        comes from memory instead of the slow renderer.

        Yet an edit shows at once. Saving a page POSTs the text to the page's own URL; pagecache \
        sees the successful POST and purges that URL before the "303 See Other" reaches your \
        browser, so the view it loads next is fresh.

        Read about [[Caching]] and [[CacheStatus]], or try an edit in the [[Sandbox]].
        """, start);
    seed("Caching", """
        = How the demo caches =
        Rules in WEB-INF/pagecache.conf say what is cached and for how long. The first rule \
        whose path matches a request decides; requests that match no rule pass straight through.

        Per-user pages are keyed by the cookie that names the user, so one user's page is never \
        shown to another. Back to [[Home]].
        """, start);
    seed("CacheStatus", """
        = The Cache-Status header =
        Every response says what the cache did, as RFC 9211 describes: "pagecache; hit", \
        "pagecache; fwd=uri-miss; stored", or "pagecache; fwd=bypass; detail=no-rule". \
        Run curl -i twice on any page to see a miss, then a hit. Back to [[Home]].
        """, start);
    seed("Sandbox", "Edit me. Your change is visible on the next view, although views are cached.", start);
  }

  private void seed(String name, String text, Instant at) {
    pages.put(name, new Revision(text.strip(), 1, at));
  }

  static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  Optional<Revision> page(String name) {
    return Optional.ofNullable(pages.get(name));
  }

  /** Stores a new revision of {@code name}; the text is stored with its line breaks normalised. */
  Revision edit(String name, String text) {
    String normalised = text.replace("\r\n", "\n").replace('\r', '\n').strip();
    return pages.compute(name, (key, old) ->
        new Revision(normalised, old == null ? 1 : old.number() + 1, Instant.now()));
  }

  /** The page's markup as HTML; links point below {@code base} (the context path). */
  static String render(String text, String base) {
    StringBuilder html = new StringBuilder(text.length() + text.length() / 4 + 32);
    for (String block : text.split("\n\\s*\n")) {
      List<String> paragraph = new ArrayList<>();
      for (String line : block.strip().split("\n")) {
        String trimmed = line.strip();
        if (trimmed.length() > 4 && trimmed.startsWith("= ") && trimmed.endsWith(" =")) {
          appendParagraph(html, paragraph, base);
          html.append("<h2>").append(links(Html.escape(trimmed.substring(2, trimmed.length() - 2).strip()), base))
              .append("</h2>\n");
        } else if (!trimmed.isEmpty()) {
          paragraph.add(trimmed);
        }
      }
      appendParagraph(html, paragraph, base);
    }
    return html.toString();
  }

  private static void appendParagraph(StringBuilder html, List<String> lines, String base) {
    if (!lines.isEmpty()) {
      html.append("<p>").append(links(Html.escape(String.join("\n", lines)), base).replace("\n", "<br>\n"))
          .append("</p>\n");
      lines.clear();
    }
  }

  private static String links(String escaped, String base) {
    Matcher matcher = LINK.matcher(escaped);
    StringBuilder out = new StringBuilder(escaped.length() + 32);
    while (matcher.find()) {
      String name = matcher.group(1);
      matcher.appendReplacement(out, Matcher.quoteReplacement(
          "<a href=\"" + base + "/wiki/" + name + "\">" + name + "</a>"));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
