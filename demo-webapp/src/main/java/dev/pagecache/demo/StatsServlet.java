package dev.pagecache.demo;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheStats;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code /pagecache/stats}: the running cache's {@link PageCacheStats} as JSON, for scripts and load
 * tests. {@code no-store}; the demo rules exclude {@code /pagecache/*} from caching. People read the
 * same figures on the admin page, {@code /pagecache/} ({@link dev.pagecache.admin.PageCacheAdminServlet}).
 */
public class StatsServlet extends HttpServlet {
  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setHeader("Cache-Control", "no-store");
    Optional<PageCache> cache = PageCache.from(getServletContext());
    byte[] json = cache.map(c -> c.stats().toJson())
        .orElse("{\"error\":\"no pagecache filter is running in this web application\"}")
        .getBytes(StandardCharsets.UTF_8);
    response.setStatus(cache.isPresent() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
    response.setContentType("application/json");
    response.setContentLength(json.length);
    response.getOutputStream().write(json);
  }
}
