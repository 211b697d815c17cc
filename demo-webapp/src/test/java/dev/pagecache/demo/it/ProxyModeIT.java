package dev.pagecache.demo.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.demo.server.DemoOptions;
import dev.pagecache.demo.server.DemoServer;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Reverse-proxy mode end to end: the built jar, started as its own process with
 * {@code --proxy-to}, in front of an origin this test runs. With the built-in rule the cache must
 * behave as an RFC 9111 shared cache. Each test uses its own paths, so the tests share one cache.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyModeIT {
  static final String HIT = "pagecache; hit";
  static final String STORED = "pagecache; fwd=uri-miss; stored";

  TestOrigin origin;
  DemoJar proxy;

  @BeforeAll
  void start() throws Exception {
    origin = TestOrigin.start();
    proxy = DemoJar.start("--port", "0", "--proxy-to", origin.url(), "--cache-size", "32MiB");
    proxy.uri();
  }

  @AfterAll
  void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    origin.close();
  }

  RequestSpecification http() throws Exception {
    return given().baseUri("http://127.0.0.1").port(proxy.port())
        .config(RestAssuredConfig.config().redirect(RedirectConfig.redirectConfig().followRedirects(false)));
  }

  @Test
  void startLineNamesTheOriginAndTheRule() throws Exception {
    assertThat(proxy.startLine()).contains("mode: reverse proxy to " + origin.url(), "built-in proxy rules",
        "/* ttl=origin", "cache: 32 MiB in memory");
  }

  @Test
  void originFreshResponseIsAHitTheSecondTime() throws Exception {
    Response miss = http().get("/fresh/a");
    Response hit = http().get("/fresh/a");

    assertThat(miss.header("Cache-Status")).isEqualTo(STORED);
    assertThat(hit.header("Cache-Status")).isEqualTo(HIT);
    assertThat(hit.asString()).isEqualTo(miss.asString()).isEqualTo("GET /fresh/a #1\n");
    assertThat(hit.header("Cache-Control")).isEqualTo("max-age=60");
    assertThat(hit.header("Age")).isNotNull();
    assertThat(origin.count("/fresh/a")).isEqualTo(1);
  }

  @Test
  void originSeesOneRequestForManyRepeatedClientRequests() throws Exception {
    int n = 25;
    for (int i = 0; i < n; i++) {
      Response response = http().get("/expires/many?q=1");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.asString()).isEqualTo("GET /expires/many?q=1 #1\n");
    }
    Response big = null;
    for (int i = 0; i < 5; i++) {
      big = http().get("/big/one");
    }

    assertThat(origin.count("/expires/many?q=1")).as("origin requests for %d client requests", n).isEqualTo(1);
    assertThat(origin.count("/big/one")).isEqualTo(1);
    assertThat(big.header("Cache-Status")).isEqualTo(HIT);
    assertThat(big.asByteArray()).hasSize("GET /big/one #1\n".length() + 300_001);
  }

  @Test
  void queryStringIsPartOfTheKey() throws Exception {
    http().get("/fresh/q?page=1");
    Response other = http().get("/fresh/q?page=2");

    assertThat(other.asString()).isEqualTo("GET /fresh/q?page=2 #1\n");
    assertThat(origin.count("/fresh/q?page=1")).isEqualTo(1);
  }

  @Test
  void privateNoStoreAndNoCacheAreNeverServedFromTheCache() throws Exception {
    for (int i = 1; i <= 3; i++) {
      assertThat(http().get("/private/p").header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; detail=private");
      assertThat(http().get("/nostore/p").header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; detail=no-store");
      assertThat(http().get("/nocache/p").header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; detail=no-cache");
    }

    assertThat(origin.count("/private/p")).isEqualTo(3);
    assertThat(origin.count("/nostore/p")).isEqualTo(3);
    assertThat(origin.count("/nocache/p")).isEqualTo(3);
    assertThat(http().get("/private/p").asString()).isEqualTo("GET /private/p #4\n");
  }

  @Test
  void nothingIsStoredWithoutAnExplicitLifetimeFromTheOrigin() throws Exception {
    http().get("/nolifetime/p");
    Response second = http().get("/nolifetime/p");

    assertThat(second.header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; detail=no-lifetime");
    assertThat(origin.count("/nolifetime/p")).isEqualTo(2);
  }

  @Test
  void responsesThatSetACookieAreNotStored() throws Exception {
    http().get("/cookie/p");
    Response second = http().get("/cookie/p");

    // Jetty re-serialises Set-Cookie ("session=s2;Path=/"): the same cookie.
    assertThat(second.getDetailedCookie("session").getValue()).isEqualTo("s2");
    assertThat(second.getDetailedCookie("session").getPath()).isEqualTo("/");
    assertThat(origin.count("/cookie/p")).isEqualTo(2);
  }

  @Test
  void varyIsHonouredWithOneVariantPerLanguage() throws Exception {
    Response english = http().header("Accept-Language", "en").get("/vary/p");
    Response french = http().header("Accept-Language", "fr").get("/vary/p");
    Response englishAgain = http().header("Accept-Language", "en").get("/vary/p");
    Response frenchAgain = http().header("Accept-Language", "fr").get("/vary/p");
    Response german = http().header("Accept-Language", "de").get("/vary/p");

    assertThat(english.asString()).isEqualTo("lang=en #1\n");
    assertThat(french.asString()).isEqualTo("lang=fr #2\n");
    assertThat(englishAgain.header("Cache-Status")).isEqualTo(HIT);
    assertThat(englishAgain.asString()).isEqualTo("lang=en #1\n");
    assertThat(frenchAgain.header("Cache-Status")).isEqualTo(HIT);
    assertThat(frenchAgain.asString()).isEqualTo("lang=fr #2\n");
    assertThat(englishAgain.header("Vary")).isEqualTo("Accept-Language");
    assertThat(german.asString()).isEqualTo("lang=de #3\n");
    assertThat(origin.count("/vary/p")).isEqualTo(3);
  }

  @Test
  void requestsWithAuthorizationBypassTheCache() throws Exception {
    http().get("/fresh/auth");
    Response withAuthorization = http().header("Authorization", "Bearer t0ken").get("/fresh/auth");

    assertThat(withAuthorization.header("Cache-Status")).isEqualTo("pagecache; fwd=bypass; detail=authorization");
    assertThat(withAuthorization.asString()).isEqualTo("GET /fresh/auth #2\n");
    assertThat(origin.last("/fresh/auth").header("Authorization")).isEqualTo("Bearer t0ken");
  }

  @Test
  void conditionalRequestIsAnsweredFromTheCacheWith304() throws Exception {
    http().get("/fresh/etag");
    String etag = http().get("/fresh/etag").header("ETag"); // computed by the cache when it stored the page
    Response notModified = http().header("If-None-Match", etag).get("/fresh/etag");

    assertThat(etag).isNotBlank();
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.header("Cache-Status")).isEqualTo(HIT);
    assertThat(origin.count("/fresh/etag")).isEqualTo(1);
  }

  @Test
  void everyMethodIsForwardedWithItsBody() throws Exception {
    for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
      Response response = http().contentType("application/json").body("{\"m\":\"" + method + "\"}")
          .request(method, "/echo/m");

      assertThat(response.statusCode()).as(method).isEqualTo(200);
      assertThat(response.header("Cache-Status")).as(method).isEqualTo("pagecache; fwd=method");
      assertThat(response.asString()).as(method).endsWith("body={\"m\":\"" + method + "\"}\n");
      assertThat(origin.last("/echo/m").method()).isEqualTo(method);
      assertThat(origin.last("/echo/m").header("Content-Type")).startsWith("application/json");
    }
    Response options = http().request("OPTIONS", "/echo/m");
    assertThat(options.header("Cache-Status")).isEqualTo("pagecache; fwd=method");
    assertThat(origin.last("/echo/m").method()).isEqualTo("OPTIONS");
  }

  @Test
  void successfulUnsafeRequestPurgesTheCachedPage() throws Exception {
    http().get("/fresh/purge");
    assertThat(http().get("/fresh/purge").header("Cache-Status")).isEqualTo(HIT);
    http().body("x").put("/fresh/purge");
    Response after = http().get("/fresh/purge");

    assertThat(after.header("Cache-Status")).isEqualTo(STORED);
    assertThat(after.asString()).isEqualTo("GET /fresh/purge #3\n");
  }

  @Test
  void customRequestAndResponseHeadersPassUnchanged() throws Exception {
    Response miss = http().header("X-Trace", "abc 123").header("X-Multi", "a").header("X-Multi", "b").get("/echo/h");
    Response hit = http().header("X-Trace", "other").get("/echo/h");
    TestOrigin.Received received = origin.last("/echo/h");

    assertThat(received.header("X-Trace")).isEqualTo("abc 123");
    assertThat(received.headers().get("X-Multi")).containsExactly("a", "b");
    for (Response response : new Response[] {miss, hit}) {
      assertThat(response.header("X-Origin-Custom")).isEqualTo("from the origin");
      assertThat(response.header("X-Echo-Trace")).isEqualTo("abc 123");
      assertThat(response.headers().getValues("X-Origin-Multi")).containsExactly("one", "two");
      assertThat(response.header("Via")).isEqualTo("1.1 pagecache");
    }
    assertThat(hit.header("Cache-Status")).isEqualTo(HIT);
  }

  @Test
  void originGetsItsOwnHostAndTheClientsInForwardingHeaders() throws Exception {
    http().header("X-Forwarded-For", "203.0.113.7").header("X-Forwarded-Host", "spoofed.example")
        .get("/echo/forwarded");
    TestOrigin.Received received = origin.last("/echo/forwarded");
    String proxyAuthority = "127.0.0.1:" + proxy.port();

    assertThat(received.header("Host")).isEqualTo("127.0.0.1:" + origin.port());
    assertThat(received.header("X-Forwarded-Host")).isEqualTo(proxyAuthority);
    assertThat(received.header("X-Forwarded-For")).isEqualTo("203.0.113.7, 127.0.0.1");
    assertThat(received.header("X-Forwarded-Proto")).isEqualTo("http");
    assertThat(received.header("X-Forwarded-Port")).isEqualTo(Integer.toString(proxy.port()));
    assertThat(received.header("Forwarded")).contains("for=\"127.0.0.1\"", "host=\"" + proxyAuthority + "\"", "proto=http");
    assertThat(received.header("Via")).isEqualTo("1.1 pagecache");
  }

  @Test
  void aClientsForwardedIsReplacedNotAppendedTo() throws Exception {
    http().header("Forwarded", "for=203.0.113.7;host=evil.test;proto=https").get("/echo/forwarded-spoof");
    TestOrigin.Received received = origin.last("/echo/forwarded-spoof");

    assertThat(received.header("Forwarded")).doesNotContain("evil.test").contains("host=\"127.0.0.1:" + proxy.port());
  }

  @Test
  void aMethodOverrideNeverStoresAnErrorForEveryone() throws Exception {
    Response overridden = http().header("X-HTTP-Method-Override", "DELETE").get("/steer/cpdos");
    Response plain = http().get("/steer/cpdos");
    Response plainAgain = http().get("/steer/cpdos");

    assertThat(overridden.statusCode()).isEqualTo(405);
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plainAgain.statusCode()).isEqualTo(200);
    assertThat(plainAgain.header("Cache-Status")).isEqualTo(HIT);
  }

  @Test
  void aUrlOverrideIsServedOnlyToTheSameOverride() throws Exception {
    http().header("X-Original-URL", "/admin").get("/steer/rewrite");
    Response plain = http().get("/steer/rewrite");

    assertThat(plain.asString()).contains("original-url=null").doesNotContain("/admin");
  }

  @Test
  void aPageThatReflectsTheRequestsCookieIsNeverServedToOthers() throws Exception {
    Response alice = http().cookie("user", "alice").get("/reflect-cookie/greeting");
    Response anonymous = http().get("/reflect-cookie/greeting");
    Response bob = http().cookie("user", "bob").get("/reflect-cookie/greeting");

    assertThat(alice.asString()).contains("cookie=user=alice");
    assertThat(anonymous.asString()).doesNotContain("alice");
    assertThat(alice.header("Cache-Status")).contains("detail=request-cookie");
    assertThat(anonymous.header("Cache-Status")).isEqualTo(STORED);
    assertThat(bob.asString()).as("the anonymous copy, not alice's").doesNotContain("alice").contains("cookie=null");
  }

  @Test
  void aResponseTheOriginMarksPublicIsStoredEvenForARequestWithACookie() throws Exception {
    Response withCookie = http().cookie("user", "alice").get("/public-cookie/p");
    Response next = http().get("/public-cookie/p");

    assertThat(withCookie.header("Cache-Status")).isEqualTo(STORED);
    assertThat(next.header("Cache-Status")).isEqualTo(HIT);
  }

  @Test
  void fieldsTheOriginsConnectionNamesAreNeitherPassedOnNorStored() throws Exception {
    Response miss = http().get("/hop/h");
    Response hit = http().get("/hop/h");

    assertThat(miss.header("X-Hop-Secret")).isNull();
    assertThat(hit.header("Cache-Status")).isEqualTo(HIT);
    assertThat(hit.header("X-Hop-Secret")).isNull();
  }

  @Test
  void redirectsToTheOriginPointAtTheProxy() throws Exception {
    Response redirect = http().get("/redirect/r");
    Response cached = http().get("/redirect/r");

    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(redirect.header("Location")).isEqualTo("http://127.0.0.1:" + proxy.port() + "/fresh/target?x=1");
    assertThat(cached.header("Cache-Status")).isEqualTo(HIT);
    assertThat(cached.header("Location")).isEqualTo(redirect.header("Location"));
  }

  @Test
  void headIsForwardedAsHeadAndAnsweredFromACachedGet() throws Exception {
    Response headMiss = http().head("/fresh/head");
    http().get("/fresh/head");
    Response headHit = http().head("/fresh/head");

    assertThat(headMiss.header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; detail=head-miss");
    assertThat(origin.last("/fresh/head").method()).isEqualTo("GET");
    assertThat(headHit.header("Cache-Status")).isEqualTo(HIT);
    assertThat(headHit.header("Content-Length")).isEqualTo(Integer.toString("GET /fresh/head #2\n".length()));
  }

  @Test
  void preserveHostSendsTheClientsHostToTheOrigin() throws Exception {
    try (DemoServer preserving = DemoServer.start(
        DemoOptions.parse("--port", "0", "--proxy-to", origin.url(), "--preserve-host"))) {
      given().port(preserving.port()).get("http://127.0.0.1/echo/preserved");

      assertThat(origin.last("/echo/preserved").header("Host")).isEqualTo("127.0.0.1:" + preserving.port());
      assertThat(preserving.description()).contains("(client's Host preserved)");
    }
  }

  @Test
  void anUnreachableOriginIsABadGatewayAndNotStored() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (DemoServer toNowhere = DemoServer.start(
        DemoOptions.parse("--port", "0", "--proxy-to", "http://127.0.0.1:" + closedPort))) {
      Response response = given().port(toNowhere.port()).get("http://127.0.0.1/fresh/x");

      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(response.header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; detail=status");
    }
  }
}
