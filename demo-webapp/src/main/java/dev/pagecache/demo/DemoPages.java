package dev.pagecache.demo;

import dev.pagecache.admin.PageCacheAdminServlet;
import jakarta.servlet.http.HttpServlet;
import java.util.List;

/**
 * The demo's servlets and where they are mapped: what {@code WEB-INF/web.xml} declares, for
 * servers that register them in code (a test keeps the two the same).
 */
public final class DemoPages {
  /** A servlet, its name and its URL pattern. */
  public record Mapping(String name, Class<? extends HttpServlet> servlet, String urlPattern) {}

  public static final List<Mapping> MAPPINGS = List.of(
      new Mapping("home", HomePage.class, "/"),
      new Mapping("wiki", WikiPage.class, "/wiki/*"),
      new Mapping("links", LinksPage.class, "/links"),
      new Mapping("trending", TrendingPage.class, "/trending"),
      new Mapping("feeds", FeedsServlet.class, "/links/feeds"),
      new Mapping("login", LoginServlet.class, "/login"),
      new Mapping("go", ShortLinks.class, "/go/*"),
      new Mapping("stats", StatsServlet.class, "/pagecache/stats"),
      // The library's admin page; the demo's purge token lets in (see DemoServer).
      new Mapping("admin", PageCacheAdminServlet.class, "/pagecache/*"));

  private DemoPages() {}
}
