package dev.pagecache.demo;

import dev.pagecache.PageCache;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /wiki/{name}}: {@code GET} views a page (cached); {@code POST} with form field
 * {@code body} saves a new revision and answers {@code 303 See Other} to the view.
 * {@code /wiki/}: the index of all pages.
 *
 * <p>The rules give every page under {@code /wiki/} the tags {@code wiki} and
 * {@code wiki/<name>}; the index adds, by {@code Surrogate-Key}, the tag of each page it lists.
 * {@link dev.pagecache.PageCacheFilter} purges the URL of every {@code POST} answered with a 2xx or
 * 3xx before that answer is sent, so the view the browser follows the redirect to is rendered
 * afresh. The edit purges more, by tag: {@code wiki/<name>} reaches the index (and the page under
 * any other URL, {@code /wiki/Home?from=mail}); a new page purges {@code wiki}, every wiki page and
 * the index, which must now list it. Purges reach every JVM sharing the cache's memcached.
 */
public class WikiPage extends HttpServlet {
  /** Default time to "parse the markup" of a page. */
  public static final Duration DEFAULT_DELAY = Duration.ofMillis(150);
  /** The tag every wiki page carries (the rules'), and the prefix of each page's own. */
  static final String TAG = "wiki";

  private DemoData data;
  private Wiki wiki;
  private Delay delay;

  @Override
  public void init() throws ServletException {
    delay = Delay.configured(getServletConfig(), DEFAULT_DELAY);
    data = DemoData.acquire(getServletContext());
    wiki = data.wiki();
  }

  @Override
  public void destroy() {
    data.release(getServletContext());
  }

  /** The tag of one page: the rules' {@code wiki/{path.2}} for {@code /wiki/<name>}. */
  static String tag(String name) {
    return TAG + "/" + name;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String pathInfo = request.getPathInfo();
    try {
      if (pathInfo == null) {
        response.sendRedirect(request.getContextPath() + "/wiki/");
      } else if (pathInfo.equals("/")) {
        index(request, response);
      } else {
        view(request, response, pathInfo.substring(1));
      }
    } catch (Records.Unavailable e) {
      DemoData.sendUnavailable(response, e);
    }
  }

  private void view(HttpServletRequest request, HttpServletResponse response, String name) throws IOException {
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
          .append(page.get().editedAt()).append(". <a href=\"").append(base).append("/wiki/\">All pages</a></p>\n")
          .append("<h2>Edit this page</h2>\n");
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

  /**
   * Every page, by name, with its revision: so it carries the tag of every page it lists
   * ({@code Surrogate-Key}, which the cache reads and keeps from the client), and an edit of any
   * of them purges it.
   */
  private void index(HttpServletRequest request, HttpServletResponse response) throws IOException {
    long started = System.nanoTime();
    delay.pause();
    String base = request.getContextPath();
    List<String> names = wiki.names().stream().sorted(Comparator.comparing(String::toLowerCase)).toList();
    Map<String, Wiki.Revision> pages = wiki.pages(names);
    StringBuilder body = new StringBuilder(256 + names.size() * 160);
    body.append("<h1>All wiki pages</h1>\n<p>").append(pages.size()).append(" pages; the wiki holds at most ")
        .append(Wiki.MAX_PAGES).append(". To write a new one, open /wiki/<i>Name</i>.</p>\n<ul>\n");
    StringBuilder tags = new StringBuilder(names.size() * 16);
    for (Map.Entry<String, Wiki.Revision> page : pages.entrySet()) {
      body.append("<li><a href=\"").append(base).append("/wiki/").append(page.getKey()).append("\">")
          .append(page.getKey()).append("</a> <span class=\"meta\">revision ").append(page.getValue().number())
          .append(", edited ").append(page.getValue().editedAt()).append("</span></li>\n");
      tags.append(tags.length() == 0 ? "" : " ").append(tag(page.getKey()));
    }
    body.append("</ul>\n");
    if (tags.length() > 0) {
      response.setHeader("Surrogate-Key", tags.toString());
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    Html.send(response, HttpServletResponse.SC_OK, Html.page(request, "All wiki pages", body, Instant.now(), took));
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String name = request.getPathInfo() == null ? null : request.getPathInfo().substring(1);
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
    Optional<Wiki.Revision> saved;
    try {
      saved = wiki.edit(name, text);
    } catch (Records.Unavailable e) {
      DemoData.sendUnavailable(response, e);
      return;
    }
    if (saved.isEmpty()) {
      response.sendError(HttpServletResponse.SC_CONFLICT,
          "The wiki is full: it holds at most " + Wiki.MAX_PAGES + " pages. Edit one of them instead");
      return;
    }
    // Before the 303 leaves: the page the browser loads next is rendered from the new revision.
    String purged = saved.get().number() == 1 ? TAG : tag(name);
    PageCache.from(getServletContext()).ifPresent(cache -> cache.purgeTag(purged));
    String view = request.getContextPath() + "/wiki/" + name;
    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
    response.setHeader("Location", view);
    response.setContentType("text/plain;charset=UTF-8");
    response.getWriter().print("Saved. The page is at " + view + "\n");
  }
}
