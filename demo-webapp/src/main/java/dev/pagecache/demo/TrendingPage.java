package dev.pagecache.demo;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code /trending}: the 50 videos watched most in the last hour, written asynchronously, as a
 * Spring {@code DeferredResult} controller or a reactive client's callback would. The request
 * thread starts async processing and returns at once; the ranking "service" answers after the
 * page's delay (1 s by default) on a timer, with no thread waiting for it, and the page is written
 * from the thread that receives the answer. pagecache stores it all the same; with a
 * stale-while-revalidate window, the refresh of an expired copy holds no thread either.
 */
public class TrendingPage extends HttpServlet {
  public static final Duration DEFAULT_DELAY = Duration.ofSeconds(1);
  private static final int SHOWN = 50;

  private final AtomicLong renders = new AtomicLong();
  private Delay delay;

  @Override
  public void init() throws ServletException {
    delay = Delay.configured(getServletConfig(), DEFAULT_DELAY);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) {
    long started = System.nanoTime();
    AsyncContext async = request.startAsync();
    async.setTimeout(Duration.ofSeconds(30).toMillis());
    rankingService(Instant.now()).whenComplete((ranked, failure) -> {
      try {
        if (failure != null) {
          ((HttpServletResponse) async.getResponse()).sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        } else {
          write((HttpServletRequest) async.getRequest(), (HttpServletResponse) async.getResponse(), ranked,
              Duration.ofNanos(System.nanoTime() - started));
        }
      } catch (IOException | RuntimeException e) {
        log("writing /trending failed", e);
      } finally {
        async.complete();
      }
    });
  }

  /** The ranking as a remote service would give it: later, on a thread of its own, none blocked meanwhile. */
  private CompletableFuture<List<VideoCatalog.Video>> rankingService(Instant asOf) {
    long hour = asOf.getEpochSecond() / 3600;
    Executor later = CompletableFuture.delayedExecutor(delay.duration().toNanos(), TimeUnit.NANOSECONDS);
    return CompletableFuture.supplyAsync(() -> VideoCatalog.newestFirst().stream()
        .sorted(Comparator.comparingLong((VideoCatalog.Video video) -> watchedInHour(video, hour)).reversed()
            .thenComparing(VideoCatalog.Video::code))
        .limit(SHOWN)
        .toList(), later);
  }

  /** A made-up but stable figure: the same hour gives the same ranking on every JVM. */
  private static long watchedInHour(VideoCatalog.Video video, long hour) {
    long mixed = (video.code().hashCode() * 0x9E3779B97F4A7C15L) ^ (hour * 0xC2B2AE3D27D4EB4FL);
    return Math.floorMod(mixed ^ (mixed >>> 29), Math.max(1, video.views() / 1000));
  }

  private void write(HttpServletRequest request, HttpServletResponse response, List<VideoCatalog.Video> ranked,
      Duration took) throws IOException {
    long render = renders.incrementAndGet();
    String base = request.getContextPath();
    StringBuilder body = new StringBuilder(SHOWN * 200);
    body.append("<h1>Trending this hour</h1>\n<p>Ranked by a service that answers in ")
        .append(delay.duration().toMillis())
        .append(" ms. This page is written asynchronously: no thread waits for the ranking. Render #")
        .append(render).append(".</p>\n<ol class=\"videos\">\n");
    for (VideoCatalog.Video video : ranked) {
      body.append("<li><a href=\"").append(base).append("/go/").append(video.code()).append("\">")
          .append(Html.escape(video.title())).append("</a><br><span class=\"meta\">")
          .append(Html.escape(video.channel())).append(" · ")
          .append(String.format(Locale.ROOT, "%,d", video.views())).append(" views</span></li>\n");
    }
    body.append("</ol>");
    Html.send(response, HttpServletResponse.SC_OK, Html.page(request, "Trending", body, Instant.now(), took));
  }
}
