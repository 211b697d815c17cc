package dev.pagecache.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.StoredPage;
import dev.pagecache.admin.PageCacheAdminServlet;
import dev.pagecache.rules.RulesFileParser;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.htmlunit.BrowserVersion;
import org.htmlunit.DefaultCredentialsProvider;
import org.htmlunit.WebClient;
import org.htmlunit.WebResponse;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlTable;
import org.htmlunit.html.HtmlTableRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The admin page in a browser-like client (HtmlUnit): it signs in with the purge token, sorts the
 * listing by clicking its links, submits the look-up and purge forms, and sees what it did. Three
 * applications: one whose purge endpoint the page shares, one with no purge endpoint and no setting
 * of its own (closed), one whose servlet has a token of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AdminPageContract {
  static final String TOKEN = "admin-it-purge-token_0123456789";
  static final String OWN_TOKEN = "admin-it-own-token_9876543210";
  static final String HOSTILE = "<script>alert('x')</script>&\"q\"";

  static final String RULES = """
      rules = [
        { path = "/page" }
        { path = "/wiki/*" }
        { path = "/themed", keyHeaders = [X-Theme] }
      ]
      """;

  Container shared;
  PageCacheFilter sharedFilter;
  Container closed;
  Container own;
  WebClient browser;

  abstract Container start(Container.App app) throws Exception;

  abstract String contextPath();

  @BeforeAll
  void startContainers() throws Exception {
    sharedFilter = new PageCacheFilter(config().purgeToken(TOKEN).purgeAllowFrom(List.of("127.0.0.1", "::1")).build());
    shared = start(new Container.App(contextPath(), List.of(sharedFilter), servlets(new PageCacheAdminServlet())));
    closed = start(new Container.App(contextPath(), List.of(new PageCacheFilter(config().build())),
        servlets(new PageCacheAdminServlet())));
    own = start(new Container.App(contextPath(), List.of(new PageCacheFilter(config().build())),
        servlets(new PageCacheAdminServlet(Optional.of(OWN_TOKEN), List.of()))));
  }

  static PageCacheConfig.Builder config() {
    return PageCacheConfig.builder().rules(RulesFileParser.parse(RULES, "admin rules")).maxCacheBytes(16L << 20);
  }

  static Map<String, HttpServlet> servlets(PageCacheAdminServlet admin) {
    Map<String, HttpServlet> servlets = new LinkedHashMap<>();
    Endpoint page = (req, res, render) -> {
      res.setContentType("text/plain;charset=UTF-8");
      res.setHeader("Vary", "Accept-Language");
      res.getWriter().print("page " + req.getHeader("Accept-Language") + " render " + render);
    };
    Endpoint wiki = (req, res, render) -> {
      res.setContentType("text/html;charset=UTF-8");
      res.setHeader("Cache-Tag", "wiki, " + "<script>alert(1)</script>");
      res.getWriter().print("<p>" + req.getRequestURI() + " render " + render + "</p>");
    };
    Endpoint themed = (req, res, render) -> {
      res.setContentType("text/plain;charset=UTF-8");
      res.getWriter().print("themed render " + render);
    };
    servlets.put("/page", page.asServlet("admin/page"));
    servlets.put("/wiki/*", wiki.asServlet("admin/wiki"));
    servlets.put("/themed", themed.asServlet("admin/themed"));
    servlets.put("/pagecache/*", admin);
    return servlets;
  }

  @AfterAll
  void stopContainers() throws Exception {
    for (Container container : new Container[] {shared, closed, own}) {
      if (container != null) {
        container.close();
      }
    }
  }

  @BeforeEach
  void browserAndEmptyCache() {
    sharedFilter.pageCache().orElseThrow().purgeAll();
    browser = new WebClient(BrowserVersion.BEST_SUPPORTED);
    browser.getOptions().setJavaScriptEnabled(false);
    browser.getOptions().setCssEnabled(false);
    browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
    browser.getOptions().setPrintContentOnFailingStatusCode(false);
    signIn(TOKEN);
  }

  @AfterEach
  void closeBrowser() {
    browser.close();
  }

  void signIn(String token) {
    DefaultCredentialsProvider credentials = new DefaultCredentialsProvider();
    credentials.addCredentials("admin", token.toCharArray());
    browser.setCredentialsProvider(credentials);
  }

  static RequestSpecification http(Container container) {
    return given().baseUri("http://127.0.0.1").port(container.port()).basePath(container.contextPath())
        .config(RestAssuredConfig.config().redirect(RedirectConfig.redirectConfig().followRedirects(false)));
  }

  static String admin(Container container) {
    return "http://127.0.0.1:" + container.port() + container.contextPath() + "/pagecache/";
  }

  static String url(Container container, String path) {
    return "http://127.0.0.1:" + container.port() + container.contextPath() + path;
  }

  /** The key URL of {@code path}: the port always written. */
  String keyUrl(String path) {
    return url(shared, path);
  }

  Response get(String path, String acceptLanguage) {
    return http(shared).header("Accept-Language", acceptLanguage).get(path);
  }

  HtmlPage open(String url) throws Exception {
    return browser.getPage(url);
  }

  /** Clicks the form's button, as a user would. */
  static HtmlPage submit(HtmlForm form) throws Exception {
    return ((org.htmlunit.html.HtmlButton) form.getElementsByTagName("button").get(0)).click();
  }

  static List<String> column(HtmlPage page, String tableId, int column) {
    HtmlTable table = page.getHtmlElementById(tableId);
    return table.getRows().stream().skip(1).map(row -> row.getCell(column).asNormalizedText()).toList();
  }

  // ---- reading ----

  @Test
  void theSummaryShowsTheStatsAndThePurgeForms() throws Exception {
    long hitsBefore = sharedFilter.pageCache().orElseThrow().stats().hits();
    http(shared).get("/wiki/Home");
    http(shared).get("/wiki/Home");
    HtmlPage summary = open(admin(shared));
    assertThat(summary.getWebResponse().getStatusCode()).isEqualTo(200);
    assertThat(summary.getTitleText()).isEqualTo("pagecache: Summary");
    HtmlTable stats = summary.getHtmlElementById("stats");
    Map<String, String> figures = new LinkedHashMap<>();
    for (HtmlTableRow row : stats.getRows()) {
      figures.put(row.getCell(0).asNormalizedText(), row.getCell(1).asNormalizedText());
    }
    assertThat(figures).containsEntry("hits", String.valueOf(hitsBefore + 1)).containsEntry("entries", "1");
    assertThat(figures.get("bypassed")).as("a map of counts").contains("no-rule: ");
    assertThat(summary.getForms()).extracting(HtmlForm::getId)
        .contains("purge-url", "purge-prefix", "purge-tag", "purge-all");
  }

  @Test
  void theListingShowsEachCopyAndItsLinksSortIt() throws Exception {
    get("/page", "en");
    get("/page", "fr");
    for (int i = 0; i < 3; i++) {
      http(shared).get("/wiki/Popular");
    }
    http(shared).get("/wiki/Quiet");

    HtmlPage listing = open(admin(shared) + "entries");
    assertThat(listing.getHtmlElementById("range").asNormalizedText()).startsWith("Copies 1–4 of 4");
    assertThat(column(listing, "entries", 0)).containsExactly(keyUrl("/page"), keyUrl("/page"),
        keyUrl("/wiki/Popular"), keyUrl("/wiki/Quiet"));
    assertThat(column(listing, "entries", 1)).contains("accept-language: en", "accept-language: fr");

    HtmlPage byHits = ((HtmlAnchor) listing.getHtmlElementById("sort-hits")).click();
    assertThat(byHits.getUrl().getQuery()).isEqualTo("sort=hits&dir=desc");
    assertThat(column(byHits, "entries", 0).get(0)).isEqualTo(keyUrl("/wiki/Popular"));
    assertThat(column(byHits, "entries", 6).get(0)).isEqualTo("2"); // a miss, then two hits
    HtmlPage byHitsAscending = ((HtmlAnchor) byHits.getHtmlElementById("sort-hits")).click();
    assertThat(column(byHitsAscending, "entries", 0).get(3)).isEqualTo(keyUrl("/wiki/Popular"));
    assertThat(column(byHitsAscending, "entries", 7)).containsOnly("memory");
  }

  @Test
  void theListingIsPagedAndNeverLongerThanAPage() throws Exception {
    for (int i = 0; i < 55; i++) {
      http(shared).get("/wiki/Page" + i);
    }
    HtmlPage first = open(admin(shared) + "entries");
    assertThat(column(first, "entries", 0)).hasSize(50);
    HtmlPage second = ((HtmlAnchor) first.getHtmlElementById("next")).click();
    assertThat(column(second, "entries", 0)).hasSize(5);
    assertThat(second.getHtmlElementById("range").asNormalizedText()).startsWith("Copies 51–55 of 55");
    HtmlPage back = ((HtmlAnchor) second.getHtmlElementById("previous")).click();
    assertThat(back.getHtmlElementById("range").asNormalizedText()).startsWith("Copies 1–50 of 55");
  }

  @Test
  void aLookupFindsEveryVariantOfTheUrlAndItsButtonPurgesThem() throws Exception {
    get("/page", "en");
    get("/page", "fr");
    get("/page", "fr");
    HtmlPage form = open(admin(shared) + "lookup");
    HtmlForm lookup = form.getHtmlElementById("lookup");
    lookup.getInputByName("url").setValue(contextPath() + "/page");
    HtmlPage found = submit(lookup);
    assertThat(found.getHtmlElementById("found").asNormalizedText()).startsWith("2 copies");
    assertThat(column(found, "copies", 1)).containsExactly("accept-language: en", "accept-language: fr");
    assertThat(column(found, "copies", 6)).containsExactly("0", "1");

    List<StoredPage> api = sharedFilter.pageCache().orElseThrow().lookup(URI.create(url(shared, "/page?")));
    assertThat(api).hasSize(2).allSatisfy(copy -> {
      assertThat(copy.layer()).isEqualTo(StoredPage.Layer.MEMORY);
      assertThat(copy.rule()).isEqualTo("rule '/page' (line 2)");
      assertThat(copy.status()).isEqualTo(200);
    });

    HtmlPage afterPurge = submit(((HtmlForm) found.getHtmlElementById("purge-this")));
    assertThat(afterPurge.getUrl().getPath()).endsWith("/pagecache/lookup");
    assertThat(afterPurge.getHtmlElementById("found").asNormalizedText()).startsWith("0 copies");
    assertThat(get("/page", "fr").header("Cache-Status")).startsWith("pagecache; fwd=uri-miss");
  }

  @Test
  void aLookupOfAUrlNoRuleCachesFindsNothingAndABadUrlIsSaidSo() throws Exception {
    HtmlPage none = open(admin(shared) + "lookup?url=" + java.net.URLEncoder.encode("/nowhere", "UTF-8"));
    assertThat(none.getHtmlElementById("found").asNormalizedText()).startsWith("0 copies");
    HtmlPage bad = open(admin(shared) + "lookup?url=ftp%3A%2F%2Fx");
    assertThat(bad.getWebResponse().getStatusCode()).isEqualTo(400);
    assertThat(bad.getHtmlElementById("problem").asNormalizedText()).contains("neither an http(s) URL");
  }

  // ---- purging ----

  @Test
  void thePurgeFormsPurgeATagAPrefixAUrlAndEverythingThenRedirectBack() throws Exception {
    http(shared).get("/wiki/A");
    http(shared).get("/wiki/B");
    get("/page", "en");
    HtmlPage summary = open(admin(shared));
    HtmlForm tag = summary.getHtmlElementById("purge-tag");
    tag.getInputByName("value").setValue("wiki");
    HtmlPage afterTag = submit(tag);
    assertThat(afterTag.getUrl().getPath()).isEqualTo(contextPath() + "/pagecache/");
    assertThat(afterTag.getHtmlElementById("notice").asNormalizedText()).isEqualTo("Purged tag wiki.");
    assertThat(http(shared).get("/wiki/A").header("Cache-Status")).contains("detail=purged");
    assertThat(get("/page", "en").header("Cache-Status")).isEqualTo("pagecache; hit");

    HtmlForm prefix = afterTag.getHtmlElementById("purge-prefix");
    prefix.getInputByName("value").setValue(contextPath() + "/wiki");
    submit(prefix);
    assertThat(http(shared).get("/wiki/B").header("Cache-Status")).contains("detail=purged");

    HtmlForm all = open(admin(shared)).getHtmlElementById("purge-all");
    HtmlPage afterAll = submit(all);
    assertThat(afterAll.getHtmlElementById("notice").asNormalizedText()).isEqualTo("Purged everything.");
    assertThat(get("/page", "en").header("Cache-Status")).isNotEqualTo("pagecache; hit");
    assertThat(sharedFilter.pageCache().orElseThrow().entries(StoredPage.Order.URL, false, 0, 10).pages())
        .extracting(StoredPage::url).containsExactly(keyUrl("/page"));
  }

  @Test
  void aPurgeFromAnotherSiteOrWithoutTheFormTokenIsRefusedAndPurgesNothing() throws Exception {
    http(shared).get("/wiki/Kept");
    String page = http(shared).auth().preemptive().basic("admin", TOKEN).get("/pagecache/").asString();
    Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
    assertThat(csrf.find()).isTrue();
    String own = "http://127.0.0.1:" + shared.port();

    Response crossSite = purgeAll().header("Sec-Fetch-Site", "cross-site").header("Origin", "http://evil.example")
        .formParam("csrf", csrf.group(1)).post("/pagecache/action/purge");
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(crossSite.asString()).contains("from the pagecache admin page itself");
    assertThat(purgeAll().header("Origin", "http://evil.example").formParam("csrf", csrf.group(1))
        .post("/pagecache/action/purge").statusCode()).isEqualTo(403);
    assertThat(purgeAll().formParam("csrf", csrf.group(1)).post("/pagecache/action/purge").statusCode())
        .as("neither Origin nor Sec-Fetch-Site").isEqualTo(403);
    Response noToken = purgeAll().header("Origin", own).post("/pagecache/action/purge");
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.asString()).contains("form&#39;s token");
    assertThat(purgeAll().header("Sec-Fetch-Site", "same-origin").formParam("csrf", csrf.group(1) + "x")
        .post("/pagecache/action/purge").statusCode()).isEqualTo(403);
    assertThat(http(shared).get("/wiki/Kept").header("Cache-Status")).isEqualTo("pagecache; hit");

    Response sameOrigin = purgeAll().header("Origin", own).formParam("csrf", csrf.group(1))
        .post("/pagecache/action/purge");
    assertThat(sameOrigin.statusCode()).isEqualTo(303);
    assertThat(http(shared).get("/wiki/Kept").header("Cache-Status")).isNotEqualTo("pagecache; hit");
  }

  private RequestSpecification purgeAll() {
    return http(shared).auth().preemptive().basic("admin", TOKEN).formParam("kind", "all");
  }

  // ---- who may come in ----

  @Test
  void withoutTheTokenTheBrowserIsAskedToSignInAndSeesNothing() {
    Response anonymous = http(shared).get("/pagecache/entries");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.header("WWW-Authenticate")).startsWith("Basic realm=\"pagecache admin\"");
    assertThat(anonymous.asString()).contains("the purge token as the password").doesNotContain("<table");
    Response wrong = http(shared).auth().preemptive().basic("admin", TOKEN + "x").get("/pagecache/");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(http(shared).header("Authorization", "Bearer " + TOKEN).get("/pagecache/").statusCode())
        .as("a script may send the purge endpoint's bearer header").isEqualTo(200);
  }

  @Test
  void withNeitherAPurgeEndpointNorSettingsOfItsOwnThePageIsClosedAndSaysWhy() {
    Response refused = http(closed).auth().preemptive().basic("admin", TOKEN).get("/pagecache/");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.asString()).contains("closed").contains("pagecache.purge.token")
        .contains("pagecache.admin.token").contains("pagecache.admin.allowFrom");
    assertThat(http(closed).formParam("kind", "all").post("/pagecache/action/purge").statusCode()).isEqualTo(403);
  }

  @Test
  void aServletWithATokenOfItsOwnLetsInThatTokenOnly() throws Exception {
    assertThat(http(own).auth().preemptive().basic("admin", TOKEN).get("/pagecache/").statusCode()).isEqualTo(401);
    signIn(OWN_TOKEN);
    HtmlPage summary = open(admin(own));
    assertThat(summary.getWebResponse().getStatusCode()).isEqualTo(200);
    assertThat(summary.getTitleText()).isEqualTo("pagecache: Summary");
  }

  @Test
  void everyAnswerForbidsScriptsFramingSniffingAndStoring() {
    for (Response response : List.of(http(shared).get("/pagecache/"),
        http(shared).auth().preemptive().basic("admin", TOKEN).get("/pagecache/"),
        http(closed).get("/pagecache/entries"))) {
      assertThat(response.header("Content-Security-Policy")).startsWith("default-src 'none'; style-src 'unsafe-inline'");
      assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
      assertThat(response.header("Cache-Control")).isEqualTo("no-store");
      assertThat(response.contentType()).isEqualToIgnoringCase("text/html;charset=UTF-8");
    }
    assertThat(http(shared).get("/pagecache").statusCode()).as("to the slash").isEqualTo(302);
  }

  // ---- hostile text ----

  @Test
  void whatClientsSentIsShownEscapedNeverAsMarkup() throws Exception {
    http(shared).header("X-Theme", HOSTILE).get("/themed");
    http(shared).get("/wiki/Tagged");
    HtmlPage listing = open(admin(shared) + "entries");
    assertThat(column(listing, "entries", 1)).contains("x-theme: " + HOSTILE);
    HtmlPage found = open(admin(shared) + "lookup?url=" + java.net.URLEncoder.encode(contextPath() + "/wiki/Tagged", "UTF-8"));
    assertThat(column(found, "copies", 10)).containsExactly("wiki, <script>alert(1)</script>");
    HtmlPage notice = open(admin(shared) + "?purged=" + java.net.URLEncoder.encode(HOSTILE, "UTF-8"));
    HtmlPage lookupEcho = open(admin(shared) + "lookup?url=" + java.net.URLEncoder.encode("/wiki/" + HOSTILE, "UTF-8"));
    for (HtmlPage page : List.of(listing, found, notice, lookupEcho)) {
      WebResponse raw = page.getWebResponse();
      assertThat(page.getElementsByTagName("script")).as(page.getUrl().toString()).isEmpty();
      assertThat(raw.getContentAsString()).doesNotContain("<script>").doesNotContain("alert('x')</");
    }
    assertThat(listing.getWebResponse().getContentAsString())
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;q&quot;");
    assertThat(notice.getHtmlElementById("notice").asNormalizedText()).isEqualTo("Purged " + HOSTILE + ".");
  }

  @Test
  void theApiListsBoundedSortedPagesAndRefusesUnboundedOnes() {
    PageCache cache = sharedFilter.pageCache().orElseThrow();
    for (int i = 0; i < 5; i++) {
      http(shared).get("/wiki/P" + i);
    }
    StoredPage.Listing listing = cache.entries(StoredPage.Order.URL, true, 1, 2);
    assertThat(listing.total()).isEqualTo(5);
    assertThat(listing.pages()).extracting(StoredPage::url).containsExactly(keyUrl("/wiki/P3"), keyUrl("/wiki/P2"));
    assertThat(listing.pages().get(0).forms()).containsKey("identity");
    assertThat(listing.pages().get(0).tags()).contains("wiki");
    assertThat(listing.pages().get(0).stale()).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.entries(StoredPage.Order.URL, false, 0, 1001))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
