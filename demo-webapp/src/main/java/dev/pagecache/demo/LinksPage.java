package dev.pagecache.demo;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code /links?page=N}: a ranked list of 100 links per page, different for every user, and
 * expensive to compute. The user is the value of the {@code user} cookie (set by
 * {@link LoginServlet}); without it the ranking is the anonymous one.
 *
 * <p>The page depends on exactly two inputs, the {@code user} cookie and the {@code page}
 * parameter, and its rule keys on exactly those ({@code keyCookies = [user]},
 * {@code query { only = [page] }}): one user's page can never be served to another. It is sent
 * {@code Cache-Control: private} so that no cache downstream shares it; the rule's
 * {@code allowPrivate = true} lets this cache, which keys it per user, keep it.
 *
 * <p>Every page also shows the user's feeds ({@link Feeds}) and a form to add one
 * ({@link FeedsServlet}). They are data the key does not hold, which is why the rule tags each
 * page {@code user:{cookie.user}}: adding a feed purges that tag, all of the user's pages at once.
 */
public class LinksPage extends HttpServlet {
  /** Default time to "rank" the links for a user. */
  public static final Duration DEFAULT_DELAY = Duration.ofMillis(1500);
  /** The cookie that names the user. */
  public static final String USER_COOKIE = "user";

  private Delay delay;
  private DemoData data;
  private Feeds feeds;

  @Override
  public void init() throws ServletException {
    delay = Delay.configured(getServletConfig(), DEFAULT_DELAY);
    data = DemoData.acquire(getServletContext());
    feeds = data.feeds();
  }

  @Override
  public void destroy() {
    data.release(getServletContext());
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    int page;
    String pageParam = request.getParameter("page");
    try {
      page = pageParam == null ? 1 : Integer.parseInt(pageParam.trim());
    } catch (NumberFormatException e) {
      response.sendError(HttpServletResponse.SC_BAD_REQUEST, "page must be a number from 1 to " + LinkRanking.PAGES);
      return;
    }
    if (page < 1 || page > LinkRanking.PAGES) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND, "There are " + LinkRanking.PAGES + " pages of links");
      return;
    }
    Optional<String> user = user(request);
    long started = System.nanoTime();
    List<String> userFeeds;
    try {
      userFeeds = user.filter(LoginServlet::isValidUserName).map(feeds::of).orElse(List.of());
    } catch (Records.Unavailable e) {
      DemoData.sendUnavailable(response, e);
      return;
    }
    delay.pause();
    String base = request.getContextPath();
    StringBuilder body = new StringBuilder(LinkRanking.PER_PAGE * 220 + 2048);
    body.append("<h1>Links for ").append(user.map(Html::escape).orElse("everyone")).append("</h1>\n<p>Page ")
        .append(page).append(" of ").append(LinkRanking.PAGES).append(", ranked ")
        .append(user.isPresent() ? "for you by popularity and your taste" : "by popularity (choose a user below)")
        .append(". Ranking takes ").append(delay.duration().toMillis()).append(" ms.</p>\n")
        .append(feedsSection(base, user, userFeeds))
        .append("<ol start=\"").append((page - 1) * LinkRanking.PER_PAGE + 1).append("\">\n");
    for (LinkRanking.Ranked ranked : LinkRanking.page(user, page)) {
      LinkRanking.Link link = ranked.link();
      body.append("<li><a href=\"").append(base).append("/go/").append(link.code()).append("\">")
          .append(Html.escape(link.title())).append("</a> <span class=\"meta\">(").append(link.site())
          .append(")</span> <span class=\"score\">").append(ranked.score()).append("</span></li>\n");
    }
    body.append("</ol>\n<p>");
    for (int p = 1; p <= LinkRanking.PAGES; p++) {
      if (p == page) {
        body.append("<b>").append(p).append("</b> ");
      } else {
        body.append("<a href=\"").append(base).append("/links?page=").append(p).append("\">").append(p).append("</a> ");
      }
    }
    body.append("</p>\n<form method=\"post\" action=\"").append(base).append("/login\">")
        .append("Switch user: <input name=\"user\" value=\"").append(user.map(Html::escape).orElse(""))
        .append("\" placeholder=\"alice\"> <button>Go</button> (empty for everyone)</form>\n");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    response.setHeader("Cache-Control", "private");
    Html.send(response, HttpServletResponse.SC_OK, Html.page(request, "Links", body, Instant.now(), took));
  }

  /** The user's feeds and the form that adds one; for a visitor without a user, how to get one. */
  private static String feedsSection(String base, Optional<String> user, List<String> userFeeds) {
    if (user.filter(LoginServlet::isValidUserName).isEmpty()) {
      return "<p class=\"meta\">Choose a user below to follow feeds.</p>\n";
    }
    StringBuilder html = new StringBuilder(256 + userFeeds.size() * 120);
    html.append("<h2>Your feeds</h2>\n");
    if (userFeeds.isEmpty()) {
      html.append("<p class=\"meta\">None yet.</p>\n");
    } else {
      html.append("<ul class=\"feeds\">\n");
      for (String feed : userFeeds) {
        String escaped = Html.escape(feed);
        html.append("<li><a href=\"").append(escaped).append("\" rel=\"nofollow noopener noreferrer\">").append(escaped)
            .append("</a></li>\n");
      }
      html.append("</ul>\n");
    }
    return html.append("<form method=\"post\" action=\"").append(base).append("/links/feeds\">")
        .append("Add a feed: <input name=\"url\" type=\"url\" maxlength=\"").append(Feeds.MAX_URL_LENGTH)
        .append("\" placeholder=\"https://example.com/feed.xml\" required> <button>Add</button> (your ")
        .append(Feeds.MAX_PER_USER).append(" newest are kept)</form>\n").toString();
  }

  /**
   * The user this request is for: the first {@code user} cookie, as the cache keys it, or empty
   * when there is none or it is blank.
   */
  static Optional<String> user(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies != null) {
      for (Cookie cookie : cookies) {
        if (cookie.getName().equals(USER_COOKIE)) {
          return cookie.getValue() == null || cookie.getValue().isBlank() ? Optional.empty() : Optional.of(cookie.getValue());
        }
      }
    }
    return Optional.empty();
  }
}
