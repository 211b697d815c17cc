package dev.pagecache.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.rules.RulesFileParser;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pages a rule (or the API) names are rendered before anyone asks, and refreshed before they expire. */
class RefreshAheadIT {
  private static final String RULES = """
      rules = [
        { path = "/hot", ttl = 2s, warmUrls = ["/hot"] }
        { path = "/api-hot", ttl = 60s }
        { path = "/flaky", ttl = 60s }
      ]
      """;

  /** The site the warm pages belong to: what clients put in Host, and the key warm renders are stored under. */
  private static final String SITE = "www.example.test";

  private static io.restassured.specification.RequestSpecification client(Container container) {
    return given().port(container.port()).header("Host", SITE);
  }

  private static void awaitRenders(String name, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Endpoint.renders(name) < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(Endpoint.renders(name)).as(name + " renders").isGreaterThanOrEqualTo(count);
  }

  @Test
  void warmPagesAreRenderedAtStartAndRefreshedBeforeTheyExpire() throws Exception {
    PageCacheFilter filter = new PageCacheFilter(PageCacheConfig.builder()
        .rules(RulesFileParser.parse(RULES, "warm rules")).maxCacheBytes(16 << 20)
        .warmBaseUrl(java.net.URI.create("http://" + SITE)).build());
    List<String> warmHosts = new java.util.concurrent.CopyOnWriteArrayList<>();
    Endpoint hot = (req, res, n) -> {
      warmHosts.add(req.getHeader("Host"));
      res.getWriter().print("hot render " + n);
    };
    Endpoint apiHot = (req, res, n) -> res.getWriter().print("api-hot render " + n);
    Endpoint other = (req, res, n) -> res.getWriter().print("other");
    java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean(true);
    Endpoint flaky = (req, res, n) -> {
      if (failing.get()) {
        res.sendError(503);
        return;
      }
      res.getWriter().print("flaky render " + n);
    };
    try (Container jetty = JettyContainer.start(new Container.App("", List.of(filter), Map.of(
        "/hot", hot.asServlet("warm-hot"), "/api-hot", apiHot.asServlet("warm-api-hot"), "/other", other.asServlet("warm-other"),
        "/flaky", flaky.asServlet("warm-flaky"))))) {
      int before = Endpoint.renders("warm-hot");
      // The first request tells the cache where its own server listens; its Host, which the client
      // chose, tells it nothing.
      given().port(jetty.port()).header("Host", "evil.test").get("http://127.0.0.1/other");
      awaitRenders("warm-hot", before + 1);
      Response first = client(jetty).get("http://127.0.0.1/hot");
      assertThat(first.header("Cache-Status")).as("never asked for by a client, yet cached").isEqualTo("pagecache; hit");
      assertThat(warmHosts).as("warm renders name the configured site").containsOnly(SITE);
      assertThat(given().port(jetty.port()).header("Host", "evil.test").get("http://127.0.0.1/hot")
          .header("Cache-Status")).as("nothing was stored for the host the first client sent")
          .isEqualTo("pagecache; fwd=uri-miss; stored");

      // For twice its 2 s lifetime, every request is a hit: the copy is renewed before it expires.
      List<String> statuses = new ArrayList<>();
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4_500);
      while (System.nanoTime() < end) {
        statuses.add(client(jetty).get("http://127.0.0.1/hot").header("Cache-Status"));
        Thread.sleep(50);
      }
      assertThat(statuses).containsOnly("pagecache; hit");
      assertThat(Endpoint.renders("warm-hot")).as("refreshed ahead").isGreaterThanOrEqualTo(before + 3);

      int apiBefore = Endpoint.renders("warm-api-hot");
      filter.pageCache().orElseThrow().keepWarm("/api-hot");
      awaitRenders("warm-api-hot", apiBefore + 1);
      assertThat(client(jetty).get("http://127.0.0.1/api-hot").header("Cache-Status")).isEqualTo("pagecache; hit");

      // A warm render that fails is tried again later (after 5 s, then less often).
      int flakyBefore = Endpoint.renders("warm-flaky");
      filter.pageCache().orElseThrow().keepWarm("/flaky");
      awaitRenders("warm-flaky", flakyBefore + 1);
      failing.set(false);
      awaitRenders("warm-flaky", flakyBefore + 2);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      String status = null;
      while (!"pagecache; hit".equals(status) && System.nanoTime() < deadline) {
        Thread.sleep(50);
        status = filter.pageCache().orElseThrow().stats().stores() > 0
            ? client(jetty).get("http://127.0.0.1/flaky").header("Cache-Status") : null;
      }
      assertThat(status).isEqualTo("pagecache; hit");
    }
  }
}
