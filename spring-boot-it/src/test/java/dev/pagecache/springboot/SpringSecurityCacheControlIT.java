package dev.pagecache.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * What Spring Security's default {@code Cache-Control: no-cache, no-store, ...} does to pagecache
 * registered after it, and how the application keeps it off the anonymous views of cacheable pages.
 *
 * <p>Spring Security's {@code HeaderWriterFilter} writes its headers when the response commits, onto
 * the response it was given: the one outside pagecache's capture. pagecache never sees them, so
 * they do not stop it from storing; the client gets them on misses and hits alike.
 */
class SpringSecurityCacheControlIT extends RunningApplication {
  static final String SPRING_SECURITY_NO_STORE = "no-cache, no-store, max-age=0, must-revalidate";

  @Test
  void springSecuritysNoStoreDoesNotKeepThePageOutOfTheCache() {
    long rendersBefore = renders.renders("/news");

    Response miss = site.get("/news");
    Response hit = site.get("/news");

    assertThat(miss.header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; stored");
    assertThat(hit.header("Cache-Status")).isEqualTo("pagecache; hit");
    assertThat(hit.asString()).isEqualTo("No news is good news");
    assertThat(renders.renders("/news")).as("renders of /news").isEqualTo(rendersBefore + 1);
    for (Response response : new Response[] {miss, hit}) {
      assertThat(response.header("Cache-Control")).isEqualTo(SPRING_SECURITY_NO_STORE);
      assertThat(response.header("Pragma")).isEqualTo("no-cache");
      assertThat(response.header("Expires")).isEqualTo("0");
    }
  }

  @Test
  void anonymousViewOfACacheablePageGoesOutWithoutNoStore() {
    Response miss = site.get("/account");
    Response hit = site.get("/account");

    assertThat(hit.header("Cache-Status")).isEqualTo("pagecache; hit");
    for (Response response : new Response[] {miss, hit}) {
      assertThat(response.headers().hasHeaderWithName("Cache-Control")).as("Cache-Control sent").isFalse();
      assertThat(response.headers().hasHeaderWithName("Pragma")).as("Pragma sent").isFalse();
      assertThat(response.headers().hasHeaderWithName("Expires")).as("Expires sent").isFalse();
    }
  }

  @Test
  void loggedInViewOfACacheablePageKeepsNoStore() {
    String session = site.logIn(SecurityConfiguration.USERNAME, SecurityConfiguration.PASSWORD);

    Response page = site.get("/account", session);

    assertThat(page.asString()).isEqualTo("Hello " + SecurityConfiguration.USERNAME);
    assertThat(page.header("Cache-Control")).isEqualTo(SPRING_SECURITY_NO_STORE);
  }

  @Test
  void pageWithoutARuleKeepsNoStore() {
    Response page = site.get("/basket");

    assertThat(page.header("Cache-Status")).isEqualTo("pagecache; fwd=bypass; detail=no-rule");
    assertThat(page.header("Cache-Control")).isEqualTo(SPRING_SECURITY_NO_STORE);
  }
}
