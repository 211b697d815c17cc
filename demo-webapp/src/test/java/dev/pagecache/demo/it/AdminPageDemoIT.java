package dev.pagecache.demo.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.demo.server.DemoOptions;
import dev.pagecache.demo.server.DemoServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.htmlunit.BrowserVersion;
import org.htmlunit.DefaultCredentialsProvider;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The demo's admin page at {@code /pagecache/}, opened as a browser would (HtmlUnit), signed in
 * with the demo's purge token as the password.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminPageDemoIT {
  DemoServer demo;
  WebClient browser;

  @BeforeAll
  void start() throws Exception {
    demo = DemoServer.start(DemoOptions.parse("--port", "0", "--delay-scale", "0", "--cache-size", "64MiB"));
  }

  @AfterAll
  void stop() throws Exception {
    demo.close();
  }

  @BeforeEach
  void signedInBrowser() {
    demo.pageCache().purgeAll();
    browser = new WebClient(BrowserVersion.BEST_SUPPORTED);
    browser.getOptions().setJavaScriptEnabled(false);
    browser.getOptions().setCssEnabled(false);
    browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
    DefaultCredentialsProvider credentials = new DefaultCredentialsProvider();
    credentials.addCredentials("admin", demo.randomPurgeToken().orElseThrow().toCharArray());
    browser.setCredentialsProvider(credentials);
  }

  @AfterEach
  void closeBrowser() {
    browser.close();
  }

  String cacheStatus(String path) {
    return given().get(demo.uri().resolve(path)).header("Cache-Status");
  }

  static HtmlPage submit(HtmlForm form) throws Exception {
    return ((HtmlButton) form.getElementsByTagName("button").get(0)).click();
  }

  @Test
  void theAdminPageShowsListsLooksUpAndPurgesTheDemosPages() throws Exception {
    cacheStatus("/");
    cacheStatus("/wiki/Home");
    cacheStatus("/wiki/Home");

    HtmlPage summary = browser.getPage(demo.uri().resolve("/pagecache/").toURL());
    assertThat(summary.getWebResponse().getStatusCode()).isEqualTo(200);
    assertThat(summary.getTitleText()).isEqualTo("pagecache: Summary");
    assertThat(summary.getHtmlElementById("hit-ratio").asNormalizedText()).endsWith("%");

    HtmlPage entries = ((HtmlAnchor) summary.getAnchorByText("Entries")).click();
    HtmlTable table = entries.getHtmlElementById("entries");
    assertThat(table.getRows()).hasSize(3);
    assertThat(table.getCellAt(1, 0).asNormalizedText()).isEqualTo(demo.uri() + "");
    assertThat(table.getCellAt(2, 0).asNormalizedText()).isEqualTo(demo.uri() + "wiki/Home");
    assertThat(table.getCellAt(2, 8).asNormalizedText()).startsWith("rule '/wiki/*'");

    HtmlPage found = browser.getPage(demo.uri().resolve("/pagecache/lookup?url="
        + URLEncoder.encode("/wiki/Home", StandardCharsets.UTF_8)).toURL());
    HtmlTable copies = found.getHtmlElementById("copies");
    assertThat(copies.getCellAt(1, 6).asNormalizedText()).as("hits").isEqualTo("1");
    assertThat(copies.getCellAt(1, 10).asNormalizedText()).isEqualTo("wiki, wiki/Home");

    HtmlForm purgeUrl = summary.getHtmlElementById("purge-url");
    purgeUrl.getInputByName("value").setValue("/");
    HtmlPage afterPurge = submit(purgeUrl);
    assertThat(afterPurge.getHtmlElementById("notice").asNormalizedText()).isEqualTo("Purged " + demo.uri() + ".");
    assertThat(cacheStatus("/")).startsWith("pagecache; fwd=uri-miss");
    assertThat(cacheStatus("/wiki/Home")).isEqualTo("pagecache; hit");
  }
}
