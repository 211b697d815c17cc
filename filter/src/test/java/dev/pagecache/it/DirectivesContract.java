package dev.pagecache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.rules.RulesFileParser;
import dev.pagecache.internal.store.CaffeinePageStore;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a response tells this cache beyond {@code Cache-Control}: targeted fields (RFC 9213) decide
 * storage and lifetime and are withheld or passed as the rule says, on misses and hits; the first
 * member of an {@code Age} list counts; {@code Accept-Language} spellings of one preference share a
 * variant; a rule may allow heuristic freshness.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DirectivesContract {
  private static final String RULES = """
      rules = [
        { path = "/d" }
        { path = "/pass", passedTargetedFields = [Pagecache-Control, CDN-Cache-Control] }
        { path = "/lang" }
        { path = "/heuristic", ttl = origin, heuristic = true }
        { path = "/origin-only", ttl = origin }
      ]
      """;

  private final MutableClock clock = MutableClock.startingNow();
  private final HttpClient client = HttpClient.newHttpClient();
  private PageCacheFilter filter;
  private Container container;

  abstract Container start(Container.App app) throws Exception;

  abstract String contextPath();

  @BeforeAll
  void startContainer() throws Exception {
    filter = new PageCacheFilter(PageCacheConfig.builder()
        .rules(RulesFileParser.parse(RULES, "directive rules"))
        .store(new CaffeinePageStore(16L << 20, clock)).clock(clock).build());
    // Sets every query parameter as a response field: /d?Cache-Control=max-age%3D60
    Endpoint echo = (req, res, n) -> {
      for (Map.Entry<String, String[]> parameter : req.getParameterMap().entrySet()) {
        for (String value : parameter.getValue()) {
          res.addHeader(parameter.getKey(), value);
        }
      }
      res.setContentType("text/plain");
      res.getWriter().print("render " + n);
    };
    Endpoint language = (req, res, n) -> {
      res.setHeader("Cache-Control", "max-age=60");
      res.setHeader("Vary", "Accept-Language");
      res.setContentType("text/plain");
      res.getWriter().print("render " + n + " for " + req.getHeader("Accept-Language"));
    };
    // Last modified 1000 s before the cache's clock: a tenth of that is 100 s.
    Endpoint modified = (req, res, n) -> {
      res.setHeader("Last-Modified", HttpDates.format(clock.instant().minusSeconds(1000)));
      res.setContentType("text/plain");
      res.getWriter().print("render " + n);
    };
    Map<String, HttpServlet> servlets = new LinkedHashMap<>();
    servlets.put("/d", echo.asServlet("directives/d"));
    servlets.put("/pass", echo.asServlet("directives/pass"));
    servlets.put("/lang", language.asServlet("directives/lang"));
    servlets.put("/heuristic", modified.asServlet("directives/heuristic"));
    servlets.put("/origin-only", modified.asServlet("directives/origin-only"));
    container = start(new Container.App(contextPath(), java.util.List.of(filter), servlets));
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

  /** A path whose response carries these fields (name, value, name, value...). */
  private static String with(String path, String... fields) {
    StringBuilder query = new StringBuilder(path).append('?');
    for (int i = 0; i < fields.length; i += 2) {
      query.append(i == 0 ? "" : "&").append(fields[i]).append('=')
          .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
    }
    return query.toString();
  }

  private static String cacheStatus(HttpResponse<String> response) {
    return response.headers().firstValue("Cache-Status").orElse("");
  }

  private static void assertNotStoredTwice(HttpResponse<String> first, HttpResponse<String> second, String detail) {
    assertThat(cacheStatus(first)).contains("detail=" + detail);
    assertThat(second.body()).as("rendered again").isNotEqualTo(first.body());
  }

  @Test
  void cdnNoStoreIsNotStoredWhateverCacheControlSays() throws Exception {
    String page = with("/d", "Cache-Control", "max-age=60", "CDN-Cache-Control", "no-store");
    assertNotStoredTwice(get(page), get(page), "no-store");
  }

  @Test
  void theTargetedLifetimeReplacesCacheControls() throws Exception {
    String page = with("/d", "Cache-Control", "max-age=0", "CDN-Cache-Control", "max-age=600");
    HttpResponse<String> miss = get(page);
    assertThat(cacheStatus(miss)).endsWith("stored");
    clock.advance(Duration.ofSeconds(599));
    HttpResponse<String> hit = get(page);
    assertThat(cacheStatus(hit)).isEqualTo("pagecache; hit");
    assertThat(hit.body()).isEqualTo(miss.body());
    assertThat(hit.headers().firstValue("Cache-Control")).as("the browser's lifetime is the origin's").contains("max-age=0");
    clock.advance(Duration.ofSeconds(2));
    assertThat(get(page).body()).isNotEqualTo(miss.body());
  }

  @Test
  void pagecacheControlIsWithheldAndCdnCacheControlPassedOnMissAndHit() throws Exception {
    String page = with("/d", "Pagecache-Control", "max-age=60", "CDN-Cache-Control", "max-age=30");
    HttpResponse<String> miss = get(page);
    HttpResponse<String> hit = get(page);
    assertThat(cacheStatus(hit)).isEqualTo("pagecache; hit");
    for (HttpResponse<String> response : java.util.List.of(miss, hit)) {
      assertThat(response.headers().allValues("Pagecache-Control")).as(cacheStatus(response)).isEmpty();
      assertThat(response.headers().allValues("CDN-Cache-Control")).as(cacheStatus(response)).containsExactly("max-age=30");
    }
    clock.advance(Duration.ofSeconds(59));
    assertThat(get(page).body()).as("Pagecache-Control, first listed, gave 60 s").isEqualTo(miss.body());
  }

  @Test
  void aTargetedFieldIsWithheldFromAResponseNotStoredToo() throws Exception {
    HttpResponse<String> response = get(with("/d", "Pagecache-Control", "no-store"));
    assertThat(cacheStatus(response)).contains("detail=no-store");
    assertThat(response.headers().allValues("Pagecache-Control")).isEmpty();
  }

  @Test
  void aTargetedFieldIsWithheldFromTheAnswerToAPostToo() throws Exception {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + container.port() + container.contextPath() + with("/d", "Pagecache-Control", "max-age=60",
                "CDN-Cache-Control", "max-age=30")))
        .POST(HttpRequest.BodyPublishers.ofString("edit")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(cacheStatus(response)).contains("fwd=method");
    assertThat(response.headers().allValues("Pagecache-Control")).as("meant for pagecache alone").isEmpty();
    assertThat(response.headers().allValues("CDN-Cache-Control")).as("passed on by the rule").containsExactly("max-age=30");
  }

  @Test
  void aRuleMayPassPagecacheControlOn() throws Exception {
    String page = with("/pass", "Pagecache-Control", "max-age=60");
    HttpResponse<String> miss = get(page);
    HttpResponse<String> hit = get(page);
    assertThat(cacheStatus(hit)).isEqualTo("pagecache; hit");
    assertThat(miss.headers().allValues("Pagecache-Control")).containsExactly("max-age=60");
    assertThat(hit.headers().allValues("Pagecache-Control")).containsExactly("max-age=60");
  }

  @Test
  void cacheControlPrivateStillRefusesUnlessTheTargetedFieldSaysPublic() throws Exception {
    String privatePage = with("/d", "Cache-Control", "private", "CDN-Cache-Control", "max-age=60");
    assertNotStoredTwice(get(privatePage), get(privatePage), "private");

    String meant = with("/d", "Cache-Control", "private", "CDN-Cache-Control", "public, max-age=60");
    HttpResponse<String> miss = get(meant);
    assertThat(cacheStatus(miss)).endsWith("stored");
    assertThat(get(meant).body()).isEqualTo(miss.body());
  }

  @Test
  void anInvalidTargetedFieldIsIgnored() throws Exception {
    String page = with("/d", "Cache-Control", "max-age=60", "CDN-Cache-Control", "No-Store");
    HttpResponse<String> miss = get(page);
    assertThat(cacheStatus(miss)).endsWith("stored");
  }

  @Test
  void ofAnAgeListTheFirstMemberCounts() throws Exception {
    String page = with("/d", "Cache-Control", "max-age=3600", "Age", "7200, 0");
    assertNotStoredTwice(get(page), get(page), "not-fresh");
    String young = with("/d", "Cache-Control", "max-age=3600", "Age", "60, 7200");
    HttpResponse<String> miss = get(young);
    assertThat(cacheStatus(miss)).endsWith("stored");
    assertThat(get(young).headers().firstValue("Age")).contains("60");
  }

  @Test
  void anInvalidAgeIsNeverFresh() throws Exception {
    String page = with("/d", "Cache-Control", "max-age=3600", "Age", "-1");
    assertNotStoredTwice(get(page), get(page), "not-fresh");
  }

  @Test
  void twoSpellingsOfOneLanguagePreferenceShareAVariant() throws Exception {
    HttpResponse<String> first = get("/lang", "Accept-Language", "en-US,fr;q=0.8");
    assertThat(cacheStatus(first)).endsWith("stored");
    HttpResponse<String> second = get("/lang", "Accept-Language", "fr;q=0.8, EN-us");
    assertThat(cacheStatus(second)).isEqualTo("pagecache; hit");
    assertThat(second.body()).isEqualTo(first.body());
    HttpResponse<String> other = get("/lang", "Accept-Language", "fr, en-US;q=0.8");
    assertThat(other.body()).isNotEqualTo(first.body());
  }

  @Test
  void aRuleMayAllowHeuristicFreshness() throws Exception {
    HttpResponse<String> miss = get("/heuristic");
    assertThat(cacheStatus(miss)).endsWith("stored");
    clock.advance(Duration.ofSeconds(99));
    assertThat(get("/heuristic").body()).isEqualTo(miss.body());
    clock.advance(Duration.ofSeconds(2));
    assertThat(get("/heuristic").body()).isNotEqualTo(miss.body());
  }

  @Test
  void withoutHeuristicFreshnessATtlOriginRuleStoresNothingWithoutALifetime() throws Exception {
    assertNotStoredTwice(get("/origin-only"), get("/origin-only"), "no-lifetime");
  }
}
