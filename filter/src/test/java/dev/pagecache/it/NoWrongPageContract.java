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
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The cache never serves a wrong, truncated or someone else's page, however the application,
 * the client or the timing behaves. Each test names the way it once did; every one runs in each
 * container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NoWrongPageContract {
  static final String HIT = "pagecache; hit";
  static final String STORED = "pagecache; fwd=uri-miss; stored";
  static final int VANISHING_CHUNK = 8 * 1024;
  static final int VANISHING_CHUNKS = 512; // 4 MiB
  static final int BIG_SLOW_BYTES = 8 << 20;
  static final int SIE_LARGE_BYTES = 9 << 20;

  static final String RULES = """
      rules = [
        { path = "/whoami" }
        { path = "/login" , cache = false }
        { path = "/mine", keyCookies = [JSESSIONID] }
        { path = "/vanishing", maxBodyBytes = 8MiB }
        { path = "/length" }
        { path = "/late-cookie", downstreamCacheControl = "public, max-age={ttl}" }
        { path = "/late-session", downstreamCacheControl = "public, max-age={ttl}" }
        { path = "/sie-cookie", ttl = 10s, staleIfError = 60s, allowSetCookie = true }
        { path = "/slow", coalesceWait = 10s }
        { path = "/big-slow", maxBodyBytes = 16MiB, coalesceWait = 10s }
        { path = "/sie-large", ttl = 10s, staleIfError = 60s, maxBodyBytes = 64KiB }
        { path = "/spelled/*" }
        { path = "/reset" }
        { path = "/closed" }
        { path = "/reset-retained" }
        { path = "/cookie-past", downstreamCacheControl = "public, max-age={ttl}" }
        { path = "/stream", coalesceWait = 10s }
      ]
      """;

  final MutableClock clock = MutableClock.startingNow();
  final HttpClient httpClient = HttpClient.newHttpClient();
  PageCacheFilter filter;
  Container container;

  static volatile CountDownLatch vanishingGate = new CountDownLatch(0);
  static volatile CountDownLatch vanishingDone = new CountDownLatch(0);
  static volatile boolean sieLargeBig;
  static volatile CountDownLatch streamGate = new CountDownLatch(0);
  private final Map<String, String> spelled = new ConcurrentHashMap<>();

  abstract Container start(Container.App app) throws Exception;

  abstract String contextPath();

  @BeforeAll
  void startContainer() throws Exception {
    filter = new PageCacheFilter(PageCacheConfig.builder()
        .rules(RulesFileParser.parse(RULES, "no-wrong-page rules"))
        .maxCacheBytes(128L << 20)
        .clock(clock)
        .build());
    container = start(new Container.App(contextPath(), List.of(filter), servlets()));
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

  HttpResponse<byte[]> plainGet(String path) throws Exception {
    return httpClient.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + container.port() + container.contextPath() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static String cacheStatus(Response response) {
    return response.header("Cache-Status");
  }

  // ---- someone else's page ----

  @Test
  void aVisitorWithASessionGetsThePageRenderedForThem() {
    http().get("/whoami");
    assertThat(cacheStatus(http().get("/whoami"))).as("the anonymous copy is cached").isEqualTo(HIT);
    String session = http().queryParam("user", "alice").get("/login").getCookie("JSESSIONID");
    assertThat(session).as("the login's session cookie").isNotNull();

    Response byCookie = http().cookie("JSESSIONID", session).get("/whoami");
    Response byUrl = http().urlEncodingEnabled(false).get("/whoami;jsessionid=" + session);

    for (Response mine : List.of(byCookie, byUrl)) {
      assertThat(mine.asString()).isEqualTo("Hello alice");
      assertThat(cacheStatus(mine)).isEqualTo("pagecache; fwd=bypass; detail=session-id");
    }
    assertThat(http().get("/whoami").asString()).isEqualTo("Hello anonymous");
  }

  @Test
  void aRuleKeyedByTheSessionCookieKeepsOneCopyPerSession() {
    String alice = http().queryParam("user", "alice").get("/login").getCookie("JSESSIONID");
    String bob = http().queryParam("user", "bob").get("/login").getCookie("JSESSIONID");

    Response aliceMiss = http().cookie("JSESSIONID", alice).get("/mine");
    Response bobMiss = http().cookie("JSESSIONID", bob).get("/mine");
    Response aliceHit = http().cookie("JSESSIONID", alice).get("/mine");
    Response bobHit = http().cookie("JSESSIONID", bob).get("/mine");

    assertThat(cacheStatus(aliceMiss)).isEqualTo(STORED);
    assertThat(cacheStatus(aliceHit)).isEqualTo(HIT);
    assertThat(aliceHit.asString()).isEqualTo("mine: alice");
    assertThat(cacheStatus(bobMiss)).isEqualTo("pagecache; fwd=vary-miss; stored");
    assertThat(cacheStatus(bobHit)).isEqualTo(HIT);
    assertThat(bobHit.asString()).isEqualTo("mine: bob");
  }

  @Test
  void aStaleOrForgedSessionIdNeverKeysAPageRenderedForANewSession() {
    // The named session does not exist: the page makes a new one, which is not the one in the key.
    Response first = http().cookie("JSESSIONID", "forged").get("/mine");
    Response second = http().cookie("JSESSIONID", "forged").get("/mine");

    assertThat(cacheStatus(first)).isEqualTo("pagecache; fwd=uri-miss; detail=session");
    assertThat(cacheStatus(second)).isNotEqualTo(HIT);
  }

  @Test
  void aCookieSetPastTheCacheOnTheContainersResponseKeepsThePageOut() {
    Response response = http().get("/cookie-past");

    assertThat(response.header("Set-Cookie")).startsWith("XSRF-TOKEN=");
    assertThat(cacheStatus(response)).isEqualTo("pagecache; fwd=uri-miss; detail=set-cookie");
    assertThat(response.header("Cache-Control")).isNull();
    assertThat(cacheStatus(http().get("/cookie-past"))).isNotEqualTo(HIT);
  }

  @Test
  void theRulesPublicCacheControlNeverGoesOutWithACookieOrANewSession() {
    Response cookie = http().get("/late-cookie");
    Response session = http().get("/late-session");

    assertThat(cookie.header("Set-Cookie")).startsWith("visitor=");
    assertThat(cookie.header("Cache-Control")).as("with Set-Cookie").isNull();
    assertThat(cacheStatus(cookie)).isEqualTo("pagecache; fwd=uri-miss; detail=set-cookie");
    assertThat(session.header("Set-Cookie")).startsWith("JSESSIONID=");
    assertThat(session.header("Cache-Control")).as("with a new session").isNull();
    assertThat(cacheStatus(session)).isEqualTo("pagecache; fwd=uri-miss; detail=session");
    assertThat(cookie.asByteArray()).hasSize(3 + 64 * 1024);
  }

  @Test
  void aRenderThatStandsForAnExpiredPageSetsItsCookieOnceWithEveryAttribute() {
    http().get("/sie-cookie");
    clock.advance(Duration.ofSeconds(15));

    Response rendered = http().get("/sie-cookie");

    assertThat(rendered.headers().getValues("Set-Cookie")).hasSize(1);
    assertThat(rendered.header("Set-Cookie")).startsWith("theme=dark").containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("Secure").containsIgnoringCase("Path=/");
    assertThat(cacheStatus(rendered)).isEqualTo(STORED);
  }

  // ---- truncated pages ----

  @Test
  void aClientThatVanishesMidPageNeverLeavesATruncatedCopy() throws Exception {
    vanishingGate = new CountDownLatch(1);
    vanishingDone = new CountDownLatch(1);
    try (Socket client = RawHttp.sendGet(container.port(), container.contextPath() + "/vanishing", 0)) {
      // Read what comes within a second (with a cache that streams: the first megabyte), then vanish.
      RawHttp.readSome(client, 64 * 1024, 1_000);
      RawHttp.vanish(client);
    } finally {
      vanishingGate.countDown();
    }
    assertThat(vanishingDone.await(20, TimeUnit.SECONDS)).as("the render finished").isTrue();

    HttpResponse<byte[]> next = plainGet("/vanishing");

    // A hit, or a wait for the very render that client left (then "collapsed"): stored whole either way.
    assertThat(next.headers().firstValue("Cache-Status").orElseThrow()).startsWith(HIT);
    assertVanishingBody(next.body());
  }

  @Test
  void aBodyThatDisagreesWithItsContentLengthIsNeverStored() throws Exception {
    for (String mismatch : List.of("short", "long")) {
      long incompleteBefore = cache().stats().notStored().getOrDefault("incomplete", 0L);
      RawHttp.get(container.port(), container.contextPath() + "/length?" + mismatch);
      String next = RawHttp.get(container.port(), container.contextPath() + "/length?" + mismatch);

      assertThat(next).as(mismatch).doesNotContain(HIT);
      assertThat(cache().stats().notStored().getOrDefault("incomplete", 0L)).as(mismatch)
          .isGreaterThanOrEqualTo(incompleteBefore + 2);
    }
  }

  @Test
  void aWriterKeptAcrossResetGoesOnWritingThePage() {
    Response miss = http().get("/reset-retained");
    Response hit = http().get("/reset-retained");

    assertThat(miss.asString()).isEqualTo("written after reset()");
    assertThat(cacheStatus(miss)).isEqualTo(STORED);
    assertThat(hit.asString()).isEqualTo("written after reset()");
  }

  @Test
  void bytesWrittenAfterCloseAreNeitherSentNorStored() {
    Response miss = http().get("/closed");
    Response hit = http().get("/closed");

    assertThat(miss.asString()).isEqualTo("the page");
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(hit.asString()).isEqualTo("the page");
  }

  // ---- coalescing under unlucky timing ----

  @Test
  void aHeadOrNoStoreRequestLeavesCoalescingOn() throws Exception {
    int before = Endpoint.renders("nwp-slow");
    http().head("/slow");
    http().header("Cache-Control", "no-store").get("/slow");

    List<HttpResponse<byte[]>> responses = simultaneously("/slow", 50);

    assertThat(Endpoint.renders("nwp-slow")).as("one render for the 50, after the HEAD and the no-store")
        .isEqualTo(before + 3);
    assertThat(responses).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
  }

  @Test
  void aSlowClientLeadingARenderDoesNotHoldUpTheOthers() throws Exception {
    int before = Endpoint.renders("nwp-big-slow");
    // The first client asks and then reads nothing: its render cannot reach it.
    try (Socket slow = RawHttp.sendGet(container.port(), container.contextPath() + "/big-slow", 4096)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (Endpoint.renders("nwp-big-slow") == before && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      List<HttpResponse<byte[]>> waiters = simultaneously("/big-slow", 8);

      assertThat(Endpoint.renders("nwp-big-slow")).as("nobody waited in vain and rendered again").isEqualTo(before + 1);
      assertThat(waiters).allSatisfy(response -> {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(BIG_SLOW_BYTES);
        assertThat(response.headers().firstValue("Cache-Status").orElseThrow()).startsWith(HIT);
      });
      RawHttp.vanish(slow);
    }
  }

  @Test
  void anEventStreamDoesNotKeepTheNextSubscriberWaiting() throws Exception {
    streamGate = new CountDownLatch(1);
    try {
      HttpRequest subscribe = HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + container.port() + container.contextPath() + "/stream")).build();
      var first = httpClient.send(subscribe, HttpResponse.BodyHandlers.ofLines());
      var firstLines = first.body().iterator();
      assertThat(firstLines.next()).isEqualTo("data: first");

      // The first stream is still open; the second subscriber must not wait for it to end.
      var second = httpClient.sendAsync(subscribe, HttpResponse.BodyHandlers.ofLines())
          .get(5, TimeUnit.SECONDS);
      assertThat(second.body().iterator().next()).isEqualTo("data: first");
      assertThat(second.headers().firstValue("Cache-Status")).contains("pagecache; fwd=uri-miss; detail=event-stream");
      assertThat(streamGate.getCount()).as("the first stream is still open").isEqualTo(1);
    } finally {
      streamGate.countDown();
    }
  }

  // ---- stale pages ----

  @Test
  void aHealthyRenderLargerThanAnyBufferReplacesTheStaleCopy() throws Exception {
    sieLargeBig = false;
    http().get("/sie-large");
    clock.advance(Duration.ofSeconds(15));
    sieLargeBig = true;
    try {
      HttpResponse<byte[]> rendered = plainGet("/sie-large");

      assertThat(rendered.statusCode()).isEqualTo(200);
      assertThat(rendered.body()).as("the healthy render, not the stale copy").hasSize(SIE_LARGE_BYTES);
      assertThat(rendered.headers().firstValue("Cache-Status")).contains("pagecache; fwd=uri-miss; detail=too-large");
    } finally {
      sieLargeBig = false;
    }
  }

  // ---- keys ----

  @Test
  void purgesAndUnsafeRequestsReachEverySpellingOfAUrl() {
    String upper = "/spelled/Caf%C3%A9";
    String lower = "/spelled/Caf%c3%a9";
    http().urlEncodingEnabled(false).get(upper);
    assertThat(cacheStatus(http().urlEncodingEnabled(false).get(lower))).as("one entry for both spellings")
        .isEqualTo(HIT);

    cache().purge(URI.create("http://127.0.0.1:" + container.port() + container.contextPath() + lower));
    assertThat(cacheStatus(http().urlEncodingEnabled(false).get(upper))).as("purged by the other spelling")
        .isEqualTo(STORED);

    http().urlEncodingEnabled(false).formParam("text", "edited").post(lower);
    Response afterEdit = http().urlEncodingEnabled(false).get(upper);
    assertThat(cacheStatus(afterEdit)).isEqualTo(STORED);
    assertThat(afterEdit.asString()).isEqualTo("edited");
  }

  // ---- reset() ----

  @Test
  void aResetKeepsTheCacheStatusAndTakesTheNewCharset() {
    Response miss = http().get("/reset");
    Response hit = http().get("/reset");
    Response post = http().post("/reset");

    assertThat(cacheStatus(miss)).isEqualTo(STORED);
    assertThat(miss.contentType()).containsIgnoringCase("charset=utf-8");
    assertThat(new String(miss.asByteArray(), StandardCharsets.UTF_8)).isEqualTo("Grüße nach dem reset()");
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(hit.asByteArray()).isEqualTo(miss.asByteArray());
    assertThat(cacheStatus(post)).isEqualTo("pagecache; fwd=method");
  }

  // ---- helpers and the origin ----

  private static void assertVanishingBody(byte[] body) {
    assertThat(body).as("the whole page").hasSize(VANISHING_CHUNK * VANISHING_CHUNKS);
    for (int i = 0; i < body.length; i += 997) {
      if (body[i] != (byte) (i / VANISHING_CHUNK)) {
        throw new AssertionError("byte " + i + " is " + body[i]);
      }
    }
  }

  private List<HttpResponse<byte[]>> simultaneously(String path, int count) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(count);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<HttpResponse<byte[]>>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        futures.add(clients.submit(() -> {
          go.await();
          return plainGet(path);
        }));
      }
      go.countDown();
      List<HttpResponse<byte[]>> responses = new ArrayList<>();
      for (Future<HttpResponse<byte[]>> future : futures) {
        responses.add(future.get(60, TimeUnit.SECONDS));
      }
      return responses;
    } finally {
      clients.shutdownNow();
    }
  }

  private Map<String, HttpServlet> servlets() {
    Map<String, HttpServlet> servlets = new LinkedHashMap<>();
    servlets.put("/whoami", ((Endpoint) (req, res, n) -> {
      HttpSession session = req.getSession(false);
      Object user = session == null ? null : session.getAttribute("user");
      res.getWriter().print("Hello " + (user == null ? "anonymous" : user));
    }).asServlet("nwp-whoami"));
    servlets.put("/login", ((Endpoint) (req, res, n) -> {
      req.getSession(true).setAttribute("user", req.getParameter("user"));
      res.getWriter().print("logged in");
    }).asServlet("nwp-login"));
    servlets.put("/mine", ((Endpoint) (req, res, n) ->
        res.getWriter().print("mine: " + req.getSession(true).getAttribute("user"))).asServlet("nwp-mine"));
    servlets.put("/vanishing", ((Endpoint) (req, res, n) -> {
      try {
        res.setContentType("application/octet-stream");
        OutputStream out = res.getOutputStream();
        byte[] chunk = new byte[VANISHING_CHUNK];
        for (int i = 0; i < VANISHING_CHUNKS; i++) {
          java.util.Arrays.fill(chunk, (byte) i);
          try {
            out.write(chunk);
            if (i == VANISHING_CHUNKS / 4) {
              out.flush();
              vanishingGate.await(10, TimeUnit.SECONDS);
            }
          } catch (IOException swallowed) {
            // as a PrintWriter, or careless code, would
          }
        }
      } finally {
        vanishingDone.countDown();
      }
    }).asServlet("nwp-vanishing"));
    servlets.put("/length", ((Endpoint) (req, res, n) -> {
      byte[] body = new byte[500];
      java.util.Arrays.fill(body, (byte) 'x');
      res.setContentLength(req.getQueryString().equals("short") ? 1000 : 100);
      try {
        res.getOutputStream().write(body);
      } catch (IOException refused) {
        // a container may refuse bytes past the declared length; the page is broken either way
      }
    }).asServlet("nwp-length"));
    servlets.put("/closed", ((Endpoint) (req, res, n) -> {
      OutputStream out = res.getOutputStream();
      out.write("the page".getBytes(StandardCharsets.US_ASCII));
      out.close();
      try {
        out.write(" and more".getBytes(StandardCharsets.US_ASCII));
      } catch (IOException closed) {
        // Jetty says so; Tomcat drops the bytes silently
      }
    }).asServlet("nwp-closed"));
    servlets.put("/reset-retained", ((Endpoint) (req, res, n) -> {
      java.io.PrintWriter out = res.getWriter();
      out.print("to be thrown away");
      res.reset();
      out.print("written after reset()");
    }).asServlet("nwp-reset-retained"));
    servlets.put("/cookie-past", ((Endpoint) (req, res, n) -> {
      // As a CSRF filter in front does when the page first reads its token: on the response it was given.
      jakarta.servlet.ServletResponse container = res;
      while (container instanceof jakarta.servlet.ServletResponseWrapper wrapper) {
        container = wrapper.getResponse();
      }
      ((jakarta.servlet.http.HttpServletResponse) container).addCookie(new Cookie("XSRF-TOKEN", "t" + n));
      res.getWriter().print("<form>token t" + n + "</form>");
    }).asServlet("nwp-cookie-past"));
    servlets.put("/stream", ((Endpoint) (req, res, n) -> {
      res.setContentType("text/event-stream");
      res.getWriter().print("data: first\n\n");
      res.getWriter().flush();
      streamGate.await(10, TimeUnit.SECONDS);
      res.getWriter().print("data: last\n\n");
    }).asServlet("nwp-stream"));
    servlets.put("/late-cookie", ((Endpoint) (req, res, n) -> {
      res.getOutputStream().write("<p>".getBytes(StandardCharsets.US_ASCII));
      res.addCookie(new Cookie("visitor", "v" + n));
      res.getOutputStream().write(new byte[64 * 1024]);
    }).asServlet("nwp-late-cookie"));
    servlets.put("/late-session", ((Endpoint) (req, res, n) -> {
      res.getOutputStream().write("<p>".getBytes(StandardCharsets.US_ASCII));
      req.getSession(true);
      res.getOutputStream().write(new byte[64 * 1024]);
    }).asServlet("nwp-late-session"));
    servlets.put("/sie-cookie", ((Endpoint) (req, res, n) -> {
      Cookie theme = new Cookie("theme", "dark");
      theme.setHttpOnly(true);
      theme.setSecure(true);
      theme.setPath("/");
      res.addCookie(theme);
      res.getWriter().print("sie-cookie " + n);
    }).asServlet("nwp-sie-cookie"));
    servlets.put("/slow", ((Endpoint) (req, res, n) -> {
      Thread.sleep(300);
      res.getWriter().print("slow " + n);
    }).asServlet("nwp-slow"));
    servlets.put("/big-slow", ((Endpoint) (req, res, n) -> {
      Thread.sleep(300);
      res.getOutputStream().write(new byte[BIG_SLOW_BYTES]);
    }).asServlet("nwp-big-slow"));
    servlets.put("/sie-large", ((Endpoint) (req, res, n) -> {
      res.getOutputStream().write(sieLargeBig ? new byte[SIE_LARGE_BYTES] : new byte[100]);
    }).asServlet("nwp-sie-large"));
    servlets.put("/spelled/*", ((Endpoint) (req, res, n) -> {
      if (req.getMethod().equals("POST")) {
        spelled.put(req.getPathInfo(), req.getParameter("text"));
        res.setStatus(204);
        return;
      }
      res.setContentType("text/plain;charset=UTF-8");
      res.getWriter().print(spelled.getOrDefault(req.getPathInfo(), "original"));
    }).asServlet("nwp-spelled"));
    servlets.put("/reset", ((Endpoint) (req, res, n) -> {
      res.setContentType("text/plain;charset=ISO-8859-1");
      res.getWriter().print("to be thrown away");
      res.reset();
      res.setContentType("text/plain;charset=UTF-8");
      res.getWriter().print("Grüße nach dem reset()");
    }).asServlet("nwp-reset"));
    return servlets;
  }
}
