package dev.pagecache.demo;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code /wiki/{name}}: {@code GET} views a page (cached); {@code POST} with form field
 * {@code body} saves a new revision and answers {@code 303 See Other} to the view.
 *
 * <p>The servlet does nothing about the cache: {@link dev.pagecache.PageCacheFilter} purges the
 * URL of every {@code POST} answered with a 2xx or 3xx before that answer is sent, so the view
 * the browser follows the redirect to is rendered afresh.
 */
public class WikiPage extends HttpServlet {
  /** Default time to "parse the markup" of a page. */
  public static final Duration DEFAULT_DELAY = Duration.ofMillis(150);

  private final Wiki wiki = new Wiki();
  private Delay delay;

  @Override
  public void init() throws ServletException {
    delay = Delay.configured(getServletConfig(), DEFAULT_DELAY);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String name = pageName(request);
    if (!Wiki.isValidName(name)) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND, "No such wiki page");
      return;
    }
    long started = System.nanoTime();
    delay.pause();
    String base = request.getContextPath();
    String action = base + "/wiki/" + name;
    StringBuilder body = new StringBuilder(4096);
    body.append("<h1>").append(name).append("</h1>\n");
    int status;
    String text;
    var page = wiki.page(name);
    if (page.isPresent()) {
      status = HttpServletResponse.SC_OK;
      text = page.get().text();
      body.append("<article>\n").append(Wiki.render(text, base)).append("</article>\n")
          .append("<p class=\"meta\">Revision ").append(page.get().number()).append(", edited ")
          .append(page.get().editedAt()).append("</p>\n<h2>Edit this page</h2>\n");
    } else {
      status = HttpServletResponse.SC_NOT_FOUND;
      text = "";
      body.append("<p>This page does not exist yet. Write it:</p>\n");
    }
    body.append("<form method=\"post\" action=\"").append(action).append("\">")
        .append("<textarea name=\"body\">").append(Html.escape(text)).append("</textarea><br>")
        .append("<button>Save</button></form>\n");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    Html.send(response, status, Html.page(request, name, body, Instant.now(), took));
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String name = pageName(request);
    if (!Wiki.isValidName(name)) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND, "No such wiki page");
      return;
    }
    request.setCharacterEncoding(StandardCharsets.UTF_8.name());
    String text = request.getParameter("body");
    if (text == null) {
      response.sendError(HttpServletResponse.SC_BAD_REQUEST, "The form field 'body' is missing");
      return;
    }
    if (text.length() > Wiki.MAX_TEXT) {
      response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
          "A page holds at most " + Wiki.MAX_TEXT + " characters");
      return;
    }
    wiki.edit(name, text);
    String view = request.getContextPath() + "/wiki/" + name;
    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
    response.setHeader("Location", view);
    response.setContentType("text/plain;charset=UTF-8");
    response.getWriter().print("Saved. The page is at " + view + "\n");
  }

  private static String pageName(HttpServletRequest request) {
    String pathInfo = request.getPathInfo();
    return pathInfo == null || pathInfo.length() < 2 ? null : pathInfo.substring(1);
  }
}
