package dev.pagecache.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Actuator endpoint pagecache, guarded as the application guards Actuator (SecurityConfiguration):
 * stats and purges for admins only.
 */
class ActuatorEndpointIT extends RunningApplication {
  @Test
  void anonymousCallerCannotPurge() {
    cache("/news");

    Response answer = purge(site.anonymous(), Map.of("url", site.url("/news")));

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(site.get("/news").header("Cache-Status")).as("after the refused purge").isEqualTo("pagecache; hit");
  }

  @Test
  void userWhoIsNoAdminCannotPurge() {
    cache("/news");

    Response answer = purge(user(), Map.of("url", site.url("/news")));

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(site.get("/news").header("Cache-Status")).as("after the refused purge").isEqualTo("pagecache; hit");
  }

  @Test
  void loggedInSessionCannotPurgeEither() {
    cache("/news");
    String session = site.logIn(SecurityConfiguration.USERNAME, SecurityConfiguration.PASSWORD);

    Response answer = site.anonymous().cookie(Site.SESSION_COOKIE, session).contentType(ContentType.JSON)
        .body(Map.of("url", site.url("/news"))).post("/actuator/pagecache");

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(site.get("/news").header("Cache-Status")).isEqualTo("pagecache; hit");
  }

  @Test
  void adminPurgesOneUrl() {
    cache("/news");
    cache("/account");
    long rendersBefore = renders.renders("/news");

    Response answer = purge(admin(), Map.of("url", site.url("/news")));

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.jsonPath().getString("purged")).isEqualTo("url");
    assertThat(site.get("/news").header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; stored");
    assertThat(renders.renders("/news")).isEqualTo(rendersBefore + 1);
    assertThat(site.get("/account").header("Cache-Status")).as("another page").isEqualTo("pagecache; hit");
  }

  @Test
  void adminPurgesAPrefix() {
    cache("/news");

    long rendersBefore = renders.renders("/news");

    Response answer = purge(admin(), Map.of("prefix", site.url("/news")));

    assertThat(answer.statusCode()).isEqualTo(200);
    // A prefix purge marks its pages purged rather than finding each: the next request renders.
    assertThat(site.get("/news").header("Cache-Status")).startsWith("pagecache; fwd=").endsWith("stored; detail=purged");
    assertThat(renders.renders("/news")).isEqualTo(rendersBefore + 1);
  }

  @Test
  void adminPurgesEverything() {
    cache("/news");
    cache("/account");

    Response answer = admin().delete("/actuator/pagecache");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(site.get("/news").header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; stored");
    assertThat(site.get("/account").header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; stored");
  }

  @Test
  void anonymousCallerCannotPurgeEverything() {
    cache("/news");

    assertThat(site.anonymous().delete("/actuator/pagecache").statusCode()).isEqualTo(401);
    assertThat(user().delete("/actuator/pagecache").statusCode()).isEqualTo(403);
    assertThat(site.get("/news").header("Cache-Status")).isEqualTo("pagecache; hit");
  }

  @Test
  void purgeNeedsExactlyOneAbsoluteTarget() {
    assertThat(purge(admin(), Map.of()).statusCode()).isEqualTo(400);
    assertThat(purge(admin(), Map.of("url", site.url("/news"), "tag", "news")).statusCode()).isEqualTo(400);
    assertThat(purge(admin(), Map.of("url", "/news")).statusCode()).isEqualTo(400);
  }

  @Test
  void adminReadsTheStats() {
    cache("/news");

    Response stats = admin().get("/actuator/pagecache");

    assertThat(stats.statusCode()).isEqualTo(200);
    assertThat(stats.jsonPath().getLong("hits")).isGreaterThanOrEqualTo(1);
    assertThat(stats.jsonPath().getLong("stores")).isGreaterThanOrEqualTo(1);
    assertThat(site.anonymous().get("/actuator/pagecache").statusCode()).isEqualTo(401);
    assertThat(user().get("/actuator/pagecache").statusCode()).isEqualTo(403);
  }

  @Test
  void adminLooksUpTheCopiesOfOneUrl() {
    cache("/news");

    Response found = admin().queryParam("url", site.url("/news")).get("/actuator/pagecache/lookup");

    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(found.jsonPath().getList("url", String.class)).singleElement().asString().endsWith("/news");
    assertThat(found.jsonPath().getList("layer", String.class)).containsExactly("MEMORY");
    assertThat(found.jsonPath().getLong("[0].hits")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void lookupOfAnUncachedUrlFindsNothing() {
    Response found = admin().queryParam("url", site.url("/basket")).get("/actuator/pagecache/lookup");

    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(found.jsonPath().getList("$")).isEmpty();
  }

  @Test
  void lookupIsForAdminsOnlyAndNeedsAnAbsoluteUrl() {
    assertThat(site.anonymous().queryParam("url", site.url("/news")).get("/actuator/pagecache/lookup").statusCode())
        .isEqualTo(401);
    assertThat(user().queryParam("url", site.url("/news")).get("/actuator/pagecache/lookup").statusCode())
        .isEqualTo(403);
    assertThat(admin().queryParam("url", "/news").get("/actuator/pagecache/lookup").statusCode()).isEqualTo(400);
    assertThat(admin().queryParam("url", site.url("/news")).get("/actuator/pagecache/elsewhere").statusCode())
        .isEqualTo(404);
  }

  private void cache(String path) {
    site.get(path);
    assertThat(site.get(path).header("Cache-Status")).as(path + " cached").isEqualTo("pagecache; hit");
  }

  private static Response purge(RequestSpecification caller, Map<String, String> target) {
    return caller.contentType(ContentType.JSON).body(target).post("/actuator/pagecache");
  }

  private RequestSpecification admin() {
    return site.as(SecurityConfiguration.ADMIN, SecurityConfiguration.ADMIN_PASSWORD);
  }

  private RequestSpecification user() {
    return site.as(SecurityConfiguration.USERNAME, SecurityConfiguration.PASSWORD);
  }
}
