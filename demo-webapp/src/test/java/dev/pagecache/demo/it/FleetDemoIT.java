package dev.pagecache.demo.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two demo processes (the built jar) behind one load balancer, sharing one real memcached: what a
 * visitor changes through one shows on the other within the purge sync interval
 * ({@code pagecache.memcached.syncInterval}, 1 s by default), although each answers from its own
 * memory until then. Every request carries the site's own {@code Host}, as a load balancer passes
 * it. Each test uses its own pages and users, so the tests share the two processes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetDemoIT {
  static final String SITE = "demo.example";
  static final String HIT_FROM_MEMORY = "pagecache; hit";
  /**
   * The default sync interval, plus room for a busy machine: a request sent this long after a
   * change answered by one process must get the changed page from the other.
   */
  static final Duration BOUND = Duration.ofMillis(1000 + 300);
  static final Duration POLL = Duration.ofMillis(20);
  /** How long a poll goes on, well past the bound, so that a failure reports the delay it saw. */
  static final Duration GIVE_UP = Duration.ofSeconds(10);

  MemcachedProcess memcached;
  DemoJar a;
  DemoJar b;

  @BeforeAll
  void start() throws Exception {
    memcached = MemcachedProcess.start();
    a = DemoJar.start("--port", "0", "--delay-scale", "0", "--memcached", memcached.address());
    b = DemoJar.start("--port", "0", "--delay-scale", "0", "--memcached", memcached.address());
    a.uri();
    b.uri();
  }

  @AfterAll
  void stop() throws Exception {
    try (MemcachedProcess stopLast = memcached; DemoJar stopA = a; DemoJar stopB = b) {
      // closed in reverse order: the demos, then memcached
    }
  }

  @Test
  void aWikiEditOnOneProcessShowsOnTheOtherWithinTheSyncInterval() throws Exception {
    String page = "/wiki/Fleet2";
    assertThat(on(a).formParam("body", "Fleet2 as first written.").post(page).statusCode()).isEqualTo(303);
    untilHitFromMemory(a, () -> on(a).get(page));
    untilHitFromMemory(b, () -> on(b).get(page));

    Response saved = on(a).formParam("body", "Fleet2 as edited on A.").post(page);
    long posted = System.nanoTime();
    Duration shown = untilShown(() -> on(b).get(page), "Fleet2 as edited on A.", posted);

    assertThat(saved.statusCode()).isEqualTo(303);
    assertThat(shown).as("B answered the old page to a request sent %d ms after A answered the POST (in %d ms)", shown.toMillis(),
        saved.time()).isLessThanOrEqualTo(BOUND);
  }

  @Test
  void aFeedAddedOnOneProcessShowsOnEveryLinksPageOfThatUserOnTheOther() throws Exception {
    untilHitFromMemory(b, () -> on(b).cookie("user", "fleet-alice").get("/links?page=1"));
    untilHitFromMemory(b, () -> on(b).cookie("user", "fleet-alice").get("/links?page=2"));
    Response bobBefore = untilHitFromMemory(b, () -> on(b).cookie("user", "fleet-bob").get("/links?page=1"));
    String feed = "https://feeds.example/alice.xml?from=fleet&amp=1";

    Response added = on(a).cookie("user", "fleet-alice").formParam("url", feed).post("/links/feeds");
    long posted = System.nanoTime();
    String shown = "https://feeds.example/alice.xml?from=fleet&amp;amp=1"; // escaped
    Duration page1 = untilShown(() -> on(b).cookie("user", "fleet-alice").get("/links?page=1"), shown, posted);
    Duration page2 = untilShown(() -> on(b).cookie("user", "fleet-alice").get("/links?page=2"), shown, posted);
    Response bobAfter = on(b).cookie("user", "fleet-bob").get("/links?page=1");

    assertThat(added.statusCode()).isEqualTo(303);
    assertThat(added.header("Location")).isEqualTo("/links");
    assertThat(page1).as("B answered page 1 without the feed to a request sent %d ms after A answered the POST (in %d ms)", page1.toMillis(),
        added.time()).isLessThanOrEqualTo(BOUND);
    assertThat(page2).as("B answered page 2 without the feed to a request sent %d ms after A answered the POST (in %d ms)", page2.toMillis(),
        added.time()).isLessThanOrEqualTo(BOUND);
    // Not purged: still a hit. From memory, or from memcached when B lost step with the fleet's purge
    // log meanwhile (a loaded machine can delay a purge record past three syncs) and dropped its memory.
    assertThat(bobAfter.header("Cache-Status")).as("another user's page").isIn(HIT_FROM_MEMORY, "pagecache; hit; detail=shared");
    assertThat(bobAfter.asString()).isEqualTo(bobBefore.asString()).doesNotContain("feeds.example");
  }

  @Test
  void theIndexOnTheOtherProcessListsAPageCreatedAfterItWasCached() throws Exception {
    untilHitFromMemory(a, () -> on(a).get("/wiki/"));
    Response before = untilHitFromMemory(b, () -> on(b).get("/wiki/"));

    Response created = on(a).formParam("body", "Written after the index was cached.").post("/wiki/Fleet3");
    long posted = System.nanoTime();
    Duration listed = untilShown(() -> on(b).get("/wiki/"), "href=\"/wiki/Fleet3\"", posted);

    assertThat(before.asString()).contains("href=\"/wiki/Home\"").doesNotContain("/wiki/Fleet3");
    assertThat(created.statusCode()).isEqualTo(303);
    assertThat(listed).as("B's index omitted the new page for a request sent %d ms after A answered the POST (in %d ms)",
        listed.toMillis(), created.time()).isLessThanOrEqualTo(BOUND);
  }

  RequestSpecification on(DemoJar demo) throws Exception {
    return given().baseUri("http://127.0.0.1").port(demo.port()).header("Host", SITE)
        .config(RestAssuredConfig.config().redirect(RedirectConfig.redirectConfig().followRedirects(false)));
  }

  /** Requests until the answer comes from the process's own memory (not memcached, not the page). */
  static Response untilHitFromMemory(DemoJar demo, Request request) throws Exception {
    Response response = request.send(); // the test JVM's first may take seconds: HTTP client start-up
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    while (!HIT_FROM_MEMORY.equals(response.header("Cache-Status")) && System.nanoTime() < deadline) {
      Thread.sleep(POLL.toMillis());
      response = request.send();
    }
    if (!HIT_FROM_MEMORY.equals(response.header("Cache-Status"))) {
      String stats = given().get(demo.uri().resolve("/pagecache/stats")).asString();
      throw new AssertionError("no hit from memory in " + GIVE_UP.toSeconds() + " s; last: " + response.statusLine()
          + ", Cache-Status: " + response.header("Cache-Status") + "; stats: " + stats);
    }
    return response;
  }

  /**
   * Requests every {@link #POLL} until the page holds {@code text}. Answers how long after
   * {@code since} the last request that still got the old page was <em>sent</em> (zero if none
   * did): the promise is about lookups, which happen after a request is sent, so a slow answer on a
   * loaded machine does not count against it, and a request sent past the bound that still gets
   * the old page does.
   */
  static Duration untilShown(Request request, String text, long since) throws Exception {
    long deadline = since + GIVE_UP.toNanos();
    long oldPageSentAt = since;
    while (true) {
      long sent = System.nanoTime();
      if (request.send().asString().contains(text)) {
        break;
      }
      oldPageSentAt = sent;
      if (sent > deadline) {
        throw new AssertionError("'" + text + "' not shown " + GIVE_UP.toSeconds() + " s after the change");
      }
      Thread.sleep(POLL.toMillis());
    }
    Duration stale = Duration.ofNanos(Math.max(0, oldPageSentAt - since));
    System.out.printf("'%s' shown %d ms after the change; the old page answered a request sent %d ms after it%n",
        text, Duration.ofNanos(System.nanoTime() - since).toMillis(), stale.toMillis());
    return stale;
  }

  /** One request, sent again by each poll. */
  @FunctionalInterface
  interface Request {
    Response send() throws Exception;
  }
}
