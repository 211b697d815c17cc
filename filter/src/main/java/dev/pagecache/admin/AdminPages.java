package dev.pagecache.admin;

import dev.pagecache.PageCacheStats;
import dev.pagecache.StoredPage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The admin pages as HTML text, from what the cache reports. Every value that may come from a
 * client (URLs, header values, tags, rule patterns) goes through {@link Html#text}; nothing here
 * needs a script, and the page's only style is inline.
 */
final class AdminPages {
  /** Copies per page of the listing. */
  static final int PAGE_SIZE = 50;

  private static final String STYLE = "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
      + "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.2em .5em;"
      + "text-align:left;vertical-align:top}th{background:#f2f2f2}td.n{text-align:right}"
      + "nav a{margin-right:1em}.stale{color:#b00}.notice{background:#eef7ee;padding:.5em}"
      + "form{margin:.3em 0}input[type=text]{width:32em}code{word-break:break-all}";

  private final String base;

  /** @param base the path the servlet answers under, e.g. {@code /shop/pagecache} */
  AdminPages(String base) {
    this.base = base;
  }

  String layout(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pagecache: " + Html.text(title)
        + "</title><style>" + STYLE + "</style></head><body>\n<nav><a href=\"" + Html.text(base) + "/\">Summary</a>"
        + "<a href=\"" + Html.text(base) + "/entries\">Entries</a><a href=\"" + Html.text(base)
        + "/lookup\">Look up a URL</a></nav>\n<h1>" + Html.text(title) + "</h1>\n" + body + "</body></html>\n";
  }

  /** A refusal or error: the message alone. */
  String message(String title, String message) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pagecache: " + Html.text(title)
        + "</title><style>" + STYLE + "</style></head><body><h1>" + Html.text(title) + "</h1><p>"
        + Html.text(message) + "</p></body></html>\n";
  }

  String summary(PageCacheStats stats, String formToken, String notice) {
    StringBuilder body = new StringBuilder();
    if (notice != null) {
      body.append("<p class=\"notice\" id=\"notice\">").append(Html.text(notice)).append("</p>\n");
    }
    body.append("<p>Hit ratio <b id=\"hit-ratio\">")
        .append(String.format(Locale.ROOT, "%.1f %%", stats.hitRatio() * 100)).append("</b>, ")
        .append(stats.entries()).append(" entries in ").append(Html.bytes(stats.bytes())).append(" of ")
        .append(Html.bytes(stats.maxBytes())).append(".</p>\n");
    body.append("<h2>Purge</h2>\n")
        .append(purgeForm(formToken, "url", "URL", "http://example.com/wiki/Home or /wiki/Home"))
        .append(purgeForm(formToken, "prefix", "Prefix", "/wiki/"))
        .append(purgeForm(formToken, "tag", "Tag", "wiki"))
        .append("<form method=\"post\" action=\"").append(Html.text(base)).append("/action/purge\" id=\"purge-all\">")
        .append(tokenField(formToken)).append("<input type=\"hidden\" name=\"kind\" value=\"all\">")
        .append("<button type=\"submit\">Purge everything</button></form>\n");
    body.append("<h2>Stats</h2>\n<table id=\"stats\">\n");
    statsRows(body, "", stats);
    body.append("</table>\n");
    return layout("Summary", body.toString());
  }

  private String purgeForm(String formToken, String kind, String label, String example) {
    return "<form method=\"post\" action=\"" + Html.text(base) + "/action/purge\" id=\"purge-" + kind + "\">"
        + tokenField(formToken) + "<input type=\"hidden\" name=\"kind\" value=\"" + kind + "\">"
        + "<label>" + label + " <input type=\"text\" name=\"value\" placeholder=\"" + Html.text(example)
        + "\" required></label> <button type=\"submit\">Purge " + label.toLowerCase(Locale.ROOT) + "</button></form>\n";
  }

  private static String tokenField(String formToken) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + Html.text(formToken) + "\">";
  }

  /** Every figure of the stats record, by its component names: new figures show up without code here. */
  private static void statsRows(StringBuilder body, String prefix, Record values) {
    for (RecordComponent component : values.getClass().getRecordComponents()) {
      Object value;
      try {
        value = component.getAccessor().invoke(values);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      String name = prefix + component.getName();
      if (value instanceof Record nested) {
        statsRows(body, name + ".", nested);
      } else if (value instanceof Map<?, ?> map) {
        body.append("<tr><th>").append(Html.text(name)).append("</th><td>");
        if (map.isEmpty()) {
          body.append("&mdash;");
        }
        for (Map.Entry<?, ?> entry : new TreeMap<>(map).entrySet()) {
          body.append(Html.text(String.valueOf(entry.getKey()))).append(": ");
          if (entry.getValue() instanceof Record nested) {
            body.append("<table>");
            statsRows(body, "", nested);
            body.append("</table>");
          } else {
            body.append(Html.text(String.valueOf(entry.getValue()))).append("<br>");
          }
        }
        body.append("</td></tr>\n");
      } else {
        body.append("<tr><th>").append(Html.text(name)).append("</th><td class=\"n\">")
            .append(Html.text(String.valueOf(value))).append("</td></tr>\n");
      }
    }
  }

  String entries(StoredPage.Listing listing, StoredPage.Order order, boolean descending) {
    StringBuilder body = new StringBuilder();
    int first = listing.pages().isEmpty() ? 0 : listing.offset() + 1;
    body.append("<p id=\"range\">Copies ").append(first).append("&ndash;")
        .append(listing.offset() + listing.pages().size()).append(" of ").append(listing.total())
        .append(" in this JVM's memory, by ").append(order.name().toLowerCase(Locale.ROOT))
        .append(descending ? ", descending" : ", ascending").append(".</p>\n");
    body.append("<table id=\"entries\">\n<tr>")
        .append(sortHeader("URL", StoredPage.Order.URL, order, descending)).append("<th>Variant</th><th>Status</th>")
        .append(sortHeader("Size", StoredPage.Order.BYTES, order, descending))
        .append(sortHeader("Age", StoredPage.Order.AGE, order, descending))
        .append(sortHeader("Fresh for", StoredPage.Order.REMAINING, order, descending))
        .append(sortHeader("Hits", StoredPage.Order.HITS, order, descending))
        .append("<th>Layer</th><th>Rule</th></tr>\n");
    for (StoredPage page : listing.pages()) {
      body.append("<tr><td><a href=\"").append(Html.text(base + "/lookup?url=" + Html.param(page.url())))
          .append("\"><code>").append(Html.text(page.url())).append("</code></a></td>");
      copyCells(body, page);
      body.append("</tr>\n");
    }
    body.append("</table>\n<p>");
    if (listing.offset() > 0) {
      body.append(pageLink("&larr; Previous", order, descending, Math.max(0, listing.offset() - PAGE_SIZE), "previous"));
    }
    if (listing.offset() + listing.pages().size() < listing.total()) {
      body.append(pageLink("Next &rarr;", order, descending, listing.offset() + PAGE_SIZE, "next"));
    }
    body.append("</p>\n");
    return layout("Entries", body.toString());
  }

  private void copyCells(StringBuilder body, StoredPage page) {
    body.append("<td>").append(page.variant().isEmpty() ? "(any)" : Html.text(page.variant())).append("</td>")
        .append("<td class=\"n\">").append(page.status()).append("</td>")
        .append("<td class=\"n\" title=\"").append(Html.text(forms(page.forms()))).append("\">")
        .append(Html.bytes(page.bytes())).append("</td>")
        .append("<td class=\"n\">").append(Html.duration(page.age())).append("</td>")
        .append(page.stale() ? "<td class=\"n stale\">" : "<td class=\"n\">").append(Html.duration(page.remaining()))
        .append(page.stale() ? " (stale)" : "").append("</td>")
        .append("<td class=\"n\">").append(page.hits()).append("</td>")
        .append("<td>").append(page.layer().label()).append("</td>")
        .append("<td>").append(Html.text(page.rule())).append("</td>");
  }

  private static String forms(Map<String, Integer> forms) {
    StringBuilder text = new StringBuilder();
    forms.forEach((coding, length) -> text.append(text.length() == 0 ? "" : ", ").append(coding).append(' ')
        .append(Html.bytes(length)));
    return text.toString();
  }

  private String sortHeader(String label, StoredPage.Order column, StoredPage.Order order, boolean descending) {
    boolean current = column == order;
    boolean nextDescending = current ? !descending : column != StoredPage.Order.URL;
    String arrow = current ? (descending ? " &darr;" : " &uarr;") : "";
    return "<th><a id=\"sort-" + column.name().toLowerCase(Locale.ROOT) + "\" href=\""
        + Html.text(listingHref(column, nextDescending, 0)) + "\">" + label + "</a>" + arrow + "</th>";
  }

  private String pageLink(String label, StoredPage.Order order, boolean descending, int offset, String id) {
    return "<a id=\"" + id + "\" href=\"" + Html.text(listingHref(order, descending, offset)) + "\">" + label + "</a> ";
  }

  private String listingHref(StoredPage.Order order, boolean descending, int offset) {
    return base + "/entries?sort=" + order.name().toLowerCase(Locale.ROOT) + "&dir=" + (descending ? "desc" : "asc")
        + (offset > 0 ? "&from=" + offset : "");
  }

  /**
   * @param url what was asked for, or null before anything was
   * @param copies what was found, or null when nothing was looked up
   * @param problem why the URL could not be looked up, or null
   */
  String lookup(String url, List<StoredPage> copies, String problem, String formToken) {
    StringBuilder body = new StringBuilder();
    body.append("<form method=\"get\" action=\"").append(Html.text(base)).append("/lookup\" id=\"lookup\">")
        .append("<label>URL <input type=\"text\" name=\"url\" value=\"").append(Html.text(url == null ? "" : url))
        .append("\" placeholder=\"http://example.com/wiki/Home or /wiki/Home\" required></label> ")
        .append("<button type=\"submit\">Look up</button></form>\n");
    if (problem != null) {
      body.append("<p class=\"stale\" id=\"problem\">").append(Html.text(problem)).append("</p>\n");
    }
    if (copies != null) {
      body.append("<p id=\"found\">").append(copies.size()).append(copies.size() == 1 ? " copy" : " copies")
          .append(" of <code>").append(Html.text(url)).append("</code>.</p>\n");
      if (!copies.isEmpty()) {
        body.append("<table id=\"copies\">\n<tr><th>Key URL</th><th>Variant</th><th>Status</th><th>Size</th>"
            + "<th>Age</th><th>Fresh for</th><th>Hits</th><th>Layer</th><th>Rule</th><th>Forms</th><th>Tags</th></tr>\n");
        for (StoredPage page : copies) {
          body.append("<tr><td><code>").append(Html.text(page.url())).append("</code></td>");
          copyCells(body, page);
          body.append("<td>").append(Html.text(forms(page.forms()))).append("</td><td>")
              .append(Html.text(String.join(", ", page.tags()))).append("</td></tr>\n");
        }
        body.append("</table>\n");
        body.append("<form method=\"post\" action=\"").append(Html.text(base)).append("/action/purge\" id=\"purge-this\">")
            .append(tokenField(formToken)).append("<input type=\"hidden\" name=\"kind\" value=\"url\">")
            .append("<input type=\"hidden\" name=\"back\" value=\"lookup\">")
            .append("<input type=\"hidden\" name=\"value\" value=\"").append(Html.text(url)).append("\">")
            .append("<button type=\"submit\">Purge this URL</button></form>\n");
      }
    }
    return layout("Look up a URL", body.toString());
  }
}
