package dev.pagecache.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** pagecache behind Spring Security's form login: one user's page never reaches another. */
class FormLoginIT extends RunningApplication {
  @Test
  void anonymousVisitorsGetTheCachedCopy() {
    Response first = site.get("/account");
    Response second = site.get("/account");

    assertThat(first.header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; stored");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.asString()).isEqualTo("Hello anonymous");
    assertThat(second.header("Cache-Status")).isEqualTo("pagecache; hit");
  }

  @Test
  void loggedInUserNeverGetsTheAnonymousCopy() {
    cacheTheAnonymousCopy();
    String session = site.logIn(SecurityConfiguration.USERNAME, SecurityConfiguration.PASSWORD);
    long rendersBefore = renders.renders("/account");

    Response page = site.get("/account", session);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.asString()).isEqualTo("Hello " + SecurityConfiguration.USERNAME);
    assertThat(renders.renders("/account")).as("renders of /account").isEqualTo(rendersBefore + 1);
    assertThat(page.header("Cache-Status")).isEqualTo("pagecache; fwd=bypass; detail=authenticated");
  }

  @Test
  void anonymousVisitorNeverGetsTheLoggedInCopy() {
    String session = site.logIn(SecurityConfiguration.USERNAME, SecurityConfiguration.PASSWORD);
    assertThat(site.get("/account", session).asString()).isEqualTo("Hello " + SecurityConfiguration.USERNAME);
    assertThat(site.get("/account", session).asString()).isEqualTo("Hello " + SecurityConfiguration.USERNAME);

    Response page = site.get("/account");

    assertThat(page.asString()).isEqualTo("Hello anonymous");
    assertThat(page.header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; stored");
  }

  /** A session may hold a login pagecache cannot see (the application's own). */
  @Test
  void visitorWithASessionButNoLoginSkipsTheCache() {
    cacheTheAnonymousCopy();
    String session = site.openLoginForm().sessionId();

    Response page = site.get("/account", session);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.asString()).isEqualTo("Hello anonymous");
    assertThat(page.header("Cache-Status")).contains("fwd=bypass; detail=session-id");
  }

  private void cacheTheAnonymousCopy() {
    site.get("/account");
    assertThat(site.get("/account").header("Cache-Status")).as("anonymous copy cached").isEqualTo("pagecache; hit");
  }
}
