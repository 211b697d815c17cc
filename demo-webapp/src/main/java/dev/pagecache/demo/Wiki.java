package dev.pagecache.demo;

import dev.pagecache.rules.TagTemplate;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wiki's pages, kept in {@link Records}, and its small markup: a blank line starts a
 * paragraph, a line {@code = Title =} is a heading, {@code [[Name]]} links to another page.
 * Thread-safe, and safe for several processes sharing the records: a page's revision number and
 * the list of names only change by {@link Records#update}.
 *
 * <p>Bounded, as anyone may write: at most {@value #MAX_PAGES} pages of {@value #MAX_TEXT}
 * characters. The index lists every page and carries each one's tag ({@code wiki/<name>}) so that
 * an edit purges it; a page keeps at most {@value TagTemplate#MAX_TAGS_PER_PAGE} tags, the rule's
 * {@code wiki} among them, and the limit leaves room to spare.
 */
final class Wiki {
  /** Page names: letters, digits, '-' and '_', up to 64, starting with a letter or digit. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Pattern LINK = Pattern.compile("\\[\\[([A-Za-z0-9][A-Za-z0-9_-]{0,63})]]");
  /** The longest text a page may hold, in characters. */
  static final int MAX_TEXT = 100_000;
  /** The most pages the wiki holds: one index page lists them all, with one tag each. */
  static final int MAX_PAGES = TagTemplate.MAX_TAGS_PER_PAGE - 4;
  private static final String NAMES_KEY = "names";
  private static final String PAGE_KEY = "page:";

  /** One version of a page. */
  record Revision(String text, int number, Instant editedAt) {}

  private final Records records;
  private final InstantSource clock;
  /** The pages a new wiki starts with: written to the records when first read or edited. */
  private final Map<String, Revision> seeds = new LinkedHashMap<>();

  Wiki(Records records, InstantSource clock) {
    this.records = records;
    this.clock = clock;
    Instant start = clock.instant();
    seed("Home", """
        = Welcome =
        This wiki is cached: a page view is kept for ten minutes, so the second view of a page \
        comes from memory instead of the slow renderer.

        Yet an edit shows at once. Saving a page POSTs the text to the page's own URL; pagecache \
        sees the successful POST and purges that URL before the "303 See Other" reaches your \
        browser, so the view it loads next is fresh. The page also purges its tag, which reaches \
        the index of all pages, and every server of a fleet within a second.

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
    seeds.put(name, new Revision(text.strip(), 1, at));
  }

  static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** @throws Records.Unavailable when the pages cannot be read now */
  Optional<Revision> page(String name) {
    Optional<Revision> page = records.get(PAGE_KEY + name).flatMap(Wiki::decode);
    if (page.isEmpty() && seeds.containsKey(name)) {
      page = records.update(PAGE_KEY + name, current -> current.or(() -> Optional.of(encode(seeds.get(name)))))
          .flatMap(Wiki::decode);
    }
    return page;
  }

  /** Every page's name, in the order they were written. @throws Records.Unavailable */
  List<String> names() {
    Optional<String> names = records.get(NAMES_KEY);
    if (names.isEmpty()) {
      names = records.update(NAMES_KEY, current -> current.or(() -> Optional.of(String.join("\n", seeds.keySet()))));
    }
    return decodeNames(names.orElse(""));
  }

  /** The latest revision of each of {@code names} that has one. @throws Records.Unavailable */
  Map<String, Revision> pages(List<String> names) {
    List<String> keys = names.stream().map(name -> PAGE_KEY + name).toList();
    Map<String, String> stored = records.getAll(keys);
    Map<String, Revision> pages = new LinkedHashMap<>();
    for (String name : names) {
      Optional<Revision> page = Optional.ofNullable(stored.get(PAGE_KEY + name)).flatMap(Wiki::decode);
      if (page.isEmpty() && seeds.containsKey(name)) {
        page = page(name);
      }
      page.ifPresent(revision -> pages.put(name, revision));
    }
    return pages;
  }

  /**
   * Stores a new revision of {@code name}; the text is stored with its line breaks normalised.
   *
   * @return the revision (number 1 for a new page), or empty when {@code name} is new and the
   *     wiki already holds {@value #MAX_PAGES} pages
   * @throws Records.Unavailable when the pages cannot be written now
   */
  Optional<Revision> edit(String name, String text) {
    String normalised = text.replace("\r\n", "\n").replace('\r', '\n').strip();
    List<String> names = decodeNames(records.update(NAMES_KEY, current -> {
      List<String> listed = decodeNames(current.orElseGet(() -> String.join("\n", seeds.keySet())));
      if (listed.contains(name) || listed.size() >= MAX_PAGES) {
        return current.isPresent() ? current : Optional.of(String.join("\n", listed));
      }
      List<String> more = new ArrayList<>(listed);
      more.add(name);
      return Optional.of(String.join("\n", more));
    }).orElse(""));
    if (!names.contains(name)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    return records.update(PAGE_KEY + name, current -> {
      int previous = current.flatMap(Wiki::decode).or(() -> Optional.ofNullable(seeds.get(name)))
          .map(Revision::number).orElse(0);
      return Optional.of(encode(new Revision(normalised, previous + 1, now)));
    }).flatMap(Wiki::decode);
  }

  /** A record: the revision number, the edit time in milliseconds, then the text, one a line. */
  static String encode(Revision revision) {
    return revision.number() + "\n" + revision.editedAt().toEpochMilli() + "\n" + revision.text();
  }

  /** A record as {@link #encode} writes it; empty for anything else (another process wrote it). */
  static Optional<Revision> decode(String record) {
    int first = record.indexOf('\n');
    int second = first < 0 ? -1 : record.indexOf('\n', first + 1);
    if (second < 0 || record.length() - second - 1 > MAX_TEXT) {
      return Optional.empty();
    }
    try {
      int number = Integer.parseInt(record.substring(0, first));
      Instant editedAt = Instant.ofEpochMilli(Long.parseLong(record.substring(first + 1, second)));
      return number < 1 ? Optional.empty() : Optional.of(new Revision(record.substring(second + 1), number, editedAt));
    } catch (NumberFormatException | java.time.DateTimeException e) {
      return Optional.empty();
    }
  }

  /** The valid names of a list, each once, at most {@value #MAX_PAGES}. */
  static List<String> decodeNames(String record) {
    return record.lines().filter(Wiki::isValidName).distinct().limit(MAX_PAGES).toList();
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
