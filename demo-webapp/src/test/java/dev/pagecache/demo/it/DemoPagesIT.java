package dev.pagecache.demo.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.demo.server.DemoOptions;
import dev.pagecache.demo.server.DemoServer;
import io.restassured.config.DecoderConfig;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The demo pages behind the cache, on the jar's embedded Jetty, in this JVM, with no delays. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoPagesIT {
  static final String HIT = "pagecache; hit";
  static final String STORED = "pagecache; fwd=uri-miss; stored";

  DemoServer demo;

  @BeforeAll
  void start() throws Exception {
    demo = DemoServer.start(DemoOptions.parse("--port", "0", "--delay-scale", "0", "--cache-size", "64MiB"));
  }

  @AfterAll
  void stop() throws Exception {
    demo.close();
  }

  @BeforeEach
  void emptyCache() {
    demo.pageCache().purgeAll();
  }

  RequestSpecification http() {
    return given().baseUri("http://127.0.0.1").port(demo.port())
        .config(RestAssuredConfig.config().redirect(RedirectConfig.redirectConfig().followRedirects(false)));
  }

  // ---- the home page ----

  @Test
  void homePageIsAMissThenAHitWithTheSameHalfMegabyte() {
    Response miss = http().get("/");
    Response hit = http().get("/");

    assertThat(miss.statusCode()).isEqualTo(200);
    assertThat(miss.header("Cache-Status")).isEqualTo(STORED);
    assertThat(hit.header("Cache-Status")).isEqualTo(HIT);
    assertThat(miss.asByteArray().length).as("home page bytes").isBetween(400_000, 600_000);
    assertThat(hit.asByteArray()).isEqualTo(miss.asByteArray());
    assertThat(hit.contentType()).isEqualToIgnoringCase("text/html;charset=UTF-8");
    assertThat(miss.asString()).contains("<h1>Videos</h1>", "3,000 videos", "/go/v0\"");
  }

  /** The bytes on the wire, in the coding asked for: REST-assured otherwise asks for gzip and decodes it. */
  RequestSpecification wire(String acceptEncoding) {
    RequestSpecification request = given().baseUri("http://127.0.0.1").port(demo.port())
        .config(RestAssuredConfig.config().decoderConfig(DecoderConfig.decoderConfig().noContentDecoders()));
    return acceptEncoding == null ? request : request.header("Accept-Encoding", acceptEncoding);
  }

  @Test
  void homePageHeadIsAnsweredFromTheCachedGet() {
    for (String coding : new String[] {null, "gzip", "br"}) {
      Response get = wire(coding).get("/");
      Response head = wire(coding).head("/");

      assertThat(head.header("Cache-Status")).as(coding).isEqualTo(HIT);
      assertThat(head.header("Content-Encoding")).as(coding).isEqualTo(coding);
      assertThat(head.header("Content-Length")).as(coding).isEqualTo(Integer.toString(get.asByteArray().length));
      assertThat(head.asByteArray()).isEmpty();
    }
  }

  @Test
  void unknownPathsAre404AndNeverCached() {
    Response missing = http().get("/no/such/page");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.header("Cache-Status")).isEqualTo("pagecache; fwd=bypass; detail=no-rule");
  }

  // ---- the wiki ----

  @Test
  void wikiEditIsVisibleOnTheVeryNextView() {
    http().get("/wiki/Sandbox");
    Response cached = http().get("/wiki/Sandbox");
    Response saved = http().formParam("body", "Edited by the test, with a link to [[Home]].").post("/wiki/Sandbox");
    Response after = http().get("/wiki/Sandbox");
    Response again = http().get("/wiki/Sandbox");

    assertThat(cached.header("Cache-Status")).isEqualTo(HIT);
    assertThat(cached.asString()).doesNotContain("Edited by the test");
    assertThat(saved.statusCode()).isEqualTo(303);
    assertThat(saved.header("Location")).isEqualTo("/wiki/Sandbox");
    assertThat(saved.header("Cache-Status")).isEqualTo("pagecache; fwd=method");
    // The edit purged the page's tag, and the wiki refreshes on purge: the next view renders the
    // page (and the refresh finds it stored), or waits for the refresh's render, or finds its copy
    // stored. Either way, the edited page, rendered once.
    assertThat(after.header("Cache-Status")).isIn(STORED, HIT, "pagecache; hit; collapsed",
        "pagecache; fwd=stale; stored; detail=purged");
    assertThat(after.asString()).contains("Edited by the test, with a link to <a href=\"/wiki/Home\">Home</a>.");
    assertThat(again.header("Cache-Status")).isEqualTo(HIT);
    assertThat(again.asString()).isEqualTo(after.asString());
  }

  @Test
  void newWikiPageIs404UntilWrittenAndThenShownAtOnce() {
    Response missing = http().get("/wiki/BrandNew");
    http().formParam("body", "Fresh <page> & text").post("/wiki/BrandNew");
    Response created = http().get("/wiki/BrandNew");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; detail=status");
    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(created.asString()).contains("<p>Fresh &lt;page&gt; &amp; text</p>");
  }

  @Test
  void wikiRefusesEditsWithoutABody() {
    Response response = http().post("/wiki/Sandbox");

    assertThat(response.statusCode()).isEqualTo(400);
  }

  @Test
  void anEditPurgesThePageUnderEveryUrlByItsTag() {
    http().get("/wiki/Sandbox?from=mail");
    Response cached = http().get("/wiki/Sandbox?from=mail");
    http().formParam("body", "Edited: seen under every URL of the page.").post("/wiki/Sandbox");
    Response after = http().get("/wiki/Sandbox?from=mail");

    assertThat(cached.header("Cache-Status")).isEqualTo(HIT);
    assertThat(after.asString()).contains("Edited: seen under every URL of the page.");
  }

  @Test
  void theIndexListsEveryPageAndAnEditOfOneRefreshesIt() {
    http().formParam("body", "Listed on the index.").post("/wiki/IndexEdited");
    http().get("/wiki/");
    Response cached = http().get("/wiki/");
    http().formParam("body", "Listed on the index, edited.").post("/wiki/IndexEdited");
    Response after = http().get("/wiki/");

    assertThat(cached.header("Cache-Status")).isEqualTo(HIT);
    assertThat(cached.asString()).contains("<h1>All wiki pages</h1>", "href=\"/wiki/Home\">Home</a>",
        "href=\"/wiki/IndexEdited\">IndexEdited</a> <span class=\"meta\">revision 1,");
    assertThat(cached.header("Surrogate-Key")).as("the application's word to the cache").isNull();
    // The wiki refreshes on purge: the index may already be a hit again, but on the new revision.
    assertThat(after.asString()).contains("href=\"/wiki/IndexEdited\">IndexEdited</a> <span class=\"meta\">revision 2,");
  }

  @Test
  void aNewPageIsListedOnTheIndexAtOnce() {
    http().get("/wiki/");
    Response cached = http().get("/wiki/");
    http().formParam("body", "Written after the index was cached.").post("/wiki/IndexNew");
    Response after = http().get("/wiki/");
    Response home = http().get("/wiki");

    assertThat(cached.header("Cache-Status")).isEqualTo(HIT);
    assertThat(cached.asString()).doesNotContain("IndexNew");
    assertThat(after.asString()).contains("href=\"/wiki/IndexNew\">IndexNew</a>");
    assertThat(home.statusCode()).isEqualTo(302);
    assertThat(home.header("Location")).endsWith("/wiki/");
  }

  // ---- per-user links ----

  @Test
  void linksAreCachedPerUserAndNeverShownToAnotherUser() {
    Response alice = http().cookie("user", "alice").get("/links?page=1");
    Response bob = http().cookie("user", "bob").get("/links?page=1");
    Response anonymous = http().get("/links?page=1");
    Response aliceAgain = http().cookie("user", "alice").get("/links?page=1");
    Response bobAgain = http().cookie("user", "bob").get("/links?page=1");
    Response anonymousAgain = http().get("/links?page=1");

    assertThat(alice.asString()).contains("<h1>Links for alice</h1>");
    assertThat(bob.asString()).contains("<h1>Links for bob</h1>");
    assertThat(anonymous.asString()).contains("<h1>Links for everyone</h1>");
    assertThat(rankedList(alice)).isNotEqualTo(rankedList(bob)).isNotEqualTo(rankedList(anonymous));
    assertThat(aliceAgain.header("Cache-Status")).isEqualTo(HIT);
    assertThat(aliceAgain.asString()).isEqualTo(alice.asString());
    assertThat(bobAgain.header("Cache-Status")).isEqualTo(HIT);
    assertThat(bobAgain.asString()).isEqualTo(bob.asString());
    assertThat(anonymousAgain.header("Cache-Status")).isEqualTo(HIT);
    assertThat(anonymousAgain.asString()).isEqualTo(anonymous.asString());
    assertThat(alice.header("Cache-Control")).isEqualTo("private");
    assertThat(aliceAgain.header("Cache-Control")).isEqualTo("private");
  }

  @Test
  void linksKeyIsTheUserCookieAndThePageParameterOnly() {
    Response page2 = http().cookie("user", "carol").get("/links?page=2");
    Response withOtherCookieAndTracking = http().header("Cookie", "theme=dark; user=carol")
        .get("/links?utm_source=mail&page=2");
    Response page3 = http().cookie("user", "carol").get("/links?page=3");

    assertThat(page2.asString()).contains("<ol start=\"101\">", "Links for carol");
    assertThat(withOtherCookieAndTracking.header("Cache-Status")).isEqualTo(HIT);
    assertThat(withOtherCookieAndTracking.asString()).isEqualTo(page2.asString());
    assertThat(page3.header("Cache-Status")).isEqualTo(STORED);
    assertThat(page3.asString()).contains("<ol start=\"201\">");
    assertThat(rankedList(page2).split("<li>")).hasSize(101); // 100 links
  }

  @Test
  void linksPageOutOfRangeIsNotFoundAndBadPageIsBadRequest() {
    assertThat(http().get("/links?page=11").statusCode()).isEqualTo(404);
    assertThat(http().get("/links?page=two").statusCode()).isEqualTo(400);
  }

  @Test
  void aFeedShowsOnEveryLinksPageOfItsUserAtOnceAndOnNoOneElses() {
    http().cookie("user", "erin").get("/links?page=1");
    http().cookie("user", "erin").get("/links?page=2");
    http().cookie("user", "frank").get("/links?page=1");
    Response erinCached = http().cookie("user", "erin").get("/links?page=2");
    Response frankBefore = http().cookie("user", "frank").get("/links?page=1");

    Response added = http().cookie("user", "erin").formParam("url", "https://feeds.example/erin?a=1&b='2'")
        .post("/links/feeds");
    Response page1 = http().cookie("user", "erin").get("/links?page=1");
    Response page2 = http().cookie("user", "erin").get("/links?page=2");
    Response frankAfter = http().cookie("user", "frank").get("/links?page=1");

    assertThat(erinCached.header("Cache-Status")).isEqualTo(HIT);
    assertThat(erinCached.asString()).contains("<h2>Your feeds</h2>", "None yet.", "action=\"/links/feeds\"");
    assertThat(added.statusCode()).isEqualTo(303);
    assertThat(added.header("Location")).isEqualTo("/links");
    String shown = "<a href=\"https://feeds.example/erin?a=1&amp;b=&#39;2&#39;\" rel=\"nofollow noopener noreferrer\">"
        + "https://feeds.example/erin?a=1&amp;b=&#39;2&#39;</a>";
    assertThat(page1.asString()).contains(shown);
    assertThat(page2.asString()).contains(shown);
    assertThat(frankAfter.header("Cache-Status")).isEqualTo(HIT);
    assertThat(frankAfter.asString()).isEqualTo(frankBefore.asString()).doesNotContain("feeds.example");
  }

  @Test
  void onlyAUserMayAddAFeedAndOnlyAnHttpUrl() {
    Response noUser = http().formParam("url", "https://feeds.example/x").post("/links/feeds");
    Response badUser = http().cookie("user", "no such user!").formParam("url", "https://feeds.example/x")
        .post("/links/feeds");
    Response script = http().cookie("user", "gina").formParam("url", "javascript:alert(1)").post("/links/feeds");
    Response tooLong = http().cookie("user", "gina")
        .formParam("url", "https://feeds.example/" + "x".repeat(2000)).post("/links/feeds");
    Response none = http().cookie("user", "gina").post("/links/feeds");
    Response anonymousPage = http().get("/links?page=1");

    assertThat(noUser.statusCode()).isEqualTo(403);
    assertThat(badUser.statusCode()).isEqualTo(403);
    assertThat(script.statusCode()).isEqualTo(400);
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(anonymousPage.asString()).contains("Choose a user below to follow feeds.")
        .doesNotContain("action=\"/links/feeds\"");
  }

  @Test
  void loginSetsTheUserCookieAndRedirectsToTheLinks() {
    Response login = http().formParam("user", "dave").post("/login");

    assertThat(login.statusCode()).isEqualTo(303);
    assertThat(login.header("Location")).isEqualTo("/links");
    assertThat(login.getDetailedCookie("user").getValue()).isEqualTo("dave");
    assertThat(login.getDetailedCookie("user").isHttpOnly()).isTrue();
  }

  // ---- short links ----

  @Test
  void shortLinkRedirectIsCachedAndSentPublicForADay() {
    Response miss = http().get("/go/x");
    Response hit = http().get("/go/x");

    assertThat(miss.statusCode()).isEqualTo(301);
    assertThat(miss.header("Location")).isEqualTo("https://example.com/");
    assertThat(miss.header("Cache-Status")).isEqualTo(STORED);
    assertThat(miss.header("Cache-Control")).isEqualTo("public, max-age=86400");
    assertThat(hit.statusCode()).isEqualTo(301);
    assertThat(hit.header("Cache-Status")).isEqualTo(HIT);
    assertThat(hit.header("Location")).isEqualTo("https://example.com/");
    assertThat(hit.header("Cache-Control")).startsWith("public, max-age=");
    assertThat(Long.parseLong(hit.header("Cache-Control").substring("public, max-age=".length())))
        .as("seconds the cache still keeps it").isBetween(86_390L, 86_400L);
  }

  @Test
  void everyVideoAndLinkHasAShortLink() {
    assertThat(http().get("/go/v0").header("Location")).startsWith("https://videos.example.com/watch?v=v0");
    assertThat(http().get("/go/l0").header("Location")).matches("https://[a-z.]+/item/0");
    assertThat(http().get("/go/nope").statusCode()).isEqualTo(404);
  }

  // ---- stats ----

  @Test
  void statsJsonCountsHitsMissesBypassesEntriesAndBytes() {
    http().get("/");
    http().get("/");
    http().get("/favicon.ico");
    JsonPath stats = http().get("/pagecache/stats").then().statusCode(200).contentType("application/json")
        .extract().jsonPath();

    assertThat(stats.getLong("hits")).isGreaterThanOrEqualTo(1);
    assertThat(stats.getLong("misses")).isGreaterThanOrEqualTo(1);
    assertThat(stats.getMap("bypassed")).containsKeys("no-rule", "excluded");
    assertThat(stats.getLong("entries")).isEqualTo(1);
    assertThat(stats.getLong("bytes")).isGreaterThan(400_000);
    assertThat(stats.getLong("maxBytes")).isEqualTo(64L << 20);
    assertThat(stats.getDouble("hitRatio")).isBetween(0.0, 1.0);
  }

  @Test
  void theAdminPageAsksForThePurgeTokenAndIsNeverCached() {
    Response page = http().get("/pagecache/");

    assertThat(page.statusCode()).isEqualTo(401);
    assertThat(page.header("WWW-Authenticate")).startsWith("Basic realm=\"pagecache admin\"");
    assertThat(page.header("Cache-Status")).isEqualTo("pagecache; fwd=bypass; detail=excluded");
    assertThat(page.header("Cache-Control")).isEqualTo("no-store");
    assertThat(http().auth().preemptive().basic("admin", demo.randomPurgeToken().orElseThrow()).get("/pagecache/")
        .asString()).contains("Hit ratio");
    assertThat(http().get("/pagecache").header("Location")).endsWith("/pagecache/");
  }

  @Test
  void everyResponseCarriesCacheStatus() {
    assertThat(http().get("/").header("Cache-Status")).isNotBlank();
    assertThat(http().get("/wiki/Home").header("Cache-Status")).isNotBlank();
    assertThat(http().get("/links").header("Cache-Status")).isNotBlank();
    assertThat(http().get("/go/rfc9111").header("Cache-Status")).isNotBlank();
    assertThat(http().get("/pagecache/stats").header("Cache-Status")).isNotBlank();
    assertThat(http().get("/missing").header("Cache-Status")).isNotBlank();
    assertThat(http().formParam("user", "").post("/login").header("Cache-Status")).isNotBlank();
  }

  // ---- --rules ----

  @Test
  void aRulesFileReplacesTheBuiltInRules(@TempDir Path dir) throws Exception {
    Path rules = Files.writeString(dir.resolve("only-wiki.conf"), "rules = [ { path = \"/wiki/*\", ttl = 1m } ]\n");
    try (DemoServer onlyWiki = DemoServer.start(
        DemoOptions.parse("--port", "0", "--rules", rules.toString(), "--delay-scale", "0"))) {
      Response home = given().port(onlyWiki.port()).get("http://127.0.0.1/");
      given().port(onlyWiki.port()).get("http://127.0.0.1/wiki/Home");
      Response wiki = given().port(onlyWiki.port()).get("http://127.0.0.1/wiki/Home");

      assertThat(home.header("Cache-Status")).isEqualTo("pagecache; fwd=bypass; detail=no-rule");
      assertThat(wiki.header("Cache-Status")).isEqualTo(HIT);
      assertThat(onlyWiki.description()).contains("mode: demo pages (delays x0.0)",
          "rules file " + rules + ": [/wiki/* ttl=60s]");
    }
  }

  /** The ranked list of a links page, without the header and footer that name the user or time. */
  private static String rankedList(Response page) {
    String html = page.asString();
    return html.substring(html.indexOf("<ol"), html.indexOf("</ol>"));
  }
}
