package dev.pagecache.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.rules.RulesFileParser;
import io.restassured.response.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Purges by tag (from {@code Surrogate-Key}, {@code Cache-Tag} or the rule) and by prefix, in one
 * JVM: every page carrying the tag, or under the prefix, is a miss from then on, and no other page
 * is; a rule with {@code refreshOnPurge} has its purged pages rendered again in the background.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TagPurgeContract {
  private static final String HIT = "pagecache; hit";
  private static final String PURGED = "pagecache; fwd=stale; stored; detail=purged";
  private static final String RULES = """
      rules = [
        { path = "/articles/*", tags = ["articles", "article:{path.2}"] }
        { path = "/fresh/*", tags = ["fresh"], refreshOnPurge = true }
        { path = "/slowfresh/*", tags = ["slowfresh"], refreshOnPurge = true }
        { path = "/other/*" }
      ]
      """;
  /** What each page shows, by path inside the application; its tags ride along in Surrogate-Key. */
  private static final Map<String, String> TEXT = new ConcurrentHashMap<>();
  private static final Map<String, String> AUTHOR = new ConcurrentHashMap<>();

  private PageCacheFilter filter;
  private Container container;

  abstract Container start(Container.App app) throws Exception;

  abstract String contextPath();

  @BeforeAll
  void startContainer() throws Exception {
    filter = new PageCacheFilter(PageCacheConfig.builder().rules(RulesFileParser.parse(RULES, "tag purge rules")).build());
    Endpoint page = (req, res, n) -> {
      String path = req.getServletPath() + req.getPathInfo();
      res.setHeader("Surrogate-Key", "author:" + AUTHOR.getOrDefault(path, "nobody"));
      res.addHeader("Cache-Tag", "site, " + req.getServletPath().substring(1));
      res.setContentType("text/plain");
      res.getWriter().print(path + ": " + TEXT.getOrDefault(path, "(empty)"));
    };
    Endpoint slow = (req, res, n) -> {
      Thread.sleep(300);
      res.setContentType("text/plain");
      res.getWriter().print("render " + n);
    };
    container = start(new Container.App(contextPath(), List.of(filter), Map.of(
        "/slowfresh/*", slow.asServlet("tags-slowfresh-" + contextPath()),
        "/articles/*", page.asServlet("tags-articles-" + contextPath()),
        "/fresh/*", page.asServlet("tags-fresh-" + contextPath()),
        "/other/*", page.asServlet("tags-other-" + contextPath()))));
  }

  @AfterAll
  void stop() throws Exception {
    container.close();
  }

  @BeforeEach
  void empty() {
    cache().purgeAll();
  }

  private PageCache cache() {
    return filter.pageCache().orElseThrow();
  }

  private Response get(String path) {
    return given().port(container.port()).get("http://127.0.0.1" + contextPath() + path);
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + container.port() + contextPath() + path);
  }

  /** Renders and stores each page, then checks the next request is a hit. */
  private void cached(String... paths) {
    for (String path : paths) {
      get(path);
      assertThat(get(path).header("Cache-Status")).as(path).isEqualTo(HIT);
    }
  }

  @Test
  void aTagFromTheResponseStopsEveryPageCarryingItAndNoOther() {
    AUTHOR.put("/articles/1", "ann");
    AUTHOR.put("/other/2", "ann");
    AUTHOR.put("/articles/3", "bob");
    cached("/articles/1", "/other/2", "/articles/3");

    cache().purgeTag("author:ann");

    assertThat(get("/articles/1").header("Cache-Status")).isEqualTo(PURGED);
    assertThat(get("/other/2").header("Cache-Status")).isEqualTo(PURGED);
    assertThat(get("/articles/3").header("Cache-Status")).isEqualTo(HIT);
    assertThat(get("/articles/1").header("Cache-Status")).as("stored again").isEqualTo(HIT);
  }

  @Test
  void aCacheTagAndARuleTagEachStopTheirPages() {
    cached("/articles/7", "/articles/8", "/other/9");

    cache().purgeTag("article:7");
    assertThat(get("/articles/7").header("Cache-Status")).isEqualTo(PURGED);
    assertThat(get("/articles/8").header("Cache-Status")).isEqualTo(HIT);

    cache().purgeTag("other"); // from Cache-Tag: site, other
    assertThat(get("/other/9").header("Cache-Status")).isEqualTo(PURGED);
    assertThat(get("/articles/8").header("Cache-Status")).isEqualTo(HIT);
  }

  @Test
  void aPrefixPurgeStopsEveryUrlUnderItInWholeSegments() {
    cached("/articles/a", "/articles/b?page=2", "/other/a");

    cache().purgePrefix(url("/articles/"));

    assertThat(get("/articles/a").header("Cache-Status")).isEqualTo(PURGED);
    assertThat(get("/articles/b?page=2").header("Cache-Status")).isEqualTo(PURGED);
    assertThat(get("/other/a").header("Cache-Status")).isEqualTo(HIT);
  }

  @Test
  void aUrlPurgeStopsThatUrlOnly() {
    cached("/articles/u", "/articles/v");

    cache().purge(url("/articles/u"));

    assertThat(get("/articles/u").header("Cache-Status")).startsWith("pagecache; fwd=");
    assertThat(get("/articles/v").header("Cache-Status")).isEqualTo(HIT);
  }

  @Test
  void aVisitorRightAfterAPurgeAndTheRefreshShareOneRender() throws Exception {
    String renders = "tags-slowfresh-" + contextPath();
    cached("/slowfresh/s");
    int before = Endpoint.renders(renders);

    cache().purgeTag("slowfresh"); // queues the refresh, which starts at once
    Response visitor = get("/slowfresh/s"); // meanwhile: waits for the refresh, or leads and the refresh waits
    Response next = get("/slowfresh/s");
    Thread.sleep(1500); // five renders' time: a second render, if any, has happened by now

    assertThat(Endpoint.renders(renders)).as("one render for the visitor and the refresh").isEqualTo(before + 1);
    assertThat(next.asString()).isEqualTo(visitor.asString());
    assertThat(next.header("Cache-Status")).isEqualTo(HIT);
  }

  @Test
  void aPageOfARuleWithRefreshOnPurgeIsRenderedAgainBeforeItsNextVisitor() throws Exception {
    TEXT.put("/fresh/r", "old");
    cached("/fresh/r");
    TEXT.put("/fresh/r", "new");
    long storesBefore = cache().stats().stores();

    cache().purgeTag("fresh");

    // No visitor comes: the background refresh renders and stores the page on its own.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (cache().stats().stores() == storesBefore) {
      assertThat(System.nanoTime()).as("the refresh stored the page again").isLessThan(deadline);
      Thread.sleep(10);
    }
    Response visitor = get("/fresh/r");
    assertThat(visitor.header("Cache-Status")).isEqualTo(HIT);
    assertThat(visitor.asString()).endsWith("new");
    assertThat(cache().stats().purges().get("refreshesQueued")).isEqualTo(1);
  }
}
