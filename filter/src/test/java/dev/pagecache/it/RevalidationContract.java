package dev.pagecache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.PageCacheStats;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.rules.RulesFileParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import jakarta.servlet.http.HttpServlet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Revalidation with the origin (RFC 9111 §4.3): an expired page with the origin's validators is
 * not rendered again but asked about; the origin's 304 freshens the stored copy, which every
 * client is then served from. Timelines: every page is fresh for 10 s; the test clock moves past.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RevalidationContract {
  private static final String REVALIDATED = "pagecache; fwd=stale; fwd-status=304; stored";
  private static final String REPLACED = "pagecache; fwd=stale; stored";
  private static final String HIT = "pagecache; hit";
  private static final Instant LAST_MODIFIED = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(86_400);
  private static final String RULES = """
      rules = [
        { path = "/swr", staleWhileRevalidate = 30s }
        { path = "/sie", staleIfError = 60s }
        { path = "/must", staleWhileRevalidate = 30s, staleIfError = 60s }
        { path = "/*" }
      ]
      """;

  private final MutableClock clock = MutableClock.startingNow();
  private final HttpClient client = HttpClient.newHttpClient();
  private final Map<String, ConditionalOrigin> origins = new LinkedHashMap<>();
  private PageCacheFilter filter;
  private Container container;

  abstract Container start(Container.App app) throws Exception;

  abstract String contextPath();

  @BeforeAll
  void startContainer() throws Exception {
    origins.put("/etag", new ConditionalOrigin("\"v1\"", null, "max-age=10"));
    origins.put("/dated", new ConditionalOrigin(null, LAST_MODIFIED, "max-age=10"));
    origins.put("/no-cache", new ConditionalOrigin("\"v1\"", null, "no-cache"));
    origins.put("/must", new ConditionalOrigin("\"v1\"", null, "max-age=10, must-revalidate"));
    origins.put("/swr", new ConditionalOrigin("\"v1\"", null, "max-age=10"));
    origins.put("/sie", new ConditionalOrigin("\"v1\"", null, "max-age=10"));
    filter = new PageCacheFilter(PageCacheConfig.builder()
        .rules(RulesFileParser.parse(RULES, "revalidation rules")).maxCacheBytes(16L << 20).clock(clock).build());
    Map<String, HttpServlet> servlets = new LinkedHashMap<>(origins);
    container = start(new Container.App(contextPath(), List.of(filter), servlets));
  }

  @AfterAll
  void stopContainer() throws Exception {
    container.close();
  }

  @BeforeEach
  void startAfresh() {
    cache().purgeAll();
    origins.get("/etag").reset("\"v1\"", null, "max-age=10");
    origins.get("/dated").reset(null, LAST_MODIFIED, "max-age=10");
    origins.get("/no-cache").reset("\"v1\"", null, "no-cache");
    origins.get("/must").reset("\"v1\"", null, "max-age=10, must-revalidate");
    origins.get("/swr").reset("\"v1\"", null, "max-age=10");
    origins.get("/sie").reset("\"v1\"", null, "max-age=10");
  }

  private PageCache cache() {
    return filter.pageCache().orElseThrow();
  }

  private PageCacheStats.Revalidations revalidations() {
    return cache().stats().revalidations();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    return send("GET", path, headers);
  }

  private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + container.port() + container.contextPath() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String cacheStatus(HttpResponse<String> response) {
    return response.headers().firstValue("Cache-Status").orElse(null);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }

  // ---- one conditional request instead of renders ----

  @Test
  void afterExpiryAHundredRequestsCostOneConditionalRequestAndNoFullRender() throws Exception {
    ConditionalOrigin origin = origins.get("/etag");
    HttpResponse<String> first = get("/etag");
    clock.advance(Duration.ofSeconds(15));
    PageCacheStats.Revalidations before = revalidations();

    List<HttpResponse<String>> responses = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      responses.add(get("/etag"));
    }

    assertThat(origin.fullRenders).as("full renders: only the first request's").hasValue(1);
    assertThat(origin.conditionalRequests).as("conditional requests").hasValue(1);
    assertThat(origin.lastIfNoneMatch).isEqualTo("\"v1\"");
    assertThat(cacheStatus(responses.get(0))).isEqualTo(REVALIDATED);
    assertThat(responses.subList(1, 100)).allSatisfy(response -> assertThat(cacheStatus(response)).isEqualTo(HIT));
    assertThat(responses).allSatisfy(response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(first.body());
      assertThat(response.headers().firstValue("ETag")).contains("\"v1\"");
    });
    assertThat(responses.get(0).headers().firstValue("Age")).as("just freshened").contains("0");
    PageCacheStats.Revalidations after = revalidations();
    assertThat(after.started() - before.started()).isEqualTo(1);
    assertThat(after.notModified() - before.notModified()).isEqualTo(1);
    assertThat(after.replaced()).isEqualTo(before.replaced());
    assertThat(after.failed()).isEqualTo(before.failed());
    assertThat(cache().stats().toJson()).contains("\"revalidations\":{\"started\":");
  }

  @Test
  void aHundredSimultaneousRequestsAfterExpiryCostOneConditionalRequest() throws Exception {
    ConditionalOrigin origin = origins.get("/etag");
    for (int round = 0; round < 3; round++) {
      cache().purgeAll();
      origin.reset("\"v1\"", null, "max-age=10");
      HttpResponse<String> first = get("/etag");
      clock.advance(Duration.ofSeconds(15));

      List<HttpResponse<String>> responses = simultaneously("/etag", 100);

      assertThat(origin.fullRenders).as("round " + round + ": full renders").hasValue(1);
      assertThat(origin.conditionalRequests).as("round " + round + ": conditional requests").hasValue(1);
      assertThat(responses).allSatisfy(response -> {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(first.body());
        assertThat(cacheStatus(response)).isIn(REVALIDATED, HIT, "pagecache; hit; collapsed");
      });
      assertThat(responses).filteredOn(response -> REVALIDATED.equals(cacheStatus(response))).hasSize(1);
    }
  }

  private List<HttpResponse<String>> simultaneously(String path, int count) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(count);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        futures.add(clients.submit(() -> {
          start.await();
          return get(path);
        }));
      }
      start.countDown();
      List<HttpResponse<String>> responses = new ArrayList<>();
      for (Future<HttpResponse<String>> future : futures) {
        responses.add(future.get(30, TimeUnit.SECONDS));
      }
      return responses;
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void aPageWithOnlyLastModifiedIsRevalidatedWithIfModifiedSince() throws Exception {
    ConditionalOrigin origin = origins.get("/dated");
    HttpResponse<String> first = get("/dated");
    clock.advance(Duration.ofSeconds(15));

    HttpResponse<String> revalidated = get("/dated");
    HttpResponse<String> hit = get("/dated");

    assertThat(origin.lastIfNoneMatch).as("no content hash of ours reaches the origin").isNull();
    assertThat(origin.lastIfModifiedSince).isEqualTo(HttpDates.format(LAST_MODIFIED));
    assertThat(origin.fullRenders).hasValue(1);
    assertThat(origin.notModified).hasValue(1);
    assertThat(cacheStatus(revalidated)).isEqualTo(REVALIDATED);
    assertThat(revalidated.body()).isEqualTo(first.body());
    assertThat(revalidated.headers().firstValue("Last-Modified")).contains(HttpDates.format(LAST_MODIFIED));
    assertThat(revalidated.headers().firstValue("ETag")).as("the content hash, as before")
        .isEqualTo(first.headers().firstValue("ETag"));
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
  }

  @Test
  void aNewPageFromTheOriginReplacesTheStoredOne() throws Exception {
    ConditionalOrigin origin = origins.get("/etag");
    get("/etag");
    clock.advance(Duration.ofSeconds(15));
    origin.etag = "\"v2\"";
    origin.body = "version 2";
    PageCacheStats.Revalidations before = revalidations();

    HttpResponse<String> replaced = get("/etag");
    HttpResponse<String> hit = get("/etag");

    assertThat(origin.lastIfNoneMatch).isEqualTo("\"v1\"");
    assertThat(cacheStatus(replaced)).isEqualTo(REPLACED);
    assertThat(replaced.body()).isEqualTo("version 2");
    assertThat(replaced.headers().firstValue("ETag")).contains("\"v2\"");
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(hit.body()).isEqualTo("version 2");
    assertThat(revalidations().replaced() - before.replaced()).isEqualTo(1);
    assertThat(revalidations().notModified()).isEqualTo(before.notModified());
  }

  @Test
  void aNotModifiedNamingAnotherEtagIsNotTakenForTheStoredPage() throws Exception {
    ConditionalOrigin origin = origins.get("/etag");
    get("/etag");
    clock.advance(Duration.ofSeconds(15));
    origin.notModifiedEtag = "\"something-else\"";

    HttpResponse<String> response = get("/etag");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("version 1");
    assertThat(origin.fullRenders).as("asked again without conditions").hasValue(2);
    assertThat(cache().stats().notStored()).containsKey("validator-mismatch");
  }

  // ---- no-cache, must-revalidate ----

  @Test
  void aNoCachePageIsStoredAndRevalidatedBeforeEveryReuse() throws Exception {
    ConditionalOrigin origin = origins.get("/no-cache");
    HttpResponse<String> first = get("/no-cache");

    List<HttpResponse<String>> reuses = List.of(get("/no-cache"), get("/no-cache"), get("/no-cache"));

    assertThat(cacheStatus(first)).isEqualTo("pagecache; fwd=uri-miss; stored");
    assertThat(origin.fullRenders).hasValue(1);
    assertThat(origin.conditionalRequests).as("one conditional request per reuse").hasValue(3);
    assertThat(reuses).allSatisfy(response -> {
      assertThat(cacheStatus(response)).isEqualTo(REVALIDATED);
      assertThat(response.body()).isEqualTo(first.body());
    });
  }

  @Test
  void aMustRevalidatePageIsNeverServedStale() throws Exception {
    ConditionalOrigin origin = origins.get("/must");
    get("/must");
    clock.advance(Duration.ofSeconds(15));

    HttpResponse<String> revalidated = get("/must");
    clock.advance(Duration.ofSeconds(15));
    origin.failWith = 503;
    HttpResponse<String> failed = get("/must");

    assertThat(cacheStatus(revalidated)).as("within the rule's stale-while-revalidate: asked all the same")
        .isEqualTo(REVALIDATED);
    assertThat(failed.statusCode()).as("within the rule's stale-if-error: the origin's error, not a stale page")
        .isEqualTo(503);
    assertThat(failed.body()).isEqualTo("failing");
  }

  // ---- stale-while-revalidate, stale-if-error ----

  @Test
  void theBackgroundRefreshOfAStalePageRevalidatesIt() throws Exception {
    ConditionalOrigin origin = origins.get("/swr");
    HttpResponse<String> first = get("/swr");
    clock.advance(Duration.ofSeconds(15));
    PageCacheStats.Revalidations before = revalidations();

    HttpResponse<String> stale = get("/swr");
    await(() -> revalidations().notModified() > before.notModified(), "the background revalidation");
    HttpResponse<String> fresh = get("/swr");

    assertThat(cacheStatus(stale)).isEqualTo("pagecache; hit; detail=stale");
    assertThat(cacheStatus(fresh)).isEqualTo(HIT);
    assertThat(fresh.headers().firstValue("Age")).contains("0");
    assertThat(fresh.body()).isEqualTo(first.body());
    assertThat(origin.fullRenders).hasValue(1);
    assertThat(origin.notModified).hasValue(1);
  }

  @Test
  void aFailedRevalidationServesTheStalePageWithinStaleIfErrorAndIsCounted() throws Exception {
    ConditionalOrigin origin = origins.get("/sie");
    HttpResponse<String> first = get("/sie");
    clock.advance(Duration.ofSeconds(15));
    origin.failWith = 503;
    PageCacheStats.Revalidations before = revalidations();

    HttpResponse<String> standIn = get("/sie");
    origin.failWith = 0;
    HttpResponse<String> revalidated = get("/sie");

    assertThat(cacheStatus(standIn)).isEqualTo("pagecache; hit; detail=stale-if-error");
    assertThat(standIn.body()).isEqualTo(first.body());
    assertThat(cacheStatus(revalidated)).isEqualTo(REVALIDATED);
    assertThat(revalidated.body()).isEqualTo(first.body());
    assertThat(origin.fullRenders).hasValue(1);
    PageCacheStats.Revalidations after = revalidations();
    assertThat(after.failed() - before.failed()).isEqualTo(1);
    assertThat(after.notModified() - before.notModified()).isEqualTo(1);
  }

  // ---- the client's own conditions ----

  @Test
  void theClientsOwnIfNoneMatchGetsA304FromTheFreshenedPage() throws Exception {
    ConditionalOrigin origin = origins.get("/etag");
    get("/etag");
    clock.advance(Duration.ofSeconds(15));

    HttpResponse<String> notModified = get("/etag", "If-None-Match", "\"v1\"");

    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    assertThat(cacheStatus(notModified)).isEqualTo(REVALIDATED);
    assertThat(origin.notModified).hasValue(1);
  }

  @Test
  void theClientsOtherConditionsAreNotWhatTheOriginIsAsked() throws Exception {
    ConditionalOrigin origin = origins.get("/etag");
    get("/etag");
    clock.advance(Duration.ofSeconds(15));

    HttpResponse<String> full = get("/etag", "If-None-Match", "\"old\"");

    assertThat(origin.lastIfNoneMatch).as("the stored page's validator, not the client's").isEqualTo("\"v1\"");
    assertThat(full.statusCode()).isEqualTo(200);
    assertThat(full.body()).isEqualTo("version 1");
    assertThat(cacheStatus(full)).isEqualTo(REVALIDATED);
  }

  // ---- purges ----

  @Test
  void aPurgeDuringARevalidationWins() throws Exception {
    ConditionalOrigin origin = origins.get("/etag");
    get("/etag");
    clock.advance(Duration.ofSeconds(15));
    CountDownLatch hold = new CountDownLatch(1);
    origin.holdNotModified = hold;
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      Future<HttpResponse<String>> revalidating = background.submit(() -> get("/etag"));
      await(() -> origin.conditionalRequests.get() == 1, "the revalidation reached the origin");
      cache().purge(URI.create("http://127.0.0.1:" + container.port() + container.contextPath() + "/etag"));
      hold.countDown();
      HttpResponse<String> answered = revalidating.get(10, TimeUnit.SECONDS);
      origin.holdNotModified = null;
      HttpResponse<String> next = get("/etag");

      assertThat(answered.statusCode()).isEqualTo(200);
      assertThat(cacheStatus(answered)).isEqualTo("pagecache; fwd=stale; fwd-status=304; detail=purged");
      assertThat(cacheStatus(next)).as("the purge stands: nothing stored").isEqualTo("pagecache; fwd=uri-miss; stored");
      assertThat(origin.fullRenders).hasValue(2);
    } finally {
      hold.countDown();
      background.shutdownNow();
    }
  }

  // ---- HEAD (RFC 9111 §4.3.5) ----

  @Test
  void aHeadAnsweredByTheOriginWithTheSameValidatorsFreshensTheStoredPage() throws Exception {
    ConditionalOrigin origin = origins.get("/etag");
    HttpResponse<String> first = get("/etag");
    clock.advance(Duration.ofSeconds(15));

    HttpResponse<String> head = send("HEAD", "/etag");
    HttpResponse<String> hit = get("/etag");

    assertThat(origin.headRequests).hasValue(1);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(hit.body()).isEqualTo(first.body());
    assertThat(origin.conditionalRequests).as("nothing left to ask after the HEAD").hasValue(0);
  }

  @Test
  void aHeadAnsweredByTheOriginWithAnotherEtagInvalidatesTheStoredPage() throws Exception {
    ConditionalOrigin origin = origins.get("/etag");
    get("/etag");
    clock.advance(Duration.ofSeconds(15));
    origin.etag = "\"v2\"";
    origin.body = "version 2";

    send("HEAD", "/etag");
    HttpResponse<String> after = get("/etag");

    assertThat(cacheStatus(after)).as("nothing stored any more: no revalidation").isEqualTo("pagecache; fwd=uri-miss; stored");
    assertThat(after.body()).isEqualTo("version 2");
    assertThat(origin.conditionalRequests).hasValue(0);
  }

  @Test
  void aHeadWhoseLengthDiffersInvalidatesTheStoredPage() throws Exception {
    ConditionalOrigin origin = origins.get("/etag");
    get("/etag");
    clock.advance(Duration.ofSeconds(15));
    origin.body = "version 1 but longer"; // same ETag, wrongly: the length gives it away

    send("HEAD", "/etag");
    HttpResponse<String> after = get("/etag");

    assertThat(cacheStatus(after)).isEqualTo("pagecache; fwd=uri-miss; stored");
    assertThat(after.body()).isEqualTo("version 1 but longer");
  }
}
