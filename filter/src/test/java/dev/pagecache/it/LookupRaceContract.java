package dev.pagecache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.rules.RulesFileParser;
import dev.pagecache.internal.store.CaffeinePageStore;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A request that looked the page up just before another request's render ended takes the lead
 * only after that render: it must look again and find the page, not render it a second time.
 * The store holds one request between its lookup and its decision, so the race happens every
 * time, in each container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LookupRaceContract {
  private static final String RULES = """
      rules = [
        { path = "/raced-miss" }
        { path = "/raced-stale", ttl = 10s, staleWhileRevalidate = 60s }
      ]
      """;

  private final MutableClock clock = MutableClock.startingNow();
  private final PausingStore store = new PausingStore(new CaffeinePageStore(16 << 20, clock));
  private final HttpClient client = HttpClient.newHttpClient();
  /** Requests whose whole handling, renders after the response included, has ended, by X-Request-Id. */
  private final Map<String, CountDownLatch> finished = new ConcurrentHashMap<>();
  private Container container;

  abstract Container start(Container.App app) throws Exception;

  abstract String contextPath();

  @BeforeAll
  void startContainer() throws Exception {
    PageCacheFilter filter = new PageCacheFilter(PageCacheConfig.builder()
        .rules(RulesFileParser.parse(RULES, "race rules")).store(store).clock(clock).build());
    Filter endOfRequest = (ServletRequest request, ServletResponse response, FilterChain chain) -> {
      try {
        chain.doFilter(request, response);
      } finally {
        String id = ((HttpServletRequest) request).getHeader("X-Request-Id");
        if (id != null) {
          finished.computeIfAbsent(id, i -> new CountDownLatch(1)).countDown();
        }
      }
    };
    Endpoint page = (req, res, n) -> {
      Thread.sleep(50);
      res.getWriter().print(req.getServletPath() + " render " + n);
    };
    container = start(new Container.App(contextPath(), List.of(endOfRequest, filter), Map.of(
        "/raced-miss", page.asServlet("race-miss"), "/raced-stale", page.asServlet("race-stale"))));
  }

  @AfterAll
  void stopContainer() throws Exception {
    container.close();
  }

  @Test
  void aMissThatLooksAgainAfterTakingTheLeadFindsTheOtherRender() throws Exception {
    int before = Endpoint.renders("race-miss");
    store.pauseNextLookupOf("/raced-miss");
    CompletableFuture<HttpResponse<String>> late = send("/raced-miss", "late-miss");
    assertThat(store.awaitPaused()).as("the late request has looked and found nothing").isTrue();

    HttpResponse<String> first = send("/raced-miss", "first-miss").get(10, TimeUnit.SECONDS);
    awaitFinished("first-miss");
    store.resume();
    HttpResponse<String> raced = late.get(10, TimeUnit.SECONDS);
    awaitFinished("late-miss");

    assertThat(first.headers().firstValue("Cache-Status")).contains("pagecache; fwd=uri-miss; stored");
    assertThat(raced.headers().firstValue("Cache-Status")).contains("pagecache; hit");
    assertThat(raced.body()).isEqualTo(first.body());
    assertThat(Endpoint.renders("race-miss")).as("renders").isEqualTo(before + 1);
  }

  @Test
  void aStaleHitThatLooksAgainAfterTakingTheLeadLeavesTheRefreshDone() throws Exception {
    send("/raced-stale", "store").get(10, TimeUnit.SECONDS);
    awaitFinished("store");
    clock.advance(Duration.ofSeconds(15));
    int before = Endpoint.renders("race-stale");
    store.pauseNextLookupOf("/raced-stale");
    CompletableFuture<HttpResponse<String>> late = send("/raced-stale", "late-stale");
    assertThat(store.awaitPaused()).as("the late request has looked and found the stale page").isTrue();

    HttpResponse<String> refresher = send("/raced-stale", "refresher").get(10, TimeUnit.SECONDS);
    awaitFinished("refresher"); // its refresh, after its stale answer, has stored the successor
    store.resume();
    HttpResponse<String> raced = late.get(10, TimeUnit.SECONDS);
    awaitFinished("late-stale");

    assertThat(refresher.headers().firstValue("Cache-Status")).contains("pagecache; hit; detail=stale");
    assertThat(raced.headers().firstValue("Cache-Status")).contains("pagecache; hit; detail=stale");
    assertThat(Endpoint.renders("race-stale")).as("one refresh").isEqualTo(before + 1);
  }

  private CompletableFuture<HttpResponse<String>> send(String path, String id) {
    finished.putIfAbsent(id, new CountDownLatch(1));
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + container.port() + contextPath() + path)).header("X-Request-Id", id).build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  private void awaitFinished(String id) throws InterruptedException {
    assertThat(finished.get(id).await(10, TimeUnit.SECONDS)).as(id + " finished").isTrue();
  }
}
