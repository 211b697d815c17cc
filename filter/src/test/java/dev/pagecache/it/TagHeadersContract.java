package dev.pagecache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.rules.RulesFileParser;
import dev.pagecache.store.CacheEntry;
import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.internal.store.CaffeinePageStore;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.StoreStats;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code Surrogate-Key} and {@code Cache-Tag} are the application's word to the cache: whatever
 * way a response reaches the client (a miss, a hit, a response not stored, a bypass), the client
 * does not see them, unless the rule keeps them for a CDN further down. Where no rule matches,
 * they are none of the cache's business and pass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TagHeadersContract {
  private static final String STORED = "pagecache; fwd=uri-miss; stored";
  private static final String HIT = "pagecache; hit";
  private static final String RULES = """
      rules = [
        { path = "/tagged" }
        { path = "/tagged-kept", keepTagHeaders = true }
        { path = "/tagged-private" }
        { path = "/tagged-large", maxBodyBytes = 1KiB }
        { path = "/tagged-excluded", cache = false }
        { path = "/tagged-numbers" }
        { path = "/tagged-legacy" }
      ]
      """;

  private final MutableClock clock = MutableClock.startingNow();
  private final HttpClient client = HttpClient.newHttpClient();
  private final LegacyStore store = new LegacyStore(new CaffeinePageStore(16L << 20, clock));
  private PageCacheFilter filter;
  private Container container;

  abstract Container start(Container.App app) throws Exception;

  abstract String contextPath();

  @BeforeAll
  void startContainer() throws Exception {
    filter = new PageCacheFilter(PageCacheConfig.builder()
        .rules(RulesFileParser.parse(RULES, "tag rules")).store(store).clock(clock).build());
    Endpoint tagged = (req, res, n) -> {
      res.setHeader("Surrogate-Key", "a b");
      res.addHeader("Cache-Tag", "c");
      if (req.getServletPath().equals("/tagged-private")) {
        res.setHeader("Cache-Control", "private");
      }
      res.setContentType("text/plain");
      // What the application set, it can read back, even when the client never gets it.
      res.getWriter().print("render " + n + " sees " + res.getHeader("Surrogate-Key") + " / " + res.getHeader("Cache-Tag"));
      if (req.getServletPath().equals("/tagged-large")) {
        res.getWriter().print("x".repeat(20_000)); // past the writer's own 8 KiB buffer
      }
    };
    Endpoint numbers = (req, res, n) -> {
      res.setIntHeader("Surrogate-Key", 42);
      res.addDateHeader("Cache-Tag", 0);
      res.getWriter().print("numbers " + n);
    };
    Map<String, HttpServlet> servlets = new LinkedHashMap<>();
    for (String path : List.of("/tagged", "/tagged-kept", "/tagged-private", "/tagged-large", "/tagged-excluded",
        "/tagged-legacy", "/untagged-rule-less")) {
      servlets.put(path, tagged.asServlet("tags" + path));
    }
    servlets.put("/tagged-numbers", numbers.asServlet("tags/tagged-numbers"));
    container = start(new Container.App(contextPath(), List.of(filter), servlets));
  }

  @AfterAll
  void stopContainer() throws Exception {
    container.close();
  }

  @BeforeEach
  void emptyCache() {
    filter.pageCache().orElseThrow().purgeAll();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + container.port() + container.contextPath() + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String cacheStatus(HttpResponse<String> response) {
    return response.headers().firstValue("Cache-Status").orElse(null);
  }

  private static void assertNoTagFields(HttpResponse<String> response, String what) {
    assertThat(response.headers().allValues("Surrogate-Key")).as("Surrogate-Key on the " + what).isEmpty();
    assertThat(response.headers().allValues("Cache-Tag")).as("Cache-Tag on the " + what).isEmpty();
  }

  private static void assertTagFields(HttpResponse<String> response, String what) {
    assertThat(response.headers().allValues("Surrogate-Key")).as("Surrogate-Key on the " + what).containsExactly("a b");
    assertThat(response.headers().allValues("Cache-Tag")).as("Cache-Tag on the " + what).containsExactly("c");
  }

  @Test
  void tagFieldsReachNeitherTheMissNorTheHit() throws Exception {
    HttpResponse<String> miss = get("/tagged");
    HttpResponse<String> hit = get("/tagged");

    assertThat(cacheStatus(miss)).isEqualTo(STORED);
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertNoTagFields(miss, "miss");
    assertNoTagFields(hit, "hit");
    assertThat(hit.body()).isEqualTo(miss.body()).endsWith("sees a b / c");
  }

  @Test
  void aRuleThatKeepsTagFieldsSendsThemOnTheMissAndTheHit() throws Exception {
    HttpResponse<String> miss = get("/tagged-kept");
    HttpResponse<String> hit = get("/tagged-kept");

    assertThat(cacheStatus(miss)).isEqualTo(STORED);
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertTagFields(miss, "miss");
    assertTagFields(hit, "hit");
  }

  @Test
  void aResponseThatIsNotStoredLosesItsTagFieldsToo() throws Exception {
    HttpResponse<String> response = get("/tagged-private");

    assertThat(cacheStatus(response)).isEqualTo("pagecache; fwd=uri-miss; detail=private");
    assertNoTagFields(response, "private response");
  }

  @Test
  void aResponseLetGoEarlyLosesItsTagFields() throws Exception {
    HttpResponse<String> response = get("/tagged-large");

    assertThat(cacheStatus(response)).isEqualTo("pagecache; fwd=uri-miss; detail=too-large");
    assertThat(response.body()).hasSizeGreaterThan(20_000);
    assertNoTagFields(response, "large response");
  }

  @Test
  void aBypassUnderARuleLosesItsTagFields() throws Exception {
    HttpResponse<String> authorized = get("/tagged", "Authorization", "Bearer secret");
    HttpResponse<String> excluded = get("/tagged-excluded");

    assertThat(cacheStatus(authorized)).isEqualTo("pagecache; fwd=bypass; detail=authorization");
    assertNoTagFields(authorized, "bypass with Authorization");
    assertThat(authorized.body()).as("the application reads back what it set").endsWith("sees a b / c");
    assertThat(cacheStatus(excluded)).isEqualTo("pagecache; fwd=bypass; detail=excluded");
    assertNoTagFields(excluded, "excluded path");
  }

  @Test
  void tagFieldsSetAsNumbersOrDatesAreWithheldToo() throws Exception {
    HttpResponse<String> miss = get("/tagged-numbers");
    HttpResponse<String> bypass = get("/tagged-numbers", "Authorization", "Bearer secret");

    assertThat(cacheStatus(miss)).isEqualTo(STORED);
    assertNoTagFields(miss, "miss");
    assertThat(cacheStatus(bypass)).isEqualTo("pagecache; fwd=bypass; detail=authorization");
    assertNoTagFields(bypass, "bypass");
  }

  @Test
  void aStoredPageThatHoldsTagFieldsIsServedWithoutThem() throws Exception {
    HttpResponse<String> miss = get("/tagged-legacy");
    HttpResponse<String> hit = get("/tagged-legacy");

    assertThat(store.legacyPagesStored).as("pages stored with their tag fields, as an earlier version did").isEqualTo(1);
    assertThat(cacheStatus(miss)).isEqualTo(STORED);
    assertThat(cacheStatus(hit)).isEqualTo(HIT);
    assertNoTagFields(hit, "hit");
  }

  @Test
  void withoutARuleTagFieldsAreNoneOfTheCachesBusiness() throws Exception {
    HttpResponse<String> response = get("/untagged-rule-less");

    assertThat(cacheStatus(response)).isEqualTo("pagecache; fwd=bypass; detail=no-rule");
    assertTagFields(response, "response no rule matched");
  }

  /**
   * Stores the pages of {@code /tagged-legacy} with tag fields, as a version that stored them did
   * (in memcached, such pages outlive an upgrade).
   */
  private static final class LegacyStore implements PageStore {
    private final PageStore delegate;
    volatile int legacyPagesStored;

    LegacyStore(PageStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Optional<CacheEntry> get(String key) {
      return delegate.get(key);
    }

    @Override
    public void put(String key, CacheEntry entry) {
      if (key.contains("/tagged-legacy") && entry instanceof CachedPage page) {
        ByteBuffer body = page.body();
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        entry = CachedPage.builder().status(page.status())
            .headers(page.headers().toBuilder().add("Surrogate-Key", "a b").add("Cache-Tag", "c").build())
            .contentType(page.contentType().orElse(null)).body(bytes).date(page.date()).storedAt(page.storedAt())
            .initialAge(page.initialAge()).expiresAt(page.expiresAt())
            .staleWhileRevalidateUntil(page.staleWhileRevalidateUntil()).staleIfErrorUntil(page.staleIfErrorUntil())
            .etag(page.etag().orElse(null)).lastModified(page.lastModified().orElse(null)).build();
        legacyPagesStored++;
      }
      delegate.put(key, entry);
    }

    @Override
    public void remove(String key) {
      delegate.remove(key);
    }

    @Override
    public void clear() {
      delegate.clear();
    }

    @Override
    public StoreStats stats() {
      return delegate.stats();
    }
  }
}
