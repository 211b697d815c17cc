package dev.pagecache.demo;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /go/{code}}: short links, answered with {@code 301 Moved Permanently}. Every video and
 * link in the demo has one ({@code /go/v1k}, {@code /go/l2s}), and a few have names
 * ({@code /go/x}, {@code /go/rfc9111}). Unknown codes are 404.
 *
 * <p>The servlet sends no {@code Cache-Control}: its rule caches the redirect for a day and tells
 * browsers and front-end proxies {@code public, max-age=<seconds left>}, so they cache it too.
 */
public class ShortLinks extends HttpServlet {
  /** Default time to "look the code up". */
  public static final Duration DEFAULT_DELAY = Duration.ofMillis(50);

  private static final Map<String, String> NAMED = Map.of(
      "x", "https://example.com/",
      "rfc9110", "https://www.rfc-editor.org/rfc/rfc9110",
      "rfc9111", "https://www.rfc-editor.org/rfc/rfc9111",
      "rfc9211", "https://www.rfc-editor.org/rfc/rfc9211",
      "jetty", "https://jetty.org/",
      "caffeine", "https://github.com/ben-manes/caffeine");

  private Delay delay;

  @Override
  public void init() throws ServletException {
    delay = Delay.configured(getServletConfig(), DEFAULT_DELAY);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String pathInfo = request.getPathInfo();
    String code = pathInfo == null || pathInfo.length() < 2 ? "" : pathInfo.substring(1);
    delay.pause();
    Optional<String> target = target(code);
    if (target.isEmpty()) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND, "No short link '" + code + "'");
      return;
    }
    response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
    response.setHeader("Location", target.get());
    Html.send(response, HttpServletResponse.SC_MOVED_PERMANENTLY,
        "<!DOCTYPE html><title>Moved</title><p>Moved to <a href=\"" + Html.escape(target.get()) + "\">"
            + Html.escape(target.get()) + "</a>.</p>\n");
  }

  static Optional<String> target(String code) {
    String named = NAMED.get(code);
    if (named != null) {
      return Optional.of(named);
    }
    return VideoCatalog.byCode(code).map(VideoCatalog.Video::watchUrl)
        .or(() -> LinkRanking.byCode(code).map(LinkRanking.Link::url));
  }
}
