package dev.pagecache.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.PageCacheStats;
import dev.pagecache.rules.RulesFileParser;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The purge endpoint in a real container: {@code PURGE <url>} and {@code POST /pagecache/purge},
 * what they purge (a page served as a hit is rendered afresh afterwards), and who may not purge
 * (nothing changes). Three filters: one configured by init-params with a token and the loopback
 * addresses, one whose allow-list leaves the test client out, and one with an allow-list alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PurgeEndpointContract {
  static final String HIT = "pagecache; hit";
  static final String STORED = "pagecache; fwd=uri-miss; stored";
  static final String TOKEN = "it-purge-token_0123456789-abcdefXYZ";

  static final String RULES = """
      rules = [
        { path = "/page" }
        { path = "/other" }
        { path = "/wiki/*" }
      ]
      """;

  /** Token and loopback allow-list, by init-params as web.xml gives them. */
  Container guarded;
  PageCacheFilter guardedFilter;
  /** The right token, from an address the allow-list leaves out. */
  Container elsewhere;
  PageCacheFilter elsewhereFilter;
  /** The loopback allow-list alone, at a path of its own. */
  Container addressOnly;
  PageCacheFilter addressOnlyFilter;
  Path rulesFile;

  abstract Container start(Container.App app) throws Exception;

  abstract String contextPath();

  @BeforeAll
  void startContainers() throws Exception {
    rulesFile = Files.createTempFile("purge-rules", ".conf");
    Files.writeString(rulesFile, RULES);
    InitParamsFilter byInitParams = new InitParamsFilter(guardedParams());
    guarded = start(new Container.App(contextPath(), List.of(byInitParams), servlets("guarded")));
    guardedFilter = byInitParams.filter;

    elsewhereFilter = new PageCacheFilter(config().purgeToken(TOKEN).purgeAllowFrom(List.of("10.0.0.0/8", "fd00::/8"))
        .build());
    elsewhere = start(new Container.App(contextPath(), List.of(elsewhereFilter), servlets("elsewhere")));

    addressOnlyFilter = new PageCacheFilter(config().purgeAllowFrom(List.of("127.0.0.1", "::1")).purgePath("/admin/purge")
        .build());
    addressOnly = start(new Container.App(contextPath(), List.of(addressOnlyFilter), servlets("address-only")));
  }

  Map<String, String> guardedParams() {
    return Map.of("pagecache.rules", rulesFile.toString(), "pagecache.maxCacheBytes", "16MiB",
        "pagecache.purge.token", TOKEN, "pagecache.purge.allowFrom", "127.0.0.1, ::1");
  }

  static PageCacheConfig.Builder config() {
    return PageCacheConfig.builder().rules(RulesFileParser.parse(RULES, "purge rules")).maxCacheBytes(16L << 20);
  }

  /**
   * Pages that answer GET only, as most servlets do: any other method gets HttpServlet's 501.
   * Renders are counted per container: {@code guarded/page}, {@code guarded/app-saw-endpoint}...
   */
  Map<String, HttpServlet> servlets(String name) {
    Map<String, HttpServlet> servlets = new LinkedHashMap<>();
    servlets.put("/page", new GetOnly(name + "/page", null));
    servlets.put("/other", new GetOnly(name + "/other", null));
    servlets.put("/wiki/*", new GetOnly(name + "/wiki", "wiki"));
    // Endpoint requests must never get here.
    Endpoint leak = (req, res, n) -> res.getWriter().print("the application saw " + req.getMethod());
    servlets.put("/pagecache/*", leak.asServlet(name + "/app-saw-endpoint"));
    servlets.put("/admin/*", leak.asServlet(name + "/app-saw-endpoint"));
    return servlets;
  }

  private static final class GetOnly extends HttpServlet {
    private final String name;
    private final String tag;

    GetOnly(String name, String tag) {
      this.name = name;
      this.tag = tag;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      int render = Endpoint.RENDERS.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
      response.setContentType("text/plain;charset=UTF-8");
      if (tag != null) {
        response.setHeader("Cache-Tag", tag);
      }
      response.getWriter().print(request.getRequestURI() + " render " + render);
    }
  }

  @AfterAll
  void stopContainers() throws Exception {
    for (Container container : new Container[] {guarded, elsewhere, addressOnly}) {
      if (container != null) {
        container.close();
      }
    }
    Files.deleteIfExists(rulesFile);
  }

  @BeforeEach
  void emptyCaches() {
    for (PageCacheFilter filter : List.of(guardedFilter, elsewhereFilter, addressOnlyFilter)) {
      filter.pageCache().orElseThrow().purgeAll();
    }
  }

  static RequestSpecification http(Container container) {
    return given().baseUri("http://127.0.0.1").port(container.port()).basePath(container.contextPath())
        .config(RestAssuredConfig.config().redirect(RedirectConfig.redirectConfig().followRedirects(false)));
  }

  static RequestSpecification withToken(Container container, String token) {
    return http(container).header("Authorization", "Bearer " + token);
  }

  /** The URL of {@code path} as the container's clients request it. */
  static String url(Container container, String path) {
    return "http://127.0.0.1:" + container.port() + container.contextPath() + path;
  }

  /** Renders {@code path} once, checks the next request is a hit, and returns the body. */
  static String cached(Container container, String path) {
    Response stored = http(container).get(path);
    assertThat(stored.header("Cache-Status")).as(path + " stored").isEqualTo(STORED);
    Response hit = http(container).get(path);
    assertThat(hit.header("Cache-Status")).as(path + " hit").isEqualTo(HIT);
    assertThat(hit.asString()).isEqualTo(stored.asString());
    return stored.asString();
  }

  /**
   * A page purged is rendered afresh: a new render number, stored again. A URL purge removes the
   * page (a miss); a prefix or tag purge moves its group's version on, so the old copy is found
   * but stale ({@code fwd=stale; detail=purged}).
   */
  static void assertRenderedAfresh(Container container, String path, String before) {
    Response after = http(container).get(path);
    assertThat(after.header("Cache-Status")).as(path + " after the purge")
        .matches("pagecache; fwd=(uri-miss; stored|stale; stored; detail=purged)");
    assertThat(after.asString()).as(path + " rendered afresh").isNotEqualTo(before);
  }

  static void assertStillAHit(Container container, String path, String before) {
    Response after = http(container).get(path);
    assertThat(after.header("Cache-Status")).as(path + " not purged").isEqualTo(HIT);
    assertThat(after.asString()).isEqualTo(before);
  }

  static PageCacheStats stats(PageCacheFilter filter) {
    return filter.pageCache().orElseThrow().stats();
  }

  String endpoint() {
    return "/pagecache/purge";
  }

  // ---- PURGE <url> ----

  @Test
  void purgeWithTheTokenRendersThatPageAfreshAndNoOther() {
    String page = cached(guarded, "/page");
    String other = cached(guarded, "/other");
    int renders = Endpoint.renders("guarded/page");

    Response purge = withToken(guarded, TOKEN).request("PURGE", "/page");

    assertThat(purge.statusCode()).isEqualTo(200);
    assertThat(purge.contentType()).isEqualToIgnoringCase("application/json;charset=UTF-8");
    assertThat(purge.header("Cache-Control")).isEqualTo("no-store");
    assertThat(purge.asString()).isEqualTo("{\"purged\":{\"urls\":[\"" + url(guarded, "/page")
        + "\"],\"prefixes\":[],\"tags\":[],\"all\":false}}");
    assertThat(Endpoint.renders("guarded/page")).as("the application never saw the PURGE").isEqualTo(renders);
    assertRenderedAfresh(guarded, "/page", page);
    assertStillAHit(guarded, "/other", other);
  }

  @Test
  void purgeKeepsTheQueryOfTheUrlItPurges() {
    String plain = cached(guarded, "/page");
    String withQuery = cached(guarded, "/page?lang=de");

    Response purge = withToken(guarded, TOKEN).request("PURGE", "/page?lang=de");

    assertThat(purge.asString()).contains("\"urls\":[\"" + url(guarded, "/page?lang=de") + "\"]");
    assertRenderedAfresh(guarded, "/page?lang=de", withQuery);
    assertStillAHit(guarded, "/page", plain);
  }

  /** What the container makes of an unknown method, as a client that is not a library sends it. */
  @Test
  void theContainerHandsPurgeOnAsItIsAbsoluteFormIncluded() throws Exception {
    String page = cached(guarded, "/page");

    String answer = RawHttp.exchange(guarded.port(), "PURGE " + url(guarded, "/page") + " HTTP/1.1\r\nHost: 127.0.0.1:"
        + guarded.port() + "\r\nAuthorization: Bearer " + TOKEN + "\r\n", "");

    assertThat(answer).startsWith("HTTP/1.1 200 ").contains("\"urls\":[\"" + url(guarded, "/page") + "\"]");
    assertRenderedAfresh(guarded, "/page", page);
  }

  @Test
  void methodsAreCaseSensitiveSoALowerCasePurgeIsTheApplicationsAndPurgesNothingItself() throws Exception {
    String page = cached(guarded, "/page");

    String answer = RawHttp.exchange(guarded.port(), "purge " + guarded.contextPath() + "/page HTTP/1.1\r\nHost: 127.0.0.1:"
        + guarded.port() + "\r\nAuthorization: Bearer " + TOKEN + "\r\n", "");

    // Neither container upper-cases it: the filter passes it on as a method it does not know,
    // and the application's HttpServlet answers 501, an error, which purges nothing (RFC 9111 §4.4).
    assertThat(answer).startsWith("HTTP/1.1 501 ").containsIgnoringCase("Cache-Status: pagecache; fwd=method")
        .doesNotContain("\"purged\"");
    assertStillAHit(guarded, "/page", page);
  }

  // ---- POST /pagecache/purge ----

  @Test
  void postWithAPathPurgesThatUrlOnTheRequestsOwnHost() {
    String home = cached(guarded, "/wiki/Home");
    String other = cached(guarded, "/wiki/Other");

    Response purge = withToken(guarded, TOKEN).formParam("url", guarded.contextPath() + "/wiki/Home").post(endpoint());

    assertThat(purge.statusCode()).isEqualTo(200);
    assertThat(purge.asString()).isEqualTo("{\"purged\":{\"urls\":[\"" + url(guarded, "/wiki/Home")
        + "\"],\"prefixes\":[],\"tags\":[],\"all\":false}}");
    assertRenderedAfresh(guarded, "/wiki/Home", home);
    assertStillAHit(guarded, "/wiki/Other", other);
  }

  @Test
  void postWithAbsoluteUrlsPurgesEachOfThem() {
    String page = cached(guarded, "/page");
    String home = cached(guarded, "/wiki/Home");
    String other = cached(guarded, "/other");

    Response purge = withToken(guarded, TOKEN).formParam("url", url(guarded, "/page"))
        .formParam("url", url(guarded, "/wiki/Home")).post(endpoint());

    assertThat(purge.statusCode()).isEqualTo(200);
    assertThat(purge.asString()).contains("\"urls\":[\"" + url(guarded, "/page") + "\",\"" + url(guarded, "/wiki/Home") + "\"]");
    assertRenderedAfresh(guarded, "/page", page);
    assertRenderedAfresh(guarded, "/wiki/Home", home);
    assertStillAHit(guarded, "/other", other);
  }

  @Test
  void postAllPurgesEverything() {
    String page = cached(guarded, "/page");
    String home = cached(guarded, "/wiki/Home");

    Response purge = withToken(guarded, TOKEN).formParam("all", "true").post(endpoint());

    assertThat(purge.asString()).isEqualTo("{\"purged\":{\"urls\":[],\"prefixes\":[],\"tags\":[],\"all\":true}}");
    assertRenderedAfresh(guarded, "/page", page);
    assertRenderedAfresh(guarded, "/wiki/Home", home);
  }

  @Test
  void postPrefixPurgesEveryPageBelowItAndNoOther() {
    String home = cached(guarded, "/wiki/Home");
    String deep = cached(guarded, "/wiki/a/b");
    String page = cached(guarded, "/page");

    Response purge = withToken(guarded, TOKEN).formParam("prefix", guarded.contextPath() + "/wiki/").post(endpoint());

    assertThat(purge.statusCode()).isEqualTo(200);
    assertThat(purge.asString()).isEqualTo("{\"purged\":{\"urls\":[],\"prefixes\":[\"" + url(guarded, "/wiki/")
        + "\"],\"tags\":[],\"all\":false}}");
    assertRenderedAfresh(guarded, "/wiki/Home", home);
    assertRenderedAfresh(guarded, "/wiki/a/b", deep);
    assertStillAHit(guarded, "/page", page);
  }

  /** The wiki servlet tags its pages with {@code Cache-Tag: wiki}. */
  @Test
  void postTagPurgesThePagesWithThatTagAndNoOther() {
    String home = cached(guarded, "/wiki/Home");
    String page = cached(guarded, "/page");

    Response purge = withToken(guarded, TOKEN).formParam("tag", "wiki").post(endpoint());

    assertThat(purge.statusCode()).isEqualTo(200);
    assertThat(purge.asString()).isEqualTo("{\"purged\":{\"urls\":[],\"prefixes\":[],\"tags\":[\"wiki\"],\"all\":false}}");
    assertRenderedAfresh(guarded, "/wiki/Home", home);
    assertStillAHit(guarded, "/page", page);
  }

  @Test
  void aRequestThatNamesNothingOrABadUrlIsABadRequestAndPurgesNothing() {
    String page = cached(guarded, "/page");

    Response nothing = withToken(guarded, TOKEN).contentType("application/x-www-form-urlencoded").post(endpoint());
    Response badUrl = withToken(guarded, TOKEN).formParam("url", "http://[::1/page").formParam("all", "true")
        .post(endpoint());

    assertThat(nothing.statusCode()).isEqualTo(400);
    assertThat(nothing.contentType()).isEqualToIgnoringCase("text/plain;charset=UTF-8");
    assertThat(nothing.asString()).startsWith("pagecache: name what to purge");
    assertThat(badUrl.statusCode()).isEqualTo(400);
    assertThat(badUrl.asString()).startsWith("pagecache: url 'http://[::1/page' is not a URL");
    assertStillAHit(guarded, "/page", page);
  }

  @Test
  void everyOtherMethodOnTheEndpointIsNotAllowedAndNeverReachesTheApplication() throws Exception {
    int leaks = Endpoint.renders("guarded/app-saw-endpoint");

    Response get = withToken(guarded, TOKEN).get(endpoint());
    Response put = withToken(guarded, TOKEN).put(endpoint());
    String purge = RawHttp.exchange(guarded.port(), "PURGE " + guarded.contextPath() + endpoint()
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN + "\r\n", "");

    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.header("Allow")).isEqualTo("POST");
    assertThat(put.statusCode()).isEqualTo(405);
    assertThat(purge).startsWith("HTTP/1.1 405 ");
    assertThat(Endpoint.renders("guarded/app-saw-endpoint")).isEqualTo(leaks);
  }

  // ---- who may not purge ----

  @Test
  void withoutTheTokenNothingIsPurgedAndTheClientIsChallenged() throws Exception {
    String page = cached(guarded, "/page");
    long refusedBefore = stats(guardedFilter).purgeRefused();
    long requestsBefore = stats(guardedFilter).purgeRequests();

    Response none = http(guarded).request("PURGE", "/page");
    Response wrong = withToken(guarded, TOKEN + "x").formParam("all", "true").post(endpoint());
    Response basic = http(guarded).auth().preemptive().basic("admin", TOKEN).formParam("all", "true").post(endpoint());
    Response wrongGet = withToken(guarded, "not-the-token-at-all").get(endpoint());

    for (Response refused : List.of(none, wrong, basic, wrongGet)) {
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"pagecache\"");
      assertThat(refused.asString()).doesNotContain(TOKEN).doesNotContain("\"purged\"");
    }
    assertStillAHit(guarded, "/page", page);
    assertThat(stats(guardedFilter).purgeRefused()).isEqualTo(refusedBefore + 4);
    assertThat(stats(guardedFilter).purgeRequests()).isEqualTo(requestsBefore + 4);
    assertThat(Endpoint.renders("guarded/app-saw-endpoint")).isZero();
  }

  @Test
  void fromAnAddressNotAllowedNothingIsPurgedEvenWithTheToken() {
    String page = cached(elsewhere, "/page");
    long refusedBefore = stats(elsewhereFilter).purgeRefused();
    int renders = Endpoint.renders("elsewhere/page");

    Response purge = withToken(elsewhere, TOKEN).request("PURGE", "/page");
    Response all = withToken(elsewhere, TOKEN).formParam("all", "true").post(endpoint());

    assertThat(purge.statusCode()).isEqualTo(403);
    assertThat(purge.header("WWW-Authenticate")).isNull();
    assertThat(purge.asString()).isEqualTo("pagecache: the client's address is not allowed to purge\n");
    assertThat(all.statusCode()).isEqualTo(403);
    assertStillAHit(elsewhere, "/page", page);
    assertThat(stats(elsewhereFilter).purgeRefused()).isEqualTo(refusedBefore + 2);
    assertThat(Endpoint.renders("elsewhere/page")).as("rendered again").isEqualTo(renders);
  }

  @Test
  void anAllowListAloneLetsItsAddressesPurgeWithoutATokenAtItsOwnPath() {
    String page = cached(addressOnly, "/page");

    Response atDefaultPath = http(addressOnly).formParam("all", "true").post("/pagecache/purge");
    String stillCached = http(addressOnly).get("/page").header("Cache-Status");
    Response purge = http(addressOnly).formParam("all", "true").post("/admin/purge");

    assertThat(atDefaultPath.asString()).as("the default path is the application's here")
        .isEqualTo("the application saw POST");
    assertThat(stillCached).isEqualTo(HIT);
    assertThat(purge.statusCode()).isEqualTo(200);
    assertRenderedAfresh(addressOnly, "/page", page);
  }

  @Test
  void aBrowserCannotBeMadeToPurgeFromAnotherSite() {
    String page = cached(addressOnly, "/page");

    // What a form on another site, submitted by a browser on an allowed network, sends.
    Response formPost = http(addressOnly).header("Origin", "https://evil.test").header("Sec-Fetch-Site", "cross-site")
        .formParam("all", "true").post("/admin/purge");
    Response oldBrowser = http(addressOnly).header("Origin", "https://evil.test").formParam("all", "true")
        .post("/admin/purge");

    assertThat(formPost.statusCode()).isEqualTo(403);
    assertThat(formPost.asString()).isEqualTo("pagecache: a browser request from another site may not purge\n");
    assertThat(oldBrowser.statusCode()).isEqualTo(403);
    assertStillAHit(addressOnly, "/page", page);
  }

  // ---- the token stays secret ----

  @Test
  void theTokenNeverReachesALogLineOrAnErrorMessage() throws Exception {
    String wrongToken = "wrong-" + TOKEN;
    String text;
    String startUpError;
    try (LogCapture logs = new LogCapture()) {
      try (Container fresh = start(new Container.App(contextPath(), List.of(new InitParamsFilter(guardedParams())),
          servlets("logged")))) {
        http(fresh).get("/page");
        withToken(fresh, wrongToken).request("PURGE", "/page");
        http(fresh).header("Authorization", TOKEN).request("PURGE", "/page");
        withToken(fresh, TOKEN).request("PURGE", "/page");
        withToken(fresh, TOKEN).formParam("url", "http://[::1/page").post(endpoint());
        withToken(fresh, TOKEN).formParam("all", "true").post(endpoint());
        withToken(fresh, TOKEN).get(endpoint());
      }
      Map<String, String> badParams = new LinkedHashMap<>(guardedParams());
      badParams.put("pagecache.purge.token", "short-" + TOKEN.substring(0, 8));
      startUpError = startUpError(badParams);
      badParams.put("pagecache.purge.token", TOKEN + " with a space");
      startUpError += "\n" + startUpError(badParams);
      text = logs.text();
    }

    assertThat(startUpError).contains("pagecache.purge.token is shorter than 16 characters")
        .contains("pagecache.purge.token may hold only letters").doesNotContain(TOKEN.substring(0, 8));
    assertThat(text).as("what was logged")
        .contains("purge endpoint: PURGE <url> and POST /pagecache/purge (bearer token, from 127.0.0.1, ::1)")
        .contains("purge refused (401) for 127.0.0.1")
        .contains("purge from 127.0.0.1: {\"purged\"");
    assertThat(text).doesNotContain(TOKEN).doesNotContain(wrongToken).doesNotContain(TOKEN.substring(0, 16));
  }

  /** The message a filter with these init-params fails to start with. */
  private static String startUpError(Map<String, String> params) {
    PageCacheFilter filter = new PageCacheFilter();
    try {
      filter.init(TestFilterConfig.of(params));
    } catch (ServletException e) {
      return e.getMessage();
    }
    throw new AssertionError("the filter started with " + params.keySet());
  }

  PageCache guardedCache() {
    return guardedFilter.pageCache().orElseThrow();
  }
}
