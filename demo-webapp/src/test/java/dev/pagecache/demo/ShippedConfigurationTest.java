package dev.pagecache.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.RuleSet;
import dev.pagecache.rules.RulesFileParser;
import dev.pagecache.rules.TagTemplate;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The shipped web.xml and rules files: valid, and saying what the jar's server does. */
class ShippedConfigurationTest {
  private static final Path WEB_INF = Path.of("src/main/webapp/WEB-INF");

  @Test
  void webXmlMapsTheServletsTheJarRegisters() throws Exception {
    Document webXml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(WEB_INF.resolve("web.xml").toFile());
    Map<String, String> classes = new LinkedHashMap<>();
    for (Element servlet : elements(webXml, "servlet")) {
      classes.put(text(servlet, "servlet-name"), text(servlet, "servlet-class"));
    }
    Map<String, String> patterns = new LinkedHashMap<>();
    for (Element mapping : elements(webXml, "servlet-mapping")) {
      patterns.put(text(mapping, "servlet-name"), text(mapping, "url-pattern"));
    }

    assertThat(classes).hasSize(DemoPages.MAPPINGS.size());
    for (DemoPages.Mapping page : DemoPages.MAPPINGS) {
      assertThat(classes).containsEntry(page.name(), page.servlet().getName());
      assertThat(patterns).containsEntry(page.name(), page.urlPattern());
    }
  }

  @Test
  void webXmlRegistersTheFilterForEveryPathWithTheShippedRules() throws Exception {
    Document webXml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(WEB_INF.resolve("web.xml").toFile());
    Element filter = elements(webXml, "filter").iterator().next();
    Map<String, String> params = new LinkedHashMap<>();
    for (Element param : elements(filter, "init-param")) {
      params.put(text(param, "param-name"), text(param, "param-value"));
    }

    assertThat(text(filter, "filter-class")).isEqualTo("dev.pagecache.PageCacheFilter");
    assertThat(params).containsEntry("pagecache.rules", "/WEB-INF/pagecache.conf")
        .containsEntry("pagecache.maxCacheBytes", "64MiB");
    assertThat(text(elements(webXml, "filter-mapping").iterator().next(), "url-pattern")).isEqualTo("/*");
  }

  @Test
  void demoRulesKeyTheLinksPageOnTheUserCookieAndThePageOnly() {
    RuleSet rules = RulesFileParser.parse(WEB_INF.resolve("pagecache.conf"));

    CacheRule links = rules.match("GET", "/links").orElseThrow();
    assertThat(links.keyCookies()).containsExactly("user");
    assertThat(links.query().includes("page")).isTrue();
    assertThat(links.query().includes("utm_source")).isFalse();
    assertThat(links.keyHeaders()).isEmpty();
    assertThat(links.allowPrivate()).isTrue();
    assertThat(rules.match("GET", "/").orElseThrow().cache()).isTrue();
    assertThat(rules.match("GET", "/wiki/Home").orElseThrow().path().source()).isEqualTo("/wiki/*");
    assertThat(rules.match("GET", "/go/x").orElseThrow().downstreamCacheControl()).isPresent();
    assertThat(rules.match("GET", "/pagecache/stats").orElseThrow().cache()).isFalse();
    assertThat(rules.match("GET", "/login")).isEmpty();
  }

  @Test
  void demoRulesTagEveryWikiPageAndEachUsersLinksAndRefreshTheWiki() {
    RuleSet rules = RulesFileParser.parse(WEB_INF.resolve("pagecache.conf"));

    CacheRule wiki = rules.match("GET", "/wiki/").orElseThrow();
    assertThat(wiki.tags()).extracting(TagTemplate::source).containsExactly("wiki", "wiki/{path.2}");
    assertThat(wiki.refreshOnPurge()).isTrue();
    assertThat(wiki.keepTagHeaders()).as("the index's Surrogate-Key stays with the cache").isFalse();
    CacheRule links = rules.match("GET", "/links").orElseThrow();
    assertThat(links.tags()).extracting(TagTemplate::source).containsExactly("user:{cookie.user}");
    assertThat(rules.match("GET", "/links/feeds")).as("no rule: never cached").isEmpty();
  }

  @Test
  void proxyRuleCachesEveryPathOnlyWithTheOriginsLifetime() throws Exception {
    String text;
    try (var in = ShippedConfigurationTest.class.getResourceAsStream("/dev/pagecache/demo/server/proxy-rules.conf")) {
      text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    RuleSet rules = RulesFileParser.parse(text, "proxy rules");

    CacheRule rule = rules.match("GET", "/any/path").orElseThrow();
    assertThat(rules.rules()).hasSize(1);
    assertThat(rule.ttl()).as("ttl = origin").isEqualTo(Optional.empty());
    assertThat(rule.methods()).containsExactlyInAnyOrder("GET", "HEAD");
    assertThat(rule.allowPrivate() || rule.allowNoStore() || rule.allowSetCookie() || rule.allowAuthorization()).isFalse();
    assertThat(rule.keyCookies()).isEmpty();
    assertThat(rule.storesStatus(200)).isTrue();
    assertThat(rule.storesStatus(500)).isFalse();
  }

  private static Iterable<Element> elements(Document document, String tag) {
    return elements(document.getElementsByTagName(tag));
  }

  private static Iterable<Element> elements(Element parent, String tag) {
    return elements(parent.getElementsByTagName(tag));
  }

  private static Iterable<Element> elements(NodeList nodes) {
    java.util.List<Element> list = new java.util.ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      list.add((Element) nodes.item(i));
    }
    return list;
  }

  private static String text(Element parent, String tag) {
    return parent.getElementsByTagName(tag).item(0).getTextContent().trim();
  }
}
