package dev.pagecache.demo;

import dev.pagecache.PageCache;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code POST /links/feeds} with form field {@code url}: adds a feed for the user of the
 * {@code user} cookie ({@link Feeds}), then answers {@code 303 See Other} to {@code /links}.
 *
 * <p>Every page of the user's links shows their feeds, and the cache keeps each one, per user and
 * page, under the rule's tag {@code user:<name>}. One purge of that tag, before the 303 leaves,
 * makes all of them (pages 1 to 10, {@code /links} itself) fresh at once, on every JVM sharing
 * the cache's memcached; other users' pages stay cached.
 */
public class FeedsServlet extends HttpServlet {
  /** The tag of a user's pages, as the rules fill in {@code user:{cookie.user}}. */
  static String tag(String user) {
    return "user:" + user;
  }

  private DemoData data;
  private Feeds feeds;

  @Override
  public void init() throws ServletException {
    data = DemoData.acquire(getServletContext());
    feeds = data.feeds();
  }

  @Override
  public void destroy() {
    data.release(getServletContext());
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    request.setCharacterEncoding(StandardCharsets.UTF_8.name());
    Optional<String> user = LinksPage.user(request).filter(LoginServlet::isValidUserName);
    if (user.isEmpty()) {
      response.sendError(HttpServletResponse.SC_FORBIDDEN, "Feeds belong to a user: choose one on /links first");
      return;
    }
    Optional<String> url = Feeds.feedUrl(request.getParameter("url"));
    if (url.isEmpty()) {
      response.sendError(HttpServletResponse.SC_BAD_REQUEST,
          "A feed is an http:// or https:// URL of at most " + Feeds.MAX_URL_LENGTH + " characters");
      return;
    }
    try {
      feeds.add(user.get(), url.get());
    } catch (Records.Unavailable e) {
      DemoData.sendUnavailable(response, e);
      return;
    }
    PageCache.from(getServletContext()).ifPresent(cache -> cache.purgeTag(tag(user.get())));
    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
    response.setHeader("Location", request.getContextPath() + "/links");
  }
}
