package dev.pagecache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.rules.RulesFileParser;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Pages an application writes asynchronously ({@code startAsync}): held while asynchronous code
 * writes, stored when it completes, then served as hits without the servlet; given up (never
 * stored, waiters let go) when it times out or fails; streamed when it cannot be stored. The filter
 * is mapped for {@code REQUEST} and {@code ASYNC} dispatches, except where a test says otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AsyncContract {
  private static final String STORED = "pagecache; fwd=uri-miss; stored";
  private static final String HIT = "pagecache; hit";
  private static final String RULES = """
      rules = [
        { path = "/complete" }
        { path = "/dispatch" }
        { path = "/learn" }
        { path = "/deferred" }
        { path = "/timeout", coalesceWait = 20s }
        { path = "/status500", coalesceWait = 20s }
        { path = "/dispatch-throws", coalesceWait = 20s }
        { path = "/sse" }
        { path = "/slow", coalesceWait = 20s }
        { path = "/large", maxBodyBytes = 1KiB }
        { path = "/swr", ttl = 10s, staleWhileRevalidate = 60s }
        { path = "/purged" }
        { path = "/sie", ttl = 10s, staleIfError = 60s }
        { path = "/reval" }
        { path = "/fallback" }
        { path = "/swr-dispatch", ttl = 10s, staleWhileRevalidate = 60s }
      ]
      """;
  private static final int LARGE_BYTES = 10_000;

  private final MutableClock clock = MutableClock.startingNow();
  private final HttpClient client = HttpClient.newHttpClient();
  private final ExecutorService background = Executors.newCachedThreadPool();
  /** Renders per endpoint: counted once per render, not per dispatch. */
  private final Map<String, AtomicInteger> renders = new ConcurrentHashMap<>();
  /** Opened by a test to let a waiting render go on; each endpoint waits at most 10 s. */
  private volatile CountDownLatch gate = new CountDownLatch(0);
  /** Whether /timeout completes (slowly) instead of timing out. */
  private volatile boolean timeoutRecovered;
  /** Whether /sie answers 500. */
  private volatile boolean sieFails;
  /** Counted down when a gated render has started. */
  private volatile CountDownLatch started = new CountDownLatch(1);
  /** Counted down when the request thread of a request has left the cache filter (see {@link ReturnWatch}). */
  private volatile CountDownLatch requestThreadReturned = new CountDownLatch(1);
  private PageCacheFilter filter;
  private Container container;

  abstract Container start(Container.App app) throws Exception;

  abstract String contextPath();

  @BeforeAll
  void startContainer() throws Exception {
    filter = newFilter();
    container = start(new Container.App(contextPath(), List.of(new ReturnWatch(), filter), servlets()));
  }

  @AfterAll
  void stopContainer() throws Exception {
    gate.countDown();
    container.close();
    background.shutdownNow();
  }

  @BeforeEach
  void emptyCache() {
    filter.pageCache().orElseThrow().purgeAll();
    gate = new CountDownLatch(0);
  }

  private PageCacheFilter newFilter() throws Exception {
    return new PageCacheFilter(PageCacheConfig.builder()
        .rules(RulesFileParser.parse(RULES, "async rules")).clock(clock).build());
  }

  /** A filter in front of the cache that says when the request thread has come back out of the chain. */
  private final class ReturnWatch implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      chain.doFilter(request, response);
      if (request.getDispatcherType() == DispatcherType.REQUEST) {
        requestThreadReturned.countDown();
      }
    }
  }

  // ---- the origin ----

  private interface AsyncBody {
    void write(AsyncContext async, int render) throws Exception;
  }

  /** A servlet that starts async processing and writes on another thread. */
  private HttpServlet asyncServlet(String name, AsyncBody body) {
    return new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse res) {
        int render = count(name);
        AsyncContext async = req.startAsync();
        background.execute(() -> {
          try {
            body.write(async, render);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
      }
    };
  }

  private int count(String name) {
    return renders.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
  }

  private int renders(String name) {
    AtomicInteger count = renders.get(name);
    return count == null ? 0 : count.get();
  }

  private void awaitGate() throws InterruptedException {
    started.countDown();
    gate.await(10, TimeUnit.SECONDS);
  }

  private static void writeBytes(AsyncContext async, String text) throws IOException {
    HttpServletResponse response = (HttpServletResponse) async.getResponse();
    response.setContentType("text/plain;charset=UTF-8");
    response.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A servlet that starts async processing, lets another thread dispatch, and writes in the async dispatch. */
  private HttpServlet dispatchingServlet(String name, boolean throwInDispatch) {
    return new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if (req.getDispatcherType() == DispatcherType.ASYNC) {
          if (throwInDispatch) {
            res.getWriter().print("partial");
            throw new IllegalStateException("the dispatched render failed");
          }
          res.setContentType("text/plain;charset=UTF-8");
          res.getWriter().print(name + " " + req.getAttribute("render"));
          return;
        }
        req.setAttribute("render", count(name));
        AsyncContext async = req.startAsync();
        background.execute(async::dispatch);
      }
    };
  }

  private Map<String, HttpServlet> servlets() {
    Map<String, HttpServlet> servlets = new LinkedHashMap<>();
    servlets.put("/complete", asyncServlet("complete", (async, n) -> {
      writeBytes(async, "complete " + n);
      async.complete();
    }));
    servlets.put("/dispatch", dispatchingServlet("dispatch", false));
    servlets.put("/learn", dispatchingServlet("learn", false));
    servlets.put("/dispatch-throws", dispatchingServlet("dispatch-throws", true));
    servlets.put("/swr-dispatch", dispatchingServlet("swr-dispatch", false));
    // As Spring MVC's DeferredResult: startAsync(request, response), the result set later by
    // another thread, then a dispatch in which the result is written (WebAsyncManager).
    servlets.put("/deferred", new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
        Object result = req.getAttribute("deferred.result");
        if (req.getDispatcherType() == DispatcherType.ASYNC && result != null) {
          res.setContentType("text/plain;charset=UTF-8");
          res.getWriter().print(result);
          return;
        }
        int render = count("deferred");
        // Spring 6.1+ hands startAsync a response wrapper of its own.
        AsyncContext async = req.startAsync(req, new jakarta.servlet.http.HttpServletResponseWrapper(res));
        async.setTimeout(30_000);
        CompletableFuture.runAsync(() -> {
          req.setAttribute("deferred.result", "deferred " + render);
          async.dispatch();
        }, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS, background));
      }
    });
    servlets.put("/timeout", new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
        int render = count("timeout");
        AsyncContext async = req.startAsync();
        if (timeoutRecovered) {
          background.execute(() -> {
            try {
              Thread.sleep(300);
              writeBytes(async, "recovered " + render);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            } finally {
              async.complete();
            }
          });
          return;
        }
        async.setTimeout(1000);
        async.getResponse().getWriter().print("never finished");
        started.countDown();
      }
    });
    servlets.put("/status500", asyncServlet("status500", (async, n) -> {
      awaitGate();
      writeBytes(async, "partial");
      ((HttpServletResponse) async.getResponse()).sendError(500);
      async.complete();
    }));
    servlets.put("/sse", asyncServlet("sse", (async, n) -> {
      HttpServletResponse response = (HttpServletResponse) async.getResponse();
      response.setContentType("text/event-stream");
      response.setCharacterEncoding("UTF-8");
      response.getWriter().print("data: event 1\n\n");
      response.getWriter().flush();
      awaitGate();
      response.getWriter().print("data: event 2\n\n");
      async.complete();
    }));
    servlets.put("/slow", asyncServlet("slow", (async, n) -> {
      Thread.sleep(300);
      writeBytes(async, "slow " + n);
      async.complete();
    }));
    servlets.put("/large", asyncServlet("large", (async, n) -> {
      HttpServletResponse response = (HttpServletResponse) async.getResponse();
      response.setContentType("application/octet-stream");
      byte[] bytes = new byte[LARGE_BYTES];
      java.util.Arrays.fill(bytes, (byte) ('0' + n % 10));
      for (int at = 0; at < LARGE_BYTES; at += 1000) {
        response.getOutputStream().write(bytes, at, 1000);
      }
      async.complete();
    }));
    servlets.put("/swr", asyncServlet("swr", (async, n) -> {
      if (n > 1) {
        awaitGate();
      }
      writeBytes(async, "swr " + n);
      async.complete();
    }));
    servlets.put("/purged", asyncServlet("purged", (async, n) -> {
      awaitGate();
      writeBytes(async, "purged " + n);
      async.complete();
    }));
    servlets.put("/sie", asyncServlet("sie", (async, n) -> {
      if (sieFails) {
        ((HttpServletResponse) async.getResponse()).sendError(503);
      } else {
        writeBytes(async, "sie " + n);
      }
      async.complete();
    }));
    // Answers a revalidation of version 1 with a 304 about another version.
    servlets.put("/reval", new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse res) {
        int render = count("reval");
        boolean revalidation = "\"v1\"".equals(req.getHeader("If-None-Match"));
        AsyncContext async = req.startAsync();
        background.execute(() -> {
          try {
            HttpServletResponse response = (HttpServletResponse) async.getResponse();
            response.setHeader("Cache-Control", "max-age=10");
            if (revalidation) {
              response.setStatus(304);
              response.setHeader("ETag", "\"another\"");
            } else {
              response.setHeader("ETag", "\"v1\"");
              writeBytes(async, "reval " + render);
            }
          } catch (IOException e) {
            throw new IllegalStateException(e);
          } finally {
            async.complete();
          }
        });
      }
    });
    // Never completes by itself; its own listener answers a timeout with a fallback.
    servlets.put("/fallback", new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
        count("fallback");
        AsyncContext async = req.startAsync();
        async.setTimeout(500);
        async.addListener(new jakarta.servlet.AsyncListener() {
          @Override
          public void onTimeout(jakarta.servlet.AsyncEvent event) throws IOException {
            event.getAsyncContext().getResponse().setContentType("text/plain;charset=UTF-8");
            event.getAsyncContext().getResponse().getWriter().print("fallback");
            event.getAsyncContext().complete();
          }

          @Override
          public void onComplete(jakarta.servlet.AsyncEvent event) { }

          @Override
          public void onError(jakarta.servlet.AsyncEvent event) { }

          @Override
          public void onStartAsync(jakarta.servlet.AsyncEvent event) { }
        });
        async.getResponse().getWriter().print("never finished");
      }
    });
    return servlets;
  }

  // ---- the client ----

  private HttpResponse<String> get(String path) throws Exception {
    return get(container, path);
  }

  private HttpResponse<String> get(Container in, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + in.port() + in.contextPath() + path)).timeout(Duration.ofSeconds(30)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> getLater(String path) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return get(path);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, background);
  }

  private static String cacheStatus(HttpResponse<?> response) {
    return response.headers().firstValue("Cache-Status").orElse(null);
  }

  private long notStored(String detail) {
    return filter.pageCache().orElseThrow().stats().notStored().getOrDefault(detail, 0L);
  }

  private dev.pagecache.PageCacheStats stats() {
    return filter.pageCache().orElseThrow().stats();
  }

  /** The filter learns from the first async dispatch it sees that it is mapped for them. */
  private void learnAsyncDispatches() throws Exception {
    assertThat(get("/learn").statusCode()).isEqualTo(200);
  }

  // ---- stored and served ----

  @Test
  void asyncRenderCompletedOnAnotherThreadIsStoredThenServedWithoutTheServlet() throws Exception {
    HttpResponse<String> miss = get("/complete");
    HttpResponse<String> hit = get("/complete");

    assertThat(miss.statusCode()).isEqualTo(200);
    assertThat(miss.body()).isEqualTo("complete 1");
    assertThat(cacheStatus(miss)).isEqualTo(STORED);
    assertThat(miss.headers().firstValue("Content-Length")).contains("10");
    assertThat(miss.headers().firstValue("ETag")).isPresent();
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(hit.body()).isEqualTo("complete 1");
    assertThat(hit.headers().firstValue("Content-Length")).contains("10");
    assertThat(hit.headers().firstValue("ETag")).isEqualTo(miss.headers().firstValue("ETag"));
    assertThat(renders("complete")).isEqualTo(1);
  }

  @Test
  void asyncRenderDispatchedToTheServletIsStoredThenServedWithoutTheServlet() throws Exception {
    learnAsyncDispatches();
    HttpResponse<String> miss = get("/dispatch");
    HttpResponse<String> hit = get("/dispatch");

    assertThat(miss.body()).isEqualTo("dispatch 1");
    assertThat(cacheStatus(miss)).isEqualTo(STORED);
    assertThat(hit.body()).isEqualTo("dispatch 1");
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(renders("dispatch")).isEqualTo(1);
  }

  @Test
  void deferredResultWrittenInTheAsyncDispatchIsStoredThenServedWithoutTheController() throws Exception {
    learnAsyncDispatches();
    HttpResponse<String> miss = get("/deferred");
    HttpResponse<String> hit = get("/deferred");

    assertThat(miss.body()).isEqualTo("deferred 1");
    assertThat(cacheStatus(miss)).isEqualTo(STORED);
    assertThat(hit.body()).isEqualTo("deferred 1");
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertThat(renders("deferred")).isEqualTo(1);
  }

  @Test
  void withoutAnAsyncMappingADispatchedRenderStreamsThroughWholeAndIsNotStored() throws Exception {
    PageCacheFilter requestOnly = newFilter();
    try (Container unmapped = start(new Container.App(contextPath(), List.of(requestOnly), servlets(),
        EnumSet.of(DispatcherType.REQUEST)))) {
      int before = renders("dispatch");
      HttpResponse<String> first = get(unmapped, "/dispatch");
      HttpResponse<String> second = get(unmapped, "/dispatch");

      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.body()).isEqualTo("dispatch " + (before + 1));
      assertThat(cacheStatus(first)).isEqualTo("pagecache; fwd=uri-miss; detail=async");
      assertThat(second.body()).isEqualTo("dispatch " + (before + 2));
      assertThat(cacheStatus(second)).isEqualTo("pagecache; fwd=uri-miss; detail=async");
    }
  }

  // ---- given up ----

  @Test
  void timedOutAsyncRenderIsNotStoredAndItsWaitersRenderForThemselves() throws Exception {
    started = new CountDownLatch(1);
    long waitsBefore = stats().coalescedWaits();
    long timeoutsBefore = stats().coalesceTimeouts();
    long storesBefore = stats().stores();
    long timedOutBefore = notStored("async-timeout");
    CompletableFuture<HttpResponse<String>> first = getLater("/timeout");
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<HttpResponse<String>> waiter = getLater("/timeout");
    awaitWaiting(waitsBefore + 1);

    HttpResponse<String> timedOut = first.get(20, TimeUnit.SECONDS);
    HttpResponse<String> waited = waiter.get(20, TimeUnit.SECONDS);
    HttpResponse<String> next = get("/timeout");

    assertThat(timedOut.statusCode()).isEqualTo(500);
    assertThat(timedOut.body()).doesNotContain("never finished");
    assertThat(waited.statusCode()).isEqualTo(500);
    assertThat(next.statusCode()).isEqualTo(500);
    assertThat(renders("timeout")).as("the waiter and the next request render for themselves").isEqualTo(3);
    assertThat(stats().coalescedWaits()).isGreaterThan(waitsBefore);
    assertThat(stats().coalesceTimeouts()).as("the waiter was let go, not timed out").isEqualTo(timeoutsBefore);
    assertThat(notStored("async-timeout") - timedOutBefore).isEqualTo(3);
    assertThat(stats().stores()).isEqualTo(storesBefore);
  }

  @Test
  void aTimeoutDoesNotStopTheNextRequestsFromWaitingForOneRender() throws Exception {
    started = new CountDownLatch(1);
    assertThat(get("/timeout").statusCode()).isEqualTo(500);
    timeoutRecovered = true;
    try {
      int before = renders("timeout");
      List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        responses.add(getLater("/timeout"));
      }
      for (CompletableFuture<HttpResponse<String>> response : responses) {
        assertThat(response.get(20, TimeUnit.SECONDS).body()).isEqualTo("recovered " + (before + 1));
      }
      assertThat(renders("timeout")).as("coalesced: the timeout did not mark the page uncacheable")
          .isEqualTo(before + 1);
    } finally {
      timeoutRecovered = false;
    }
  }

  @Test
  void asyncRenderThatAnswers500IsNotStoredAndItsWaiterIsAnswered() throws Exception {
    gate = new CountDownLatch(1);
    started = new CountDownLatch(1);
    long timeoutsBefore = stats().coalesceTimeouts();
    long storesBefore = stats().stores();
    long waitsBefore = stats().coalescedWaits();
    CompletableFuture<HttpResponse<String>> first = getLater("/status500");
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<HttpResponse<String>> waiter = getLater("/status500");
    awaitWaiting(waitsBefore + 1);
    gate.countDown();

    HttpResponse<String> failed = first.get(20, TimeUnit.SECONDS);
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(cacheStatus(failed)).isEqualTo("pagecache; fwd=uri-miss; detail=status");
    assertThat(waiter.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(500);
    assertThat(stats().coalesceTimeouts()).isEqualTo(timeoutsBefore);
    assertThat(stats().stores()).isEqualTo(storesBefore);
    assertThat(get("/status500").statusCode()).as("rendered again").isEqualTo(500);
    assertThat(renders("status500")).isEqualTo(3);
  }

  @Test
  void asyncDispatchThatThrowsIsNotStoredAndTheNextRequestRendersAgain() throws Exception {
    learnAsyncDispatches();
    long storesBefore = stats().stores();
    HttpResponse<String> failed = get("/dispatch-throws");
    HttpResponse<String> again = get("/dispatch-throws");

    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.body()).doesNotContain("partial");
    assertThat(cacheStatus(failed)).isEqualTo("pagecache; fwd=uri-miss; detail=exception");
    assertThat(again.statusCode()).isEqualTo(500);
    assertThat(renders("dispatch-throws")).isEqualTo(2);
    assertThat(stats().stores()).isEqualTo(storesBefore);
  }

  @Test
  void applicationsFallbackAfterATimeoutReachesTheClientAndIsNotStored() throws Exception {
    int before = renders("fallback");
    HttpResponse<String> first = get("/fallback");
    HttpResponse<String> second = get("/fallback");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("fallback");
    assertThat(cacheStatus(first)).isEqualTo("pagecache; fwd=uri-miss; detail=async-timeout");
    assertThat(second.body()).isEqualTo("fallback");
    assertThat(renders("fallback")).isEqualTo(before + 2);
  }

  private void awaitWaiting(long waits) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (stats().coalescedWaits() < waits && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  // ---- streamed ----

  @Test
  void asyncEventStreamStillStreams() throws Exception {
    gate = new CountDownLatch(1);
    try {
      HttpRequest subscribe = HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + container.port() + container.contextPath() + "/sse")).build();
      HttpResponse<java.util.stream.Stream<String>> response = client.sendAsync(subscribe,
          HttpResponse.BodyHandlers.ofLines()).get(5, TimeUnit.SECONDS);
      String firstLine = CompletableFuture.supplyAsync(() -> response.body().iterator().next(), background)
          .get(5, TimeUnit.SECONDS);

      assertThat(firstLine).isEqualTo("data: event 1");
      assertThat(cacheStatus(response)).isEqualTo("pagecache; fwd=uri-miss; detail=event-stream");
      assertThat(gate.getCount()).as("the render is still going").isEqualTo(1);
    } finally {
      gate.countDown();
    }
  }

  @Test
  void asyncBodyOverTheLimitStreamsThroughWholeAndIsNotStored() throws Exception {
    HttpResponse<String> first = get("/large");
    HttpResponse<String> second = get("/large");

    assertThat(first.body()).hasSize(LARGE_BYTES).matches("1+");
    assertThat(cacheStatus(first)).isEqualTo("pagecache; fwd=uri-miss; detail=too-large");
    assertThat(second.body()).hasSize(LARGE_BYTES).matches("2+");
  }

  // ---- one render ----

  @Test
  void concurrentRequestsForASlowAsyncPageRenderItOnce() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      responses.add(getLater("/slow"));
    }
    for (CompletableFuture<HttpResponse<String>> response : responses) {
      assertThat(response.get(20, TimeUnit.SECONDS).body()).isEqualTo("slow 1");
    }
    assertThat(renders("slow")).isEqualTo(1);
  }

  // ---- stale while revalidate ----

  @Test
  void staleAnswerIsWholeWhileTheAsyncRefreshRendersAndTheRefreshIsStored() throws Exception {
    assertThat(get("/swr").body()).isEqualTo("swr 1");
    clock.advance(Duration.ofSeconds(11));
    gate = new CountDownLatch(1);
    started = new CountDownLatch(1);
    requestThreadReturned = new CountDownLatch(1);
    long storesBefore = stats().stores();
    try {
      HttpResponse<String> stale = get("/swr");

      assertThat(stale.body()).isEqualTo("swr 1");
      assertThat(cacheStatus(stale)).isEqualTo("pagecache; hit; detail=stale");
      assertThat(started.await(10, TimeUnit.SECONDS)).as("the refresh renders").isTrue();
      assertThat(requestThreadReturned.await(10, TimeUnit.SECONDS))
          .as("the stale answer's request thread left while the refresh was rendering").isTrue();
      assertThat(gate.getCount()).as("the refresh is still rendering").isEqualTo(1);
    } finally {
      gate.countDown();
    }
    awaitStores(storesBefore + 1);
    HttpResponse<String> refreshed = get("/swr");
    assertThat(refreshed.body()).isEqualTo("swr 2");
    assertThat(cacheStatus(refreshed)).isEqualTo(HIT);
  }

  @Test
  void staleAnswerIsWholeAndTheRefreshRenderedInAnAsyncDispatchIsStored() throws Exception {
    learnAsyncDispatches();
    int before = renders("swr-dispatch");
    assertThat(get("/swr-dispatch").body()).isEqualTo("swr-dispatch " + (before + 1));
    clock.advance(Duration.ofSeconds(11));
    long storesBefore = stats().stores();

    HttpResponse<String> stale = get("/swr-dispatch");
    awaitStores(storesBefore + 1);
    HttpResponse<String> refreshed = get("/swr-dispatch");

    assertThat(stale.body()).isEqualTo("swr-dispatch " + (before + 1));
    assertThat(cacheStatus(stale)).isEqualTo("pagecache; hit; detail=stale");
    assertThat(refreshed.body()).isEqualTo("swr-dispatch " + (before + 2));
    assertThat(cacheStatus(refreshed)).isEqualTo(HIT);
  }

  private void awaitStores(long atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (stats().stores() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(stats().stores()).as("stores").isGreaterThanOrEqualTo(atLeast);
  }

  // ---- stale copies and revalidation ----

  @Test
  void staleCopyAnswersWhenTheAsyncRenderOfAnExpiredPageFails() throws Exception {
    assertThat(get("/sie").body()).isEqualTo("sie 1");
    clock.advance(Duration.ofSeconds(11));
    sieFails = true;
    try {
      HttpResponse<String> stale = get("/sie");

      assertThat(stale.statusCode()).isEqualTo(200);
      assertThat(stale.body()).isEqualTo("sie 1");
      assertThat(cacheStatus(stale)).isEqualTo("pagecache; hit; detail=stale-if-error");
      assertThat(renders("sie")).isEqualTo(2);
    } finally {
      sieFails = false;
    }
  }

  @Test
  void notModifiedAboutAnotherVersionToAnAsyncRevalidationAnswers502AndDropsTheStoredPage() throws Exception {
    int before = renders("reval");
    assertThat(get("/reval").body()).isEqualTo("reval " + (before + 1));
    clock.advance(Duration.ofSeconds(15));

    HttpResponse<String> mismatch = get("/reval");
    HttpResponse<String> next = get("/reval");

    assertThat(mismatch.statusCode()).isEqualTo(502);
    assertThat(cacheStatus(mismatch)).endsWith("detail=validator-mismatch");
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(next.body()).as("rendered whole, not revalidated again").isEqualTo("reval " + (before + 3));
  }

  // ---- purges win ----

  @Test
  void purgeDuringAnAsyncRenderWins() throws Exception {
    gate = new CountDownLatch(1);
    started = new CountDownLatch(1);
    CompletableFuture<HttpResponse<String>> rendering = getLater("/purged");
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    filter.pageCache().orElseThrow().purge(
        URI.create("http://127.0.0.1:" + container.port() + container.contextPath() + "/purged"));
    gate.countDown();

    HttpResponse<String> purged = rendering.get(20, TimeUnit.SECONDS);
    HttpResponse<String> next = get("/purged");

    assertThat(purged.body()).isEqualTo("purged 1");
    assertThat(cacheStatus(purged)).contains("detail=purged");
    assertThat(next.body()).isEqualTo("purged 2");
  }
}
