package dev.pagecache.demo;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The demo's page layout and HTML escaping; pages build their body, this wraps and sends it. */
final class Html {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS 'UTC'")
      .withZone(ZoneOffset.UTC);
  private static final String STYLE = """
      body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
      header{background:#1d3557;color:#fff;padding:.6em 1.2em}header a{color:#fff;margin-right:1.2em}
      main{padding:1em 1.2em;max-width:70em}footer{color:#666;font-size:13px;padding:1em 1.2em}
      ol.videos{columns:2;padding-left:3em}ol.videos li{break-inside:avoid;margin-bottom:.2em}
      .meta{color:#666;font-size:13px}.score{color:#2a9d8f;font-weight:bold}
      textarea{width:100%;height:14em}table.stats td{padding:.2em 1em}table.stats td.n{text-align:right}
      """;

  private Html() {}

  /** Escapes text for element content and double-quoted attribute values. */
  static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = switch (c) {
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '&' -> "&amp;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        default -> null;
      };
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  /** A page with the demo's header and footer; the footer says when and how fast it was rendered. */
  static String page(HttpServletRequest request, String title, CharSequence body, Instant renderedAt,
      Duration renderTime) {
    return page(request, title, "", body, renderedAt, renderTime);
  }

  /** A page as above, with {@code head} (trusted HTML) added to its head. */
  static String page(HttpServletRequest request, String title, String head, CharSequence body,
      Instant renderedAt, Duration renderTime) {
    String base = request.getContextPath();
    StringBuilder html = new StringBuilder(body.length() + 2048);
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(escape(title)).append(" · pagecache demo</title>")
        .append("<style>").append(STYLE).append("</style>").append(head).append("</head>\n<body><header>")
        .append("<a href=\"").append(base).append("/\">Videos</a>")
        .append("<a href=\"").append(base).append("/trending\">Trending</a>")
        .append("<a href=\"").append(base).append("/wiki/Home\">Wiki</a>")
        .append("<a href=\"").append(base).append("/links\">Your links</a>")
        .append("<a href=\"").append(base).append("/go/x\">/go/x</a>")
        .append("<a href=\"").append(base).append("/pagecache/\">Cache stats</a>")
        .append("</header>\n<main>\n").append(body).append("\n</main>\n<footer>Rendered at ")
        .append(CLOCK.format(renderedAt)).append(" in ").append(renderTime.toMillis())
        .append(" ms. A cached copy repeats this line; the response headers say what the cache did.")
        .append("</footer>\n</body></html>\n");
    return html.toString();
  }

  /**
   * Sends {@code html} as a UTF-8 page. The whole page goes into the response buffer and leaves
   * only when the servlet returns, with the {@code Content-Length} the container then computes: a
   * cache in front stores the page before the client can have all of it, so a client that asks
   * again at once is answered from the cache. (Declaring the length, or writing past the buffer,
   * lets the container finish the response on the last write, before a filter can store it.)
   */
  static void send(HttpServletResponse response, int status, String html) throws IOException {
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("text/html;charset=UTF-8");
    // Also raises the size up to which a write is buffered rather than sent at once.
    response.setBufferSize(Math.max(response.getBufferSize(), bytes.length + 1024));
    response.getOutputStream().write(bytes);
  }
}
