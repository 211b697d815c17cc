package dev.pagecache.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.rules.RulesFileParser;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The behaviour contract of the filter, over real HTTP against a real container. Subclasses say
 * which container; every test runs in each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PageCacheContract {
  static final String HIT = "pagecache; hit";
  static final String HIT_COLLAPSED = "pagecache; hit; collapsed";
  static final String STORED = "pagecache; fwd=uri-miss; stored";
  static final HttpClient HTTP_CLIENT = HttpClient.newHttpClient();

  final MutableClock clock = MutableClock.startingNow();
  PageCacheFilter filter;
  Container container;

  /** Starts the container with the given app. */
  abstract Container start(Container.App app) throws Exception;

  /** The context path the app is deployed under ("" for the root). */
  abstract String contextPath();

  private Locale originalLocale;

  /** The default locale the container runs under; null keeps the JVM's. */
  Locale locale() {
    return null;
  }

  @BeforeAll
  void startContainer() throws Exception {
    originalLocale = Locale.getDefault();
    if (locale() != null) {
      Locale.setDefault(locale());
    }
    PageCacheConfig config = PageCacheConfig.builder()
        .rules(RulesFileParser.parse(TestOrigin.RULES, "test rules"))
        .maxCacheBytes(64L << 20)
        .clock(clock)
        .build();
    filter = new PageCacheFilter(config);
    container = start(new Container.App(contextPath(), List.of(new MeddlingFilter(), new FrontFilter(), filter),
        new TestOrigin().servlets()));
  }

  @AfterAll
  void stopContainer() throws Exception {
    container.close();
    Locale.setDefault(originalLocale);
  }

  @BeforeEach
  void emptyCache() {
    cache().purgeAll();
    TestOrigin.staleMode = "ok";
  }

  PageCache cache() {
    return filter.pageCache().orElseThrow();
  }

  RequestSpecification http() {
    return given().baseUri("http://127.0.0.1").port(container.port()).basePath(container.contextPath())
        .config(RestAssuredConfig.config().redirect(RedirectConfig.redirectConfig().followRedirects(false)));
  }

  /**
   * For error statuses: REST-assured looks up its failure handler with a default-locale
   * {@code toLowerCase()}, which fails under the Turkish locale this contract also runs in.
   */
  HttpResponse<String> plainGet(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + container.port() + container.contextPath() + path)).build();
    return HTTP_CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static String cacheStatus(HttpResponse<String> response) {
    return response.headers().firstValue("Cache-Status").orElse(null);
  }

  /**
   * A response the container could finish on its own (a declared Content-Length, or a body past
   * its buffer) may reach the client a moment before the filter has stored it: wait for the store.
   */
  void awaitStores(long atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (cache().stats().stores() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(cache().stats().stores()).as("stores").isGreaterThanOrEqualTo(atLeast);
  }

  static String cacheStatus(Response response) {
    return response.header("Cache-Status");
  }

  // ---- hits and misses ----

  @Test
  void secondRequestIsAHitThatDoesNotCallTheServlet() {
    int before = Endpoint.renders("page");
    Response miss = http().get("/page");
    Response hit = http().get("/page");

    assertThat(cacheStatus(miss)).isEqualTo(STORED);
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(Endpoint.renders("page")).as("servlet renders").isEqualTo(before + 1);
    assertThat(hit.asString()).isEqualTo(miss.asString()).startsWith("<p>page render");
    assertThat(hit.statusCode()).isEqualTo(200);
    assertThat(hit.contentType()).isEqualTo(miss.contentType()).containsIgnoringCase("charset=utf-8");
    assertThat(hit.header("Age")).isEqualTo("0");
  }

  @Test
  void hitRepeatsTheStoredDateOnceAndCountsAge() {
    Response miss = http().get("/page");
    clock.advance(Duration.ofSeconds(7));
    Response hit = http().get("/page");

    assertThat(hit.headers().getValues("Date")).as("Date fields on the hit").hasSize(1);
    assertThat(hit.header("Date")).isEqualTo(miss.header("Date"));
    assertThat(hit.header("Age")).isEqualTo("7");
  }

  @Test
  void utf8WriterBodyIsStoredByteForByte() {
    Response miss = http().get("/utf8");
    Response hit = http().get("/utf8");

    byte[] expected = (TestOrigin.UTF8_TEXT + miss.asString().substring(TestOrigin.UTF8_TEXT.length()))
        .getBytes(StandardCharsets.UTF_8);
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(miss.asByteArray()).isEqualTo(expected);
    assertThat(hit.asByteArray()).isEqualTo(miss.asByteArray());
    assertThat(new String(hit.asByteArray(), StandardCharsets.UTF_8)).startsWith(TestOrigin.UTF8_TEXT);
    assertThat(hit.contentType()).isEqualTo(miss.contentType()).containsIgnoringCase("utf-8");
  }

  @Test
  void latin1WriterBodyIsStoredByteForByte() {
    Response miss = http().get("/latin1");
    Response hit = http().get("/latin1");

    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(new String(miss.asByteArray(), StandardCharsets.ISO_8859_1)).startsWith(TestOrigin.LATIN1_TEXT);
    assertThat(hit.asByteArray()).isEqualTo(miss.asByteArray());
    assertThat(hit.contentType()).isEqualTo(miss.contentType()).containsIgnoringCase("ISO-8859-1");
  }

  @Test
  void repeatedHeadersKeepTheirOrder() {
    Response miss = http().get("/headers");
    Response hit = http().get("/headers");

    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    for (Response response : List.of(miss, hit)) {
      assertThat(response.headers().getValues("X-Multi")).containsExactly("one", "two", "three");
      assertThat(response.headers().getValues("Link")).containsExactly("</a.css>; rel=preload", "</b.js>; rel=preload");
    }
    assertThat(hit.header("X-Render")).isEqualTo(miss.header("X-Render"));
  }

  @Test
  void requestsMatchingNoRuleOrAnExcludingRuleAreNotCached() {
    int plain = Endpoint.renders("plain");
    int excluded = Endpoint.renders("excluded");
    Response first = http().get("/plain");
    http().get("/plain");
    Response excludedResponse = http().get("/excluded");
    http().get("/excluded");

    assertThat(cacheStatus(first)).isEqualTo("pagecache; fwd=bypass; detail=no-rule");
    assertThat(cacheStatus(excludedResponse)).isEqualTo("pagecache; fwd=bypass; detail=excluded");
    assertThat(Endpoint.renders("plain")).isEqualTo(plain + 2);
    assertThat(Endpoint.renders("excluded")).isEqualTo(excluded + 2);
  }

  // ---- redirects and errors ----

  @Test
  void permanentRedirectIsCachedWithItsLocation() {
    Response miss = http().get("/moved");
    Response hit = http().get("/moved");

    assertThat(miss.statusCode()).isEqualTo(301);
    assertThat(hit.statusCode()).isEqualTo(301);
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(hit.header("Location")).isEqualTo(miss.header("Location")).endsWith("/page?from=moved");
    assertThat(hit.header("X-Render")).isEqualTo(miss.header("X-Render"));
  }

  @Test
  void sendRedirectIsCachedOnlyWhereTheRuleListsItsStatus() {
    int before = Endpoint.renders("found");
    Response first = http().get("/found");
    Response second = http().get("/found");
    assertThat(first.statusCode()).isEqualTo(302);
    assertThat(cacheStatus(second)).isEqualTo("pagecache; fwd=uri-miss; detail=status");
    assertThat(Endpoint.renders("found")).isEqualTo(before + 2);

    Response miss = http().get("/found-cached");
    Response hit = http().get("/found-cached");
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(hit.statusCode()).isEqualTo(302);
    assertThat(hit.header("Location")).isEqualTo(miss.header("Location")).contains("/page?from=found-cached");
  }

  @Test
  void sendError404IsStoredOnlyWhereTheRuleLists404() throws Exception {
    int before = Endpoint.renders("missing");
    HttpResponse<String> first = plainGet("/missing");
    HttpResponse<String> second = plainGet("/missing");
    assertThat(first.statusCode()).isEqualTo(404);
    assertThat(second.statusCode()).isEqualTo(404);
    assertThat(Endpoint.renders("missing")).as("a 404 no rule lists is never pinned").isEqualTo(before + 2);

    int cachedBefore = Endpoint.renders("missing-cached");
    HttpResponse<String> miss = plainGet("/missing-cached");
    HttpResponse<String> hit = plainGet("/missing-cached");
    assertThat(miss.statusCode()).isEqualTo(404);
    assertThat(hit.statusCode()).isEqualTo(404);
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(Endpoint.renders("missing-cached")).isEqualTo(cachedBefore + 1);
    assertThat(hit.headers().firstValue("X-Render")).isEqualTo(miss.headers().firstValue("X-Render"));
    assertThat(hit.body()).isEqualTo(miss.body());
  }

  @Test
  void throwingServletIsNotCachedAndTheErrorReachesTheContainer() throws Exception {
    int before = Endpoint.renders("throws");
    HttpResponse<String> first = plainGet("/throws");
    HttpResponse<String> second = plainGet("/throws");

    assertThat(first.statusCode()).isEqualTo(500);
    assertThat(second.statusCode()).isEqualTo(500);
    assertThat(Endpoint.renders("throws")).isEqualTo(before + 2);
    assertThat(cache().stats().notStored()).containsKey("exception");
  }

  // ---- keys ----

  @Test
  void queryParameterOrderIsNormalisedAndIgnoredParametersShareTheEntry() {
    int before = Endpoint.renders("query");
    Response miss = http().get("/query?b=2&a=1");
    Response reordered = http().get("/query?a=1&b=2");
    Response tracked = http().get("/query?a=1&utm_source=mail&b=2");
    Response other = http().get("/query?a=1&b=3");

    assertThat(cacheStatus(miss)).isEqualTo(STORED);
    assertThat(cacheStatus(reordered)).isEqualTo(HIT);
    assertThat(cacheStatus(tracked)).isEqualTo(HIT);
    assertThat(reordered.asString()).isEqualTo(miss.asString());
    assertThat(cacheStatus(other)).isEqualTo(STORED);
    assertThat(Endpoint.renders("query")).isEqualTo(before + 2);
  }

  @Test
  void variantsAreKeptPerAcceptLanguage() {
    Response german = http().header("Accept-Language", "de").get("/lang");
    Response english = http().header("Accept-Language", "en").get("/lang");
    Response germanAgain = http().header("Accept-Language", "de").get("/lang");
    Response englishAgain = http().header("Accept-Language", "en").get("/lang");

    assertThat(german.asString()).startsWith("Hallo");
    assertThat(cacheStatus(english)).isEqualTo("pagecache; fwd=vary-miss; stored");
    assertThat(english.asString()).startsWith("Hello");
    assertThat(cacheStatus(germanAgain)).isEqualTo(HIT);
    assertThat(germanAgain.asString()).isEqualTo(german.asString());
    assertThat(cacheStatus(englishAgain)).isEqualTo(HIT);
    assertThat(englishAgain.asString()).isEqualTo(english.asString());
    assertThat(englishAgain.header("Vary")).isEqualTo("Accept-Language");
  }

  @Test
  void acceptEncodingVariantsAreKeyedByTheAcceptedCodingsNotTheWording() {
    Response chrome = http().header("Accept-Encoding", "gzip, deflate, br, zstd").get("/encoded");
    Response reworded = http().header("Accept-Encoding", "zstd, br;q=1.0, Deflate;q=0.9, gzip;q=0.8").get("/encoded");
    Response gzipOnly = http().header("Accept-Encoding", "gzip").get("/encoded");
    Response refusesBr = http().header("Accept-Encoding", "br;q=0, gzip").get("/encoded");

    assertThat(cacheStatus(chrome)).isEqualTo(STORED);
    assertThat(cacheStatus(reworded)).isEqualTo(HIT);
    assertThat(cacheStatus(gzipOnly)).isEqualTo("pagecache; fwd=vary-miss; stored");
    assertThat(cacheStatus(refusesBr)).isEqualTo(HIT);
    assertThat(refusesBr.asString()).isEqualTo(gzipOnly.asString());
  }

  @Test
  void keyCookieKeepsUsersApart() {
    Response alice = http().cookie("user", "alice").get("/user");
    Response bob = http().cookie("user", "bob").get("/user");
    Response aliceAgain = http().cookie("user", "alice").get("/user");
    Response anonymous = http().get("/user");

    assertThat(alice.asString()).startsWith("links for alice");
    assertThat(bob.asString()).startsWith("links for bob");
    assertThat(cacheStatus(aliceAgain)).isEqualTo(HIT);
    assertThat(aliceAgain.asString()).isEqualTo(alice.asString());
    assertThat(anonymous.asString()).startsWith("links for anonymous");
  }

  // ---- HEAD and conditional GET ----

  @Test
  void headIsAnsweredFromTheCachedGet() {
    int before = Endpoint.renders("page");
    Response get = http().get("/page");
    Response head = http().head("/page");
    Response hit = http().get("/page");

    assertThat(cacheStatus(head)).isEqualTo(HIT);
    assertThat(head.asByteArray()).isEmpty();
    assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(get.asByteArray().length));
    assertThat(head.contentType()).isEqualTo(get.contentType());
    assertThat(head.header("ETag")).isEqualTo(hit.header("ETag")).isNotNull();
    assertThat(Endpoint.renders("page")).isEqualTo(before + 1);
  }

  @Test
  void headMissNeverStoresAnEmptyBodyForGet() {
    Response head = http().head("/headers");
    Response get = http().get("/headers");
    Response hit = http().get("/headers");

    assertThat(cacheStatus(head)).isEqualTo("pagecache; fwd=uri-miss; detail=head-miss");
    assertThat(cacheStatus(get)).isEqualTo(STORED);
    assertThat(get.asString()).startsWith("headers ");
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(hit.asString()).isEqualTo(get.asString());
  }

  @Test
  void strongEtagGetsA304WithTheFieldsThe200WouldCarry() {
    Response full = http().get("/etag");
    Response notModified = http().header("If-None-Match", "\"x\", \"v1\"").get("/etag");
    Response changed = http().header("If-None-Match", "\"v0\"").get("/etag");

    assertThat(full.header("ETag")).isEqualTo("\"v1\"");
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.asByteArray()).isEmpty();
    assertThat(cacheStatus(notModified)).isEqualTo(HIT);
    assertThat(notModified.header("ETag")).isEqualTo("\"v1\"");
    assertThat(notModified.header("Cache-Control")).isEqualTo("max-age=300");
    assertThat(notModified.header("Expires")).isEqualTo(full.header("Expires"));
    assertThat(notModified.header("Content-Location")).isEqualTo("/etag.html");
    assertThat(notModified.header("Date")).isEqualTo(full.header("Date"));
    assertThat(notModified.header("X-Only-On-200")).isNull();
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.asString()).isEqualTo(full.asString());
  }

  @Test
  void aConditionalMissAsksTheOriginForTheWholePageAndStoresIt() {
    int before = Endpoint.renders("validating");
    Response cold = http().header("If-None-Match", "\"v7\"").get("/validating");
    Response warm = http().header("If-None-Match", "\"v7\"").get("/validating");

    assertThat(cold.statusCode()).as("the origin saw no condition").isEqualTo(200);
    assertThat(cacheStatus(cold)).isEqualTo(STORED);
    assertThat(warm.statusCode()).isEqualTo(304);
    assertThat(cacheStatus(warm)).isEqualTo(HIT);
    assertThat(Endpoint.renders("validating")).isEqualTo(before + 1);
  }

  @Test
  void weakEtagMatchesWithWeakComparison() {
    http().get("/weak");
    Response weak = http().header("If-None-Match", "W/\"w1\"").get("/weak");
    Response strongForm = http().header("If-None-Match", "\"w1\"").get("/weak");
    Response star = http().header("If-None-Match", "*").get("/weak");

    assertThat(weak.statusCode()).isEqualTo(304);
    assertThat(weak.header("ETag")).isEqualTo("W/\"w1\"");
    assertThat(strongForm.statusCode()).isEqualTo(304);
    assertThat(star.statusCode()).isEqualTo(304);
  }

  @Test
  void computedEtagValidatesPagesTheOriginGaveNone() {
    String fromMiss = http().get("/page").header("ETag");
    String etag = http().get("/page").header("ETag");
    Response notModified = http().header("If-None-Match", etag).get("/page");
    Response headNotModified = http().header("If-None-Match", etag).head("/page");

    assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");
    assertThat(fromMiss).as("the miss already carries the validator its copy will have").isEqualTo(etag);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(headNotModified.statusCode()).isEqualTo(304);
  }

  @Test
  void ifModifiedSinceIsAnsweredAgainstLastModifiedUnlessIfNoneMatchIsPresent() {
    Response full = http().get("/lastmod");
    String lastModified = full.header("Last-Modified");
    Response same = http().header("If-Modified-Since", lastModified).get("/lastmod");
    Response earlier = http().header("If-Modified-Since", "Sat, 12 Sep 2020 12:26:39 GMT").get("/lastmod");
    Response etagWins = http().header("If-Modified-Since", lastModified).header("If-None-Match", "\"nope\"").get("/lastmod");

    assertThat(lastModified).isEqualTo(HttpDates.format(java.time.Instant.ofEpochMilli(1_600_000_000_000L)));
    assertThat(same.statusCode()).isEqualTo(304);
    assertThat(earlier.statusCode()).isEqualTo(200);
    assertThat(etagWins.statusCode()).as("If-None-Match takes precedence").isEqualTo(200);
  }

  // ---- the snapshot is immutable ----

  @Test
  void nothingDoneToAServedResponseReachesTheNextRequest() {
    http().get("/mutable");
    Response original = http().get("/mutable");
    Response meddled = http().header("X-Meddle", "1").get("/mutable");
    Response meddled304 = http().header("X-Meddle", "1").header("If-None-Match", original.header("ETag")).get("/mutable");
    Response clean = http().get("/mutable");
    Response clean304 = http().header("If-None-Match", original.header("ETag")).get("/mutable");

    assertThat(meddled.asString()).isEqualTo(original.asString());
    assertThat(meddled304.statusCode()).as("the meddler did change the 304 it was given").isEqualTo(299);
    assertThat(meddled304.header("ETag")).isEqualTo("\"meddled\"");
    assertThat(clean.statusCode()).isEqualTo(200);
    assertThat(cacheStatus(clean)).isEqualTo(HIT);
    assertThat(clean.asString()).isEqualTo(original.asString()).startsWith("original body");
    assertThat(clean.header("X-Origin")).isEqualTo("original");
    assertThat(clean.header("ETag")).isEqualTo(original.header("ETag"));
    assertThat(clean.header("Cache-Control")).isNull();
    assertThat(clean304.statusCode()).isEqualTo(304);
    assertThat(clean304.asByteArray()).isEmpty();
  }

  @Test
  void bytesHandedToAWrappedStreamAreACopy() {
    Response original = http().get("/mutable");
    http().header("X-Meddle", "1").header("Range", "bytes=0-3").get("/mutable");
    // The meddler writes over every array it is given; a second meddled hit must still see the original.
    Response meddled = http().header("X-Meddle", "1").get("/mutable");
    Response clean = http().get("/mutable");

    assertThat(clean.asString()).isEqualTo(original.asString());
    assertThat(clean.asString()).doesNotContain("XXXX");
    assertThat(meddled.statusCode()).isIn(200, 299);
  }

  // ---- invalidation ----

  @Test
  void postInvalidatesTheUrlBeforeTheClientCanFollowTheRedirect() {
    http().get("/wiki/Home");
    Response hit = http().get("/wiki/Home");
    long invalidations = cache().stats().invalidations();
    Response post = http().formParam("body", "edited text").post("/wiki/Home");
    Response after = http().get("/wiki/Home");

    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(post.statusCode()).isEqualTo(302);
    assertThat(cacheStatus(post)).isEqualTo("pagecache; fwd=method");
    assertThat(cache().stats().invalidations()).as("the URL and its Location, once each").isEqualTo(invalidations + 2);
    assertThat(cacheStatus(after)).isEqualTo(STORED);
    assertThat(after.asString()).startsWith("edited text");
  }

  @Test
  void successfulUnsafeRequestAlsoPurgesItsLocationAndContentLocation() {
    http().get("/wiki/Other");
    http().get("/page");
    http().get("/etag");
    Response put = http().put("/edit");
    Response delete = http().delete("/edit");

    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(delete.statusCode()).isEqualTo(201);
    assertThat(cacheStatus(http().get("/wiki/Other"))).isEqualTo(STORED);
    assertThat(cacheStatus(http().get("/page"))).isEqualTo(STORED);
    assertThat(cacheStatus(http().get("/etag"))).as("an unrelated page").isEqualTo(HIT);
  }

  @Test
  void failedUnsafeRequestPurgesNothing() throws Exception {
    http().get("/page");
    int status = HTTP_CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + container.port()
        + container.contextPath() + "/page")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();

    assertThat(status).isEqualTo(405);
    assertThat(cacheStatus(http().get("/page"))).isEqualTo(HIT);
  }

  @Test
  void purgeRemovesOneUrl() {
    http().get("/page");
    http().get("/etag");
    cache().purge(URI.create("http://127.0.0.1:" + container.port() + container.contextPath() + "/page"));

    assertThat(cacheStatus(http().get("/page"))).isEqualTo(STORED);
    assertThat(cacheStatus(http().get("/etag"))).isEqualTo(HIT);
  }

  // ---- what is never stored ----

  @Test
  void bodyOverTheLimitReachesTheClientIntactAndIsNotStored() {
    int before = Endpoint.renders("big");
    Response first = http().get("/big");
    Response second = http().get("/big");

    byte[] body = first.asByteArray();
    assertThat(body).hasSize(TestOrigin.BIG_BODY_BYTES);
    for (int i = 0; i < body.length; i++) {
      if (body[i] != (byte) (i / 4096)) {
        throw new AssertionError("byte " + i + " is " + body[i]);
      }
    }
    assertThat(second.asByteArray()).isEqualTo(body);
    assertThat(Endpoint.renders("big")).isEqualTo(before + 2);
    assertThat(cache().stats().notStored()).containsKey("too-large");
  }

  @Test
  void responsesThatBelongToOneUserAreNeverStored() {
    for (String path : List.of("/cookie", "/private", "/nostore", "/session")) {
      String name = path.substring(1);
      int before = Endpoint.renders(name);
      Response first = http().get(path);
      Response second = http().get(path);
      assertThat(cacheStatus(first)).as(path).startsWith("pagecache; fwd=uri-miss; detail=");
      assertThat(cacheStatus(second)).as(path).isNotEqualTo(HIT);
      assertThat(Endpoint.renders(name)).as(path).isEqualTo(before + 2);
    }
    assertThat(cacheStatus(http().get("/cookie"))).endsWith("detail=set-cookie");
    assertThat(cacheStatus(http().get("/private"))).endsWith("detail=private");
    assertThat(cacheStatus(http().get("/nostore"))).endsWith("detail=no-store");
    assertThat(cacheStatus(http().get("/session"))).endsWith("detail=session");
  }

  @Test
  void requestsWithAuthorizationBypassAndAreNotStoredForOthers() {
    int before = Endpoint.renders("auth");
    Response authorized = http().header("Authorization", "Bearer secret").get("/auth");
    Response anonymous = http().get("/auth");

    assertThat(cacheStatus(authorized)).isEqualTo("pagecache; fwd=bypass; detail=authorization");
    assertThat(cacheStatus(anonymous)).isEqualTo(STORED);
    assertThat(Endpoint.renders("auth")).isEqualTo(before + 2);
  }

  @Test
  void asyncServletIsStoredAndServedAsHit() {
    int before = Endpoint.renders("async");
    Response first = http().get("/async");
    Response second = http().get("/async");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.asString()).isEqualTo("async " + (before + 1));
    assertThat(cacheStatus(first)).isEqualTo(STORED);
    assertThat(second.asString()).isEqualTo("async " + (before + 1));
    assertThat(cacheStatus(second)).isEqualTo(HIT);
  }

  @Test
  void eventStreamPassesThroughIntact() {
    int before = Endpoint.renders("sse");
    Response first = http().get("/sse");
    Response second = http().get("/sse");

    int render = before + 1;
    assertThat(first.asString()).isEqualTo("data: event 1 of render " + render + "\n\ndata: event 2 of render " + render
        + "\n\ndata: event 3 of render " + render + "\n\n");
    assertThat(first.contentType()).startsWith("text/event-stream");
    assertThat(cacheStatus(first)).isEqualTo("pagecache; fwd=uri-miss; detail=event-stream");
    assertThat(second.asString()).contains("of render " + (before + 2));
  }

  // ---- freshness ----

  @Test
  void originMaxAgeDecidesWhenThePageExpires() {
    Response miss = http().get("/maxage");
    clock.advance(Duration.ofSeconds(9));
    Response hit = http().get("/maxage");
    clock.advance(Duration.ofSeconds(2));
    Response expired = http().get("/maxage");

    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(hit.header("Age")).isEqualTo("9");
    assertThat(cacheStatus(expired)).isEqualTo(STORED);
    assertThat(expired.asString()).isNotEqualTo(miss.asString());
  }

  @Test
  void surrogateControlSetsTheLifetimeAndIsStrippedBeforeTheClient() {
    Response miss = http().get("/surrogate");
    clock.advance(Duration.ofSeconds(99));
    Response hit = http().get("/surrogate");
    clock.advance(Duration.ofSeconds(2));
    Response expired = http().get("/surrogate");

    assertThat(miss.header("Surrogate-Control")).isNull();
    assertThat(hit.header("Surrogate-Control")).isNull();
    assertThat(cacheStatus(miss)).isEqualTo(STORED);
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(hit.header("Cache-Control")).as("browsers still get the origin's Cache-Control")
        .isEqualTo("max-age=0, must-revalidate");
    assertThat(cacheStatus(expired)).isEqualTo(STORED);
  }

  @Test
  void surrogateControlNeverLiftsPrivateNoStoreOrNoCache() {
    for (String cacheControl : List.of("private", "no-store", "no-cache")) {
      int before = Endpoint.renders("surrogate-forbidden");
      Response first = http().queryParam("cc", cacheControl).get("/surrogate-forbidden");
      Response second = http().queryParam("cc", cacheControl).get("/surrogate-forbidden");

      assertThat(cacheStatus(first)).as(cacheControl).isEqualTo("pagecache; fwd=uri-miss; detail=" + cacheControl);
      assertThat(cacheStatus(second)).as(cacheControl).isNotEqualTo(HIT);
      assertThat(Endpoint.renders("surrogate-forbidden")).as(cacheControl).isEqualTo(before + 2);
      assertThat(first.header("Surrogate-Control")).isNull();
    }
  }

  @Test
  void downstreamCacheControlCountsDownTheRemainingLifetime() {
    Response miss = http().get("/downstream");
    clock.advance(Duration.ofSeconds(20));
    Response hit = http().get("/downstream");

    assertThat(miss.header("Cache-Control")).isEqualTo("public, max-age=120");
    assertThat(hit.header("Cache-Control")).isEqualTo("public, max-age=100");
  }

  @Test
  void headerNamesAndDirectivesInCapitalsWork() {
    Response miss = http().header("ACCEPT-LANGUAGE", "fi").get("/shouting");
    Response hit = http().header("Accept-Language", "fi").get("/shouting");
    Response otherLanguage = http().header("accept-language", "it").get("/shouting");
    Response notModified = http().header("IF-NONE-MATCH", "\"I1\"").header("Accept-Language", "fi").get("/shouting");
    Response privatePage = http().get("/shouting-private");

    assertThat(cacheStatus(miss)).isEqualTo(STORED);
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(hit.asString()).isEqualTo(miss.asString());
    assertThat(cacheStatus(otherLanguage)).isEqualTo("pagecache; fwd=vary-miss; stored");
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(cacheStatus(privatePage)).isEqualTo("pagecache; fwd=uri-miss; detail=private");
  }

  // ---- more entry points of the capture wrapper ----

  @Test
  void redirectThroughEveryServletApiVersionIsCapturedWithoutTheBodyWrittenBeforeIt() {
    Response miss = http().get("/redirect61");
    Response hit = http().get("/redirect61");

    assertThat(miss.statusCode()).isEqualTo(301);
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(hit.statusCode()).isEqualTo(301);
    assertThat(hit.header("Location")).isEqualTo(miss.header("Location")).endsWith("/page?from=redirect61");
    assertThat(hit.asString()).isEqualTo(miss.asString()).doesNotContain("written before the redirect");
  }

  @Test
  void postAnsweredThroughTheServlet61RedirectStillPurges() {
    http().get("/wiki/Six");
    assertThat(cacheStatus(http().get("/wiki/Six"))).isEqualTo(HIT);
    Response post = http().formParam("body", "six edited").post("/wiki/Six?status=303");
    Response after = http().get("/wiki/Six");

    assertThat(post.statusCode()).isEqualTo(303);
    assertThat(after.asString()).startsWith("six edited");
  }

  @Test
  void outputStreamPrintReachesClientAndCacheAsTheContainerEncodesIt() {
    Response plain = http().get("/print-plain");
    Response miss = http().get("/print");
    Response hit = http().get("/print");

    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    byte[] expectedPrefix = java.util.Arrays.copyOf(plain.asByteArray(), plain.asByteArray().length - 3);
    assertThat(miss.asByteArray()).startsWith(expectedPrefix);
    assertThat(hit.asByteArray()).isEqualTo(miss.asByteArray());
  }

  @Test
  void setLocaleKeepsContentLanguageOnHits() {
    Response miss = http().get("/localized");
    Response hit = http().get("/localized");

    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(hit.header("Content-Language")).isEqualTo(miss.header("Content-Language")).startsWith("de");
  }

  @Test
  void contentLengthSetThroughAnyMethodReachesTheClientAndTheSnapshot() throws Exception {
    for (String via : List.of("setContentLength", "setContentLengthLong", "setIntHeader", "addIntHeader",
        "setHeader", "addHeader")) {
      long stores = cache().stats().stores();
      Response miss = http().get("/length?via=" + via);
      awaitStores(stores + 1);
      Response hit = http().get("/length?via=" + via);
      assertThat(miss.header("Content-Length")).as(via).isEqualTo(Integer.toString(miss.asByteArray().length));
      assertThat(cacheStatus(hit)).as(via).isEqualTo(HIT);
      assertThat(hit.asByteArray()).as(via).isEqualTo(miss.asByteArray());
      assertThat(hit.headers().getValues("Content-Length")).as(via).containsExactly(miss.header("Content-Length"));
    }
  }

  @Test
  void pageLargerThanTheContainerBufferIsStoredBeforeItsClientGetsIt() {
    Response miss = http().get("/large");
    Response hit = http().get("/large");

    assertThat(miss.asByteArray()).hasSize(TestOrigin.LARGE_BODY_BYTES);
    assertThat(cacheStatus(miss)).isEqualTo(STORED);
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(hit.asByteArray()).isEqualTo(miss.asByteArray());
  }

  @Test
  void rangeRequestForACachedPageGetsItsSlice() {
    Response full = http().get("/page");
    Response ranged = http().header("Range", "bytes=0-3").get("/page");

    assertThat(ranged.statusCode()).isEqualTo(206);
    assertThat(cacheStatus(ranged)).isEqualTo(HIT);
    assertThat(ranged.header("Content-Range")).isEqualTo("bytes 0-3/" + full.asByteArray().length);
    assertThat(ranged.asString()).isEqualTo(full.asString().substring(0, 4));
  }

  // ---- more of what is never shared ----

  @Test
  void downstreamCacheControlIsNotLeftOnAResponseThatWasNotStored() {
    Response response = http().get("/downstream-cookie");

    assertThat(response.header("Set-Cookie")).startsWith("sid=");
    assertThat(cacheStatus(response)).isEqualTo("pagecache; fwd=uri-miss; detail=set-cookie");
    assertThat(response.header("Cache-Control")).isNull();
  }

  @Test
  void pageRenderedWhileItsUrlWasPurgedIsNotStored() throws Exception {
    TestOrigin.slowWikiRead = new java.util.concurrent.CountDownLatch(1);
    TestOrigin.slowWikiGate = new java.util.concurrent.CountDownLatch(1);
    try {
      java.util.concurrent.CompletableFuture<Response> slowRead =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> http().get("/slow-wiki"));
      assertThat(TestOrigin.slowWikiRead.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      // The render has read the old text; now the page is edited, and its URL purged.
      Response edit = http().formParam("body", "new").post("/slow-wiki");
      TestOrigin.slowWikiGate.countDown();
      Response stale = slowRead.get(10, java.util.concurrent.TimeUnit.SECONDS);
      Response next = http().get("/slow-wiki");

      assertThat(edit.statusCode()).isEqualTo(204);
      assertThat(stale.asString()).startsWith("old");
      assertThat(next.asString()).as("the render that read the old text was not stored").startsWith("new");
      assertThat(cache().stats().notStored()).containsKey("purged");
    } finally {
      TestOrigin.slowWikiGate.countDown();
    }
  }

  @Test
  void loggedInUsersSkipTheCache() {
    http().get("/page");
    Response loggedIn = http().header("X-Test-User", "alice").get("/page");

    assertThat(cacheStatus(loggedIn)).isEqualTo("pagecache; fwd=bypass; detail=authenticated");
    assertThat(cacheStatus(http().get("/page"))).isEqualTo(HIT);
  }

  @Test
  void codeInFrontCanAskTheCacheToStepAside() {
    http().get("/page");
    Response bypassed = http().header("X-Bypass", "1").get("/page");

    assertThat(cacheStatus(bypassed)).isEqualTo("pagecache; fwd=bypass; detail=bypass-requested");
  }

  @Test
  void keyHeadersSeparateVariantsAndBypassCookiesSkipTheCache() {
    Response phone = http().header("X-Device", "phone").get("/keyed");
    Response desktop = http().header("X-Device", "desktop").get("/keyed");
    Response phoneAgain = http().header("X-Device", "phone").get("/keyed");
    Response preview = http().header("X-Device", "phone").cookie("preview", "1").get("/keyed");

    assertThat(phone.asString()).startsWith("device phone");
    assertThat(desktop.asString()).startsWith("device desktop");
    assertThat(cacheStatus(phoneAgain)).isEqualTo(HIT);
    assertThat(phoneAgain.asString()).isEqualTo(phone.asString());
    assertThat(cacheStatus(preview)).isEqualTo("pagecache; fwd=bypass; detail=bypass-cookie");
  }

  @Test
  void allowSetCookieStoresThePageWithoutTheCookie() {
    Response miss = http().get("/cookie-allowed");
    Response hit = http().get("/cookie-allowed");

    assertThat(miss.header("Set-Cookie")).startsWith("theme=dark");
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(hit.header("Set-Cookie")).as("one visitor's cookie is never replayed to others").isNull();
    assertThat(hit.asString()).isEqualTo(miss.asString());
  }

  @Test
  void requestNoStoreKeepsItsResponseOutOfTheCache() {
    Response noStore = http().header("Cache-Control", "no-store").get("/page");
    Response next = http().get("/page");

    assertThat(cacheStatus(noStore)).isEqualTo("pagecache; fwd=uri-miss; detail=request-no-store");
    assertThat(cacheStatus(next)).isEqualTo(STORED);
  }

  @Test
  void notModifiedCarriesTheDownstreamCacheControl() {
    http().get("/downstream");
    String etag = http().get("/downstream").header("ETag");
    clock.advance(Duration.ofSeconds(30));
    Response notModified = http().header("If-None-Match", etag).get("/downstream");

    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.header("Cache-Control")).isEqualTo("public, max-age=90");
  }

  // ---- one render at a time ----

  /** Sends {@code count} requests for {@code path} at once; returns them with the seconds it took. */
  private java.util.Map.Entry<List<HttpResponse<String>>, Double> simultaneously(String path, int count) throws Exception {
    java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(count);
    try {
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<HttpResponse<String>>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < count; i++) {
        futures.add(clients.submit(() -> {
          start.await();
          return plainGet(path);
        }));
      }
      long started = System.nanoTime();
      start.countDown();
      List<HttpResponse<String>> responses = new java.util.ArrayList<>();
      for (var future : futures) {
        responses.add(future.get(30, java.util.concurrent.TimeUnit.SECONDS));
      }
      return java.util.Map.entry(responses, (System.nanoTime() - started) / 1e9);
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void simultaneousMissesOnASlowPageCauseOneRender() throws Exception {
    for (int round = 0; round < 3; round++) {
      cache().purgeAll();
      int before = Endpoint.renders("slow");
      var result = simultaneously("/slow", 200);

      assertThat(Endpoint.renders("slow")).as("round " + round).isEqualTo(before + 1);
      String body = result.getKey().get(0).body();
      for (HttpResponse<String> response : result.getKey()) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
      }
      assertThat(result.getKey()).filteredOn(r -> HIT_COLLAPSED.equals(cacheStatus(r))).isNotEmpty();
    }
  }

  @Test
  void simultaneousRequestsForAnUncacheableSlowPageRunInParallel() throws Exception {
    simultaneously("/slow-private", 1); // the first render marks the page uncacheable
    for (int round = 0; round < 3; round++) {
      int before = Endpoint.renders("slow-private");
      long waits = cache().stats().coalescedWaits();
      var result = simultaneously("/slow-private", 200);

      assertThat(Endpoint.renders("slow-private")).isEqualTo(before + 200);
      assertThat(cache().stats().coalescedWaits()).as("nobody queued behind a page known to be uncacheable")
          .isEqualTo(waits);
      assertThat(result.getValue()).as("200 renders of 0.3 s, in parallel, not in a queue").isLessThan(6.0);
      assertThat(result.getKey()).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
    }
  }

  @Test
  void aPageThatBecameCacheableIsCoalescedAgainAtOnce() throws Exception {
    TestOrigin.slowChangingPrivate = true;
    try {
      simultaneously("/slow-changing", 1); // private: marks the page uncacheable for a while
      TestOrigin.slowChangingPrivate = false;
      var storedWhileMarked = simultaneously("/slow-changing", 1).getKey().get(0);
      cache().purge(URI.create("http://127.0.0.1:" + container.port() + container.contextPath() + "/slow-changing"));
      int before = Endpoint.renders("slow-changing");
      var result = simultaneously("/slow-changing", 50);

      assertThat(cacheStatus(storedWhileMarked)).isEqualTo(STORED);
      assertThat(Endpoint.renders("slow-changing")).as("one render: the stored page lifted the mark").isEqualTo(before + 1);
      assertThat(result.getKey()).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
    } finally {
      TestOrigin.slowChangingPrivate = false;
    }
  }

  @Test
  void aPageThatStaysUncacheableIsNotCoalescedAgainWhileItIsAskedFor() throws Exception {
    simultaneously("/slow-private", 1); // marks the page uncacheable for 10 s
    clock.advance(Duration.ofSeconds(6));
    simultaneously("/slow-private", 1); // private again: renews the mark
    clock.advance(Duration.ofSeconds(6)); // 12 s after the first mark, 6 s after its renewal
    long waits = cache().stats().coalescedWaits();
    simultaneously("/slow-private", 20);

    assertThat(cache().stats().coalescedWaits()).as("nobody waited: the mark still stands").isEqualTo(waits);
  }

  @Test
  void whenTheRenderThrowsEveryWaiterGetsAnAnswerPromptly() throws Exception {
    for (int round = 0; round < 3; round++) {
      cache().purgeAll();
      var result = simultaneously("/slow-throws", 30);

      assertThat(result.getKey()).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(500));
      assertThat(result.getValue()).as("one failed render, then the waiters in parallel").isLessThan(5.0);
    }
  }

  // ---- stale pages ----

  @Test
  void anExpiredPageIsServedAtOnceWhileOneRequestRefreshesIt() throws Exception {
    Response first = http().get("/swr");
    clock.advance(Duration.ofSeconds(15));
    long stores = cache().stats().stores();
    Response stale = http().get("/swr");
    awaitStores(stores + 1);
    Response fresh = http().get("/swr");

    assertThat(cacheStatus(stale)).isEqualTo("pagecache; hit; detail=stale");
    assertThat(stale.asString()).isEqualTo(first.asString());
    assertThat(stale.header("Age")).isEqualTo("15");
    assertThat(cacheStatus(fresh)).isEqualTo(HIT);
    assertThat(fresh.asString()).isNotEqualTo(first.asString()).startsWith("swr render");
  }

  @Test
  void manySimultaneousRequestsForAStalePageCauseOneRefresh() throws Exception {
    for (int round = 0; round < 3; round++) {
      cache().purgeAll();
      http().get("/swr");
      clock.advance(Duration.ofSeconds(15));
      int before = Endpoint.renders("swr");
      long stores = cache().stats().stores();
      var result = simultaneously("/swr", 30);
      awaitStores(stores + 1);

      assertThat(result.getKey()).allSatisfy(response -> {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(cacheStatus(response)).isIn("pagecache; hit; detail=stale", HIT);
      });
      assertThat(Endpoint.renders("swr")).as("round " + round).isEqualTo(before + 1);
    }
  }

  @Test
  void aFailingRefreshKeepsTheStaleCopy() throws Exception {
    Response first = http().get("/swr");
    clock.advance(Duration.ofSeconds(15));
    TestOrigin.staleMode = "throw";
    long failures = cache().stats().refreshFailures();
    http().get("/swr");
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (cache().stats().refreshFailures() == failures && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    // Read before the next request: that one is a stale hit too, and may start (and fail) a refresh of its own.
    long failuresAfterOneRefresh = cache().stats().refreshFailures();
    Response again = http().get("/swr");

    assertThat(failuresAfterOneRefresh).isEqualTo(failures + 1);
    assertThat(cacheStatus(again)).isEqualTo("pagecache; hit; detail=stale");
    assertThat(again.asString()).isEqualTo(first.asString());
  }

  @Test
  void anExpiredPageStandsInWhenTheOriginFails() throws Exception {
    Response first = http().get("/sie");
    clock.advance(Duration.ofSeconds(15));
    TestOrigin.staleMode = "throw";
    HttpResponse<String> thrown = plainGet("/sie");
    TestOrigin.staleMode = "503";
    HttpResponse<String> overloaded = plainGet("/sie");
    TestOrigin.staleMode = "ok";
    Response recovered = http().get("/sie");

    for (HttpResponse<String> response : List.of(thrown, overloaded)) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(cacheStatus(response)).isEqualTo("pagecache; hit; detail=stale-if-error");
      assertThat(response.body()).isEqualTo(first.asString());
    }
    assertThat(cacheStatus(recovered)).isEqualTo(STORED);
    assertThat(recovered.asString()).isNotEqualTo(first.asString());
    assertThat(cache().stats().staleIfErrorServed()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void theOriginsStaleWhileRevalidateIsHonouredAndMustRevalidateForbidsStale() throws Exception {
    http().get("/origin-swr");
    http().get("/must-revalidate");
    clock.advance(Duration.ofSeconds(15));
    Response stale = http().get("/origin-swr");
    TestOrigin.staleMode = "503";
    HttpResponse<String> strict = plainGet("/must-revalidate");

    assertThat(cacheStatus(stale)).isEqualTo("pagecache; hit; detail=stale");
    assertThat(strict.statusCode()).as("must-revalidate: the origin's error, not a stale page").isEqualTo(503);
  }

  @Test
  void statsCountWhatHappened() {
    http().get("/page");
    http().get("/page");
    http().header("If-None-Match", "*").get("/page");
    http().get("/plain");

    var stats = cache().stats();
    assertThat(stats.hits()).isGreaterThanOrEqualTo(2);
    assertThat(stats.notModified()).isGreaterThanOrEqualTo(1);
    assertThat(stats.stores()).isGreaterThanOrEqualTo(1);
    assertThat(stats.bypassed()).containsKey("no-rule");
    assertThat(stats.entries()).isEqualTo(1);
    assertThat(stats.bytes()).isGreaterThan(0);
    assertThat(stats.toJson()).contains("\"hits\":");
  }
}
