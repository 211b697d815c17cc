package dev.pagecache.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.rules.RulesFileParser;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attacks of the web cache poisoning and deception literature, each against the filter in a
 * real container: one bad request must never become everyone's page. Every test names the attack
 * it once let through.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostileClientContract {
  static final String HIT = "pagecache; hit";
  static final String STORED = "pagecache; fwd=uri-miss; stored";

  static final String RULES = """
      rules = [
        { path = "/steered" }
        { path = "/trusting", trustedHeaders = [X-Forwarded-Host] }
        { path = "/ignoring", ignoredHeaders = [X-Original-URL] }
        { path = "/fat" }
        { path = "*.css" }
        { path = "/profile/*" }
        { path = "/search", query { except = [utm_content, utm_source] } }
        { path = "/page" }
      ]
      """;

  PageCacheFilter filter;
  Container container;

  abstract Container start(Container.App app) throws Exception;

  abstract String contextPath();

  @BeforeAll
  void startContainer() throws Exception {
    filter = new PageCacheFilter(PageCacheConfig.builder()
        .rules(RulesFileParser.parse(RULES, "hostile-client rules"))
        .hosts(List.of("127.0.0.1", "localhost"))
        .maxCacheBytes(32L << 20)
        .build());
    container = start(new Container.App(contextPath(), List.of(new CommitFirst(), filter), servlets()));
  }

  @AfterAll
  void stopContainer() throws Exception {
    container.close();
  }

  @BeforeEach
  void emptyCache() {
    cache().purgeAll();
  }

  PageCache cache() {
    return filter.pageCache().orElseThrow();
  }

  RequestSpecification http() {
    return given().baseUri("http://127.0.0.1").port(container.port()).basePath(container.contextPath())
        .config(RestAssuredConfig.config().redirect(RedirectConfig.redirectConfig().followRedirects(false)));
  }

  String raw(String method, String path, String headers, String body) throws IOException {
    return RawHttp.exchange(container.port(), method + " " + contextPath() + path + " HTTP/1.1\r\nHost: 127.0.0.1:"
        + container.port() + "\r\n" + headers, body);
  }

  static String cacheStatus(Response response) {
    return response.header("Cache-Status");
  }

  // ---- 1, 2: unkeyed headers the application honours ----

  @ParameterizedTest
  @ValueSource(strings = {"X-Forwarded-Host", "X-Forwarded-Scheme", "X-Forwarded-Proto", "X-Forwarded-Port",
      "X-Forwarded-Prefix", "X-Host", "Forwarded", "X-Original-URL", "X-Rewrite-URL", "X-HTTP-Method-Override",
      "X-HTTP-Method", "X-Method-Override"})
  void aSteeringHeaderNeverPoisonsThePlainPage(String header) {
    String value = header.equals("Forwarded") ? "host=evil.test;proto=http" : "evil.test";
    Response poisoned = http().header(header, value).get("/steered");
    Response poisonedAgain = http().header(header, value).get("/steered");
    Response plain = http().get("/steered");
    Response plainAgain = http().get("/steered");

    assertThat(poisoned.asString()).as("the application honours it").contains("evil.test");
    assertThat(cacheStatus(poisoned)).isEqualTo(STORED);
    assertThat(cacheStatus(poisonedAgain)).as("its own variant").isEqualTo(HIT);
    assertThat(poisonedAgain.asString()).contains("evil.test");
    assertThat(plain.asString()).doesNotContain("evil.test");
    assertThat(cacheStatus(plain)).isEqualTo("pagecache; fwd=vary-miss; stored");
    assertThat(cacheStatus(plainAgain)).isEqualTo(HIT);
    assertThat(plainAgain.asString()).doesNotContain("evil.test");
    assertThat(http().header(header, value).get("/steered").asString()).as("both variants kept").contains("evil.test");
    assertThat(cache().stats().steeringKeyed()).containsKey(header.toLowerCase(java.util.Locale.ROOT));
  }

  @Test
  void aTrustedHeaderIsLeftOutOfTheKey() {
    // The rule says a balancer overwrites X-Forwarded-Host: the header's pages are the plain ones.
    http().header("X-Forwarded-Host", "www.example.com").get("/trusting");
    Response plain = http().get("/trusting");

    assertThat(cacheStatus(plain)).isEqualTo(HIT);
  }

  @Test
  void anIgnoredHeaderNeverReachesTheApplication() {
    Response rewritten = http().header("X-Original-URL", "/admin").get("/ignoring");
    Response plain = http().get("/ignoring");

    assertThat(rewritten.asString()).doesNotContain("/admin");
    assertThat(cacheStatus(rewritten)).isEqualTo(STORED);
    assertThat(cacheStatus(plain)).isEqualTo(HIT);
  }

  // ---- 3: fat GET ----

  @Test
  void aGetWithABodyIsNeverStored() throws IOException {
    String fat = raw("GET", "/fat", "Content-Length: 11\r\nContent-Type: text/plain\r\n", "q=evil.test");
    Response plain = http().get("/fat");

    assertThat(fat).contains("evil.test");
    assertThat(plain.asString()).doesNotContain("evil.test");
    assertThat(cacheStatus(plain)).isEqualTo(STORED);
  }

  @Test
  void aGetWithABodyIsNeverAnsweredFromTheCache() throws IOException {
    http().get("/fat");
    String withLength = raw("GET", "/fat", "Content-Length: 11\r\nContent-Type: text/plain\r\n", "q=evil.test");
    String chunked = raw("GET", "/fat", "Transfer-Encoding: chunked\r\nContent-Type: text/plain\r\n",
        "b\r\nq=evil.test\r\n0\r\n\r\n");
    Response plain = http().get("/fat");

    assertThat(withLength).contains("evil.test").contains("Cache-Status: pagecache; fwd=bypass; detail=request-body");
    assertThat(chunked).contains("evil.test").contains("detail=request-body");
    assertThat(cacheStatus(plain)).isEqualTo(HIT);
    assertThat(plain.asString()).doesNotContain("evil.test");
  }

  // ---- 4: web cache deception ----

  @Test
  void aProfileAskedForAsAStyleSheetIsNeverStored() {
    Response victim = http().cookie("auth", "alice").get("/profile/nonexistent.css");
    Response attacker = http().get("/profile/nonexistent.css");

    assertThat(victim.asString()).contains("profile of alice");
    assertThat(attacker.asString()).doesNotContain("alice");
    assertThat(cacheStatus(victim)).contains("detail=type-mismatch");
    assertThat(cacheStatus(attacker)).contains("detail=type-mismatch");
  }

  @Test
  void aStyleSheetIsStoredOnlyFromARequestWithoutUnkeyedCookies() {
    Response withCookie = http().cookie("auth", "alice").get("/assets/site.css");
    Response without = http().get("/assets/site.css");
    Response next = http().cookie("auth", "bob").get("/assets/site.css");

    assertThat(withCookie.asString()).contains("alice");
    assertThat(without.asString()).doesNotContain("alice");
    assertThat(cacheStatus(withCookie)).contains("detail=request-cookie");
    assertThat(cacheStatus(without)).isEqualTo(STORED);
    assertThat(cacheStatus(next)).as("served to anyone once stored").isEqualTo(HIT);
    assertThat(next.asString()).isEqualTo(without.asString()).doesNotContain("alice");
  }

  // ---- 5: excluded query parameters ----

  @Test
  void aParameterTheKeyLeavesOutNeverReachesTheApplication() {
    Response poisoned = http().urlEncodingEnabled(false).get("/search?q=cats&utm_content=%3Cscript%3Eevil%3C/script%3E");
    Response plain = http().get("/search?q=cats");

    assertThat(poisoned.asString()).contains("q=cats").doesNotContain("script").doesNotContain("evil");
    assertThat(cacheStatus(poisoned)).isEqualTo(STORED);
    assertThat(cacheStatus(plain)).isEqualTo(HIT);
    assertThat(plain.asString()).doesNotContain("evil");
  }

  @Test
  void aSemicolonInAPartlyKeyedQuerySkipsTheCache() {
    Response separated = http().urlEncodingEnabled(false).get("/search?q=cats&utm_content=x;callback=evil");
    Response plain = http().get("/search?q=cats");

    assertThat(separated.asString()).as("a parser that splits on ';' sees callback").contains("callback=evil");
    assertThat(plain.asString()).doesNotContain("evil");
    assertThat(cacheStatus(separated)).isEqualTo("pagecache; fwd=bypass; detail=query-separator");
    assertThat(cacheStatus(plain)).isEqualTo(STORED);
  }

  // ---- 6: unknown hosts ----

  @Test
  void aHostOutsideTheListSkipsTheCache() throws IOException {
    String first = RawHttp.exchange(container.port(), "GET " + contextPath() + "/page HTTP/1.1\r\nHost: evil.test\r\n", "");
    String second = RawHttp.exchange(container.port(), "GET " + contextPath() + "/page HTTP/1.1\r\nHost: evil.test\r\n", "");

    assertThat(second).doesNotContain("Cache-Status: pagecache; hit");
    assertThat(first).contains("Cache-Status: pagecache; fwd=bypass; detail=unknown-host");
    assertThat(second).contains("detail=unknown-host");
    assertThat(cache().stats().bypassed()).containsKey("unknown-host");
    assertThat(cacheStatus(http().get("/page"))).isEqualTo(STORED);
  }

  // ---- 8: methods of unknown safety ----

  @ParameterizedTest
  @ValueSource(strings = {"FOO", "PROPFIND"})
  void aSuccessfulMethodOfUnknownSafetyInvalidates(String method) throws IOException {
    http().get("/page");
    assertThat(cacheStatus(http().get("/page"))).isEqualTo(HIT);

    String answer = raw(method, "/page", "", "");
    Response after = http().get("/page");

    assertThat(answer).startsWith(method.equals("PROPFIND") ? "HTTP/1.1 207" : "HTTP/1.1 200");
    assertThat(cacheStatus(after)).isEqualTo(STORED);
  }

  // ---- 11: a response committed in front of the cache ----

  @Test
  void aStoredPageIsNeverAppendedToWhatAFilterInFrontAlreadySent() throws IOException {
    Response stored = http().get("/page");
    String committed = raw("GET", "/page", "X-Commit-First: 1\r\n", "");
    Response plain = http().get("/page");

    assertThat(committed).as("the whole response: the application rendered after what the filter in front sent")
        .startsWith("HTTP/1.1 200").containsPattern("sent first\n(\r\n\\w+\r\n)?render \\d+");
    java.util.regex.Matcher rendered = java.util.regex.Pattern.compile("render (\\d+)").matcher(committed);
    assertThat(rendered.find()).isTrue();
    assertThat("render " + rendered.group(1)).as("a render of its own, not the stored page").isNotEqualTo(stored.asString());
    assertThat(cacheStatus(plain)).isEqualTo(HIT);
    assertThat(plain.asString()).isEqualTo(stored.asString());
  }

  /** A filter in front of the cache that commits the response before the cache sees it. */
  static final class CommitFirst implements Filter {
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
      if (((HttpServletRequest) req).getHeader("X-Commit-First") != null) {
        res.setContentType("text/plain;charset=UTF-8");
        res.getWriter().write("sent first\n");
        res.flushBuffer();
      }
      chain.doFilter(req, res);
    }
  }

  private static String cookie(HttpServletRequest request, String name) {
    if (request.getCookies() != null) {
      for (jakarta.servlet.http.Cookie cookie : request.getCookies()) {
        if (cookie.getName().equals(name)) {
          return cookie.getValue();
        }
      }
    }
    return "anonymous";
  }

  private static final List<String> STEERING = List.of("X-Forwarded-Host", "X-Forwarded-Scheme", "X-Forwarded-Proto",
      "X-Forwarded-Port", "X-Forwarded-Prefix", "X-Host", "Forwarded", "X-Original-URL", "X-Rewrite-URL",
      "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

  private Map<String, HttpServlet> servlets() {
    Map<String, HttpServlet> servlets = new LinkedHashMap<>();
    Endpoint steered = (req, res, n) -> {
      // An application that builds links, redirects and routes from what proxies say.
      StringBuilder page = new StringBuilder("<p>render ").append(n).append("</p>");
      for (String header : STEERING) {
        String value = req.getHeader(header);
        if (value != null) {
          page.append("<a href=\"//").append(value).append("/next\">").append(header).append("</a>");
        }
      }
      res.setContentType("text/html;charset=UTF-8");
      res.getWriter().write(page.toString());
    };
    servlets.put("/steered", steered.asServlet("hostile/steered"));
    servlets.put("/trusting", steered.asServlet("hostile/trusting"));
    servlets.put("/ignoring", steered.asServlet("hostile/ignoring"));
    servlets.put("/fat", ((Endpoint) (req, res, n) -> {
      res.setContentType("text/plain;charset=UTF-8");
      res.getWriter().write("render " + n + " body: " + new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }).asServlet("hostile/fat"));
    servlets.put("/profile/*", ((Endpoint) (req, res, n) -> {
      // Cookie authentication of the application's own, and a route that ignores what follows /profile/.
      String user = cookie(req, "auth");
      res.setContentType("text/html;charset=UTF-8");
      res.getWriter().write("<h1>profile of " + user + "</h1>");
    }).asServlet("hostile/profile"));
    servlets.put("/assets/*", ((Endpoint) (req, res, n) -> {
      // A style sheet themed for the logged-in user: it depends on the cookie, as a profile does.
      res.setContentType("text/css");
      res.getWriter().write("/* for " + cookie(req, "auth") + " */ body { color: #" + n + "; }");
    }).asServlet("hostile/assets"));
    servlets.put("/search", ((Endpoint) (req, res, n) -> {
      res.setContentType("text/html;charset=UTF-8");
      // Some frameworks also split parameters on ';' (parameter cloaking).
      String callback = null;
      String query = req.getQueryString() == null ? "" : req.getQueryString();
      for (String pair : query.split("[&;]")) {
        if (pair.startsWith("callback=")) {
          callback = pair.substring("callback=".length());
        }
      }
      res.getWriter().write("render " + n + " query " + req.getQueryString() + " utm_content=" + req.getParameter("utm_content")
          + " q=" + req.getParameter("q") + " callback=" + callback + " " + req.getParameterMap().keySet());
    }).asServlet("hostile/search"));
    servlets.put("/page", ((Endpoint) (req, res, n) -> {
      res.setContentType("text/plain;charset=UTF-8");
      if (req.getMethod().equals("PROPFIND")) {
        res.setStatus(207);
      }
      res.getWriter().write("render " + n);
    }).asServlet("hostile/page"));
    return servlets;
  }
}
