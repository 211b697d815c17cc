package dev.pagecache.demo;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code /}: the big public page every visitor sees, a list of a few thousand videos (about
 * 500 KB of HTML), slow to build. Mapped as the default servlet, it answers 404 for every other
 * path nothing else claims.
 */
public class HomePage extends HttpServlet {
  /** Default time to "query and template" the page. */
  public static final Duration DEFAULT_DELAY = Duration.ofMillis(300);

  private final AtomicLong renders = new AtomicLong();
  private Delay delay;

  @Override
  public void init() throws ServletException {
    delay = Delay.configured(getServletConfig(), DEFAULT_DELAY);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    if (!path.equals("/") && !path.isEmpty()) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    long started = System.nanoTime();
    delay.pause();
    long render = renders.incrementAndGet();
    String base = request.getContextPath();
    StringBuilder body = new StringBuilder(VideoCatalog.SIZE * 190);
    body.append("<h1>Videos</h1>\n<p>").append(String.format(Locale.ROOT, "%,d", VideoCatalog.SIZE))
        .append(" videos, newest first. This page takes ").append(delay.duration().toMillis())
        .append(" ms to build; the cache answers it in microseconds. Render #").append(render).append(".</p>\n")
        .append("<ol class=\"videos\">\n");
    for (VideoCatalog.Video video : VideoCatalog.newestFirst()) {
      long seconds = video.length().toSeconds();
      body.append("<li><a href=\"").append(base).append("/go/").append(video.code()).append("\">")
          .append(Html.escape(video.title())).append("</a><br><span class=\"meta\">")
          .append(Html.escape(video.channel())).append(" · ")
          .append(seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
              : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60))
          .append(" · ").append(String.format(Locale.ROOT, "%,d", video.views())).append(" views · <time>")
          .append(video.uploaded()).append("</time></span></li>\n");
    }
    body.append("</ol>");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    Html.send(response, HttpServletResponse.SC_OK, Html.page(request, "Videos", body, Instant.now(), took));
  }
}
