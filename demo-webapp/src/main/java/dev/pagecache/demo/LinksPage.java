package dev.pagecache.demo;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
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
 */
public class LinksPage extends HttpServlet {
  /** Default time to "rank" the links for a user. */
  public static final Duration DEFAULT_DELAY = Duration.ofMillis(1500);
  /** The cookie that names the user. */
  public static final String USER_COOKIE = "user";

  private Delay delay;

  @Override
  public void init() throws ServletException {
    delay = Delay.configured(getServletConfig(), DEFAULT_DELAY);
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
    delay.pause();
    String base = request.getContextPath();
    StringBuilder body = new StringBuilder(LinkRanking.PER_PAGE * 220 + 2048);
    body.append("<h1>Links for ").append(user.map(Html::escape).orElse("everyone")).append("</h1>\n<p>Page ")
        .append(page).append(" of ").append(LinkRanking.PAGES).append(", ranked ")
        .append(user.isPresent() ? "for you by popularity and your taste" : "by popularity (choose a user below)")
        .append(". Ranking takes ").append(delay.duration().toMillis()).append(" ms.</p>\n")
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
