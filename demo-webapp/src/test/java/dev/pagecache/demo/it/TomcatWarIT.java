package dev.pagecache.demo.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The built WAR ({@code target/pagecache-demo.war}) deployed into embedded Tomcat 11 under a
 * context path: web.xml registers the filter with its init-params, and the demo pages are cached.
 * Runs in its own failsafe execution, with Tomcat's Servlet 6.1 API only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TomcatWarIT {
  Path base;
  Tomcat tomcat;
  Context context;

  @BeforeAll
  void deploy() throws Exception {
    Path war = Path.of(System.getProperty("demo.war", "target/pagecache-demo.war"));
    assertThat(war).as("the WAR, built by mvn package").isRegularFile();
    base = Files.createTempDirectory("tomcat-demo");
    tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Files.createDirectories(base.resolve("webapps"));
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    tomcat.setAddDefaultWebXmlToWebapp(false);
    context = tomcat.addWebapp("/demo", war.toAbsolutePath().toString());
    tomcat.start();
    assertThat(context.getState()).isEqualTo(LifecycleState.STARTED);
  }

  @AfterAll
  void undeploy() throws Exception {
    tomcat.stop();
    tomcat.destroy();
    try (var files = Files.walk(base)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  RequestSpecification http() {
    return given().baseUri("http://127.0.0.1").port(tomcat.getConnector().getLocalPort()).basePath("/demo")
        .config(RestAssuredConfig.config().redirect(RedirectConfig.redirectConfig().followRedirects(false)));
  }

  @Test
  void homePageIsStoredThenServedFromTheCache() {
    Response miss = http().get("/");
    Response hit = http().get("/");

    assertThat(miss.statusCode()).isEqualTo(200);
    assertThat(miss.header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; stored");
    assertThat(hit.header("Cache-Status")).isEqualTo("pagecache; hit");
    assertThat(hit.asByteArray()).isEqualTo(miss.asByteArray());
    assertThat(miss.asString()).contains("href=\"/demo/go/v0\"");
  }

  @Test
  void wikiEditUnderTheContextPathIsVisibleAtOnce() {
    http().get("/wiki/Sandbox");
    Response saved = http().formParam("body", "Edited inside Tomcat").post("/wiki/Sandbox");
    Response after = http().get("/wiki/Sandbox");

    assertThat(saved.statusCode()).isEqualTo(303);
    assertThat(saved.header("Location")).endsWith("/demo/wiki/Sandbox");
    // The edit purged the page's tag, and the wiki refreshes on purge: the view renders the page, or
    // waits for the refresh's render, or finds its copy stored. Either way, the edited page.
    assertThat(after.header("Cache-Status"))
        .isIn("pagecache; fwd=uri-miss; stored", "pagecache; hit; collapsed", "pagecache; hit");
    assertThat(after.asString()).contains("Edited inside Tomcat");
  }

  @Test
  void aFeedAddedUnderTheContextPathShowsOnTheUsersCachedLinksPage() {
    http().cookie("user", "tom").get("/links?page=3");
    Response cached = http().cookie("user", "tom").get("/links?page=3");
    Response added = http().cookie("user", "tom").formParam("url", "https://feeds.example/tom").post("/links/feeds");
    Response after = http().cookie("user", "tom").get("/links?page=3");

    assertThat(cached.header("Cache-Status")).isEqualTo("pagecache; hit");
    assertThat(cached.asString()).contains("action=\"/demo/links/feeds\"");
    assertThat(added.statusCode()).isEqualTo(303);
    assertThat(added.header("Location")).endsWith("/demo/links");
    assertThat(after.asString()).contains(">https://feeds.example/tom</a>");
  }

  @Test
  void statsUseTheCacheSizeFromWebXml() {
    http().get("/go/x");
    http().get("/go/x");
    Response stats = http().get("/pagecache/stats");

    assertThat(stats.statusCode()).isEqualTo(200);
    assertThat(stats.jsonPath().getLong("maxBytes")).isEqualTo(64L << 20);
    assertThat(stats.jsonPath().getLong("hits")).isGreaterThanOrEqualTo(1);
  }
}
