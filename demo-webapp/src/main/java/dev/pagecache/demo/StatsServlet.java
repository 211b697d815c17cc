package dev.pagecache.demo;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheStats;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code /pagecache/stats}: the running cache's {@link PageCacheStats} as JSON. {@code /pagecache/}:
 * the same as a small HTML page with the hit ratio, which reloads itself every two seconds. Both
 * are {@code no-store}; the demo rules exclude {@code /pagecache/*} from caching.
 */
public class StatsServlet extends HttpServlet {
  private static final int REFRESH_SECONDS = 2;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String pathInfo = request.getPathInfo();
    if (pathInfo == null) {
      response.sendRedirect(request.getContextPath() + request.getServletPath() + "/");
      return;
    }
    if (!pathInfo.equals("/") && !pathInfo.equals("/stats")) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    response.setHeader("Cache-Control", "no-store");
    Optional<PageCache> cache = PageCache.from(getServletContext());
    if (pathInfo.equals("/stats")) {
      byte[] json = cache.map(c -> c.stats().toJson())
          .orElse("{\"error\":\"no pagecache filter is running in this web application\"}")
          .getBytes(StandardCharsets.UTF_8);
      response.setStatus(cache.isPresent() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
      response.setContentType("application/json");
      response.setContentLength(json.length);
      response.getOutputStream().write(json);
      return;
    }
    String body = cache.map(c -> statsHtml(c.stats(), request.getContextPath()))
        .orElse("<h1>Cache stats</h1><p>No pagecache filter is running in this web application.</p>");
    String html = Html.page(request, "Cache stats", "<meta http-equiv=\"refresh\" content=\"" + REFRESH_SECONDS + "\">",
        body, Instant.now(), Duration.ZERO);
    Html.send(response, cache.isPresent() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE, html);
  }

  static String statsHtml(PageCacheStats stats, String base) {
    StringBuilder html = new StringBuilder(2048);
    html.append("<h1>Cache stats</h1>\n<p>Hit ratio <b>")
        .append(String.format(Locale.ROOT, "%.1f %%", stats.hitRatio() * 100))
        .append("</b> of the requests that matched a rule. This page reloads every ").append(REFRESH_SECONDS)
        .append(" s; the same figures are at <a href=\"").append(base)
        .append("/pagecache/stats\">/pagecache/stats</a> as JSON.</p>\n<table class=\"stats\">\n");
    row(html, "hits (from memory)", stats.hits());
    row(html, "… of which 304 Not Modified", stats.notModified());
    row(html, "misses (sent to the page)", stats.misses());
    row(html, "responses stored", stats.stores());
    row(html, "invalidations (edits, purges)", stats.invalidations());
    row(html, "purge endpoint requests", stats.purgeRequests());
    row(html, "… of which refused (token, address)", stats.purgeRefused());
    reasons(html, "bypassed", stats.bypassed());
    reasons(html, "not stored", stats.notStored());
    row(html, "store errors", stats.storeErrors());
    row(html, "entries held", stats.entries());
    html.append("<tr><td>memory used</td><td class=\"n\">")
        .append(String.format(Locale.ROOT, "%.1f of %.0f MiB", stats.bytes() / 1048576.0, stats.maxBytes() / 1048576.0))
        .append("</td></tr>\n");
    row(html, "evictions", stats.evictions());
    return html.append("</table>").toString();
  }

  private static void reasons(StringBuilder html, String what, Map<String, Long> counts) {
    if (counts.isEmpty()) {
      row(html, what, 0);
    }
    new TreeMap<>(counts).forEach((reason, count) -> row(html, what + ": " + reason, count));
  }

  private static void row(StringBuilder html, String label, long value) {
    html.append("<tr><td>").append(Html.escape(label)).append("</td><td class=\"n\">")
        .append(String.format(Locale.ROOT, "%,d", value)).append("</td></tr>\n");
  }
}
