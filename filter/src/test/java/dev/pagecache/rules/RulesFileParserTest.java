package dev.pagecache.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RulesFileParserTest {
  private static final String SOURCE = "rules file site.conf";

  private static RuleSet parse(String text) {
    return RulesFileParser.parse(text, SOURCE);
  }

  @Test
  void aFileWithEveryKeyBuildsTheRulesItDescribes() {
    RuleSet rules = parse("""
        # Applied to every rule below unless the rule sets the key itself.
        defaults {
          ttl = 2m
        }
        rules = [
          { path = "/admin/*", cache = false }   // line 6
          {                                      // line 7
            path = "/links"
            methods = [GET]
            ttl = 10m
            forceTtl = true
            query { only = [page, sort] }
            keyHeaders = [Accept-Language, X-Device]
            keyCookies = [user]
            bypassIfCookie = [admin, preview]
            statuses = [200, 404]
            maxBodyBytes = 1MiB
            downstreamCacheControl = "public, max-age={ttl}"
            allowAuthorization = true
            allowSetCookie = true
            allowPrivate = true
            allowNoStore = true
            allowSession = true
          }
          { path = "*.html", query = none }
          { path = "^/w/[a-z]+$", query { except = [utm_source] }, methods = GET }
          { path = "/", query = all, ttl = 1d }
        ]
        """);

    assertThat(rules.rules()).hasSize(5);
    CacheRule admin = rules.rules().get(0);
    assertThat(admin.path()).isEqualTo(PathPattern.parse("/admin/*"));
    assertThat(admin.line()).isEqualTo(6);
    assertThat(admin.cache()).isFalse();

    CacheRule links = rules.rules().get(1);
    assertThat(links.line()).isEqualTo(7);
    assertThat(links.path()).isEqualTo(PathPattern.parse("/links"));
    assertThat(links.methods()).containsExactly("GET");
    assertThat(links.cache()).isTrue();
    assertThat(links.ttl()).contains(Duration.ofMinutes(10));
    assertThat(links.forceTtl()).isTrue();
    assertThat(links.query()).isEqualTo(QueryKey.only(Set.of("page", "sort")));
    assertThat(links.keyHeaders()).containsExactly("accept-language", "x-device");
    assertThat(links.keyCookies()).containsExactly("user");
    assertThat(links.bypassIfCookie()).containsExactly("admin", "preview");
    assertThat(links.statuses()).containsExactlyInAnyOrder(200, 404);
    assertThat(links.maxBodyBytes()).isEqualTo(1024 * 1024);
    assertThat(links.downstreamCacheControl()).contains(DownstreamCacheControl.of("public, max-age={ttl}"));
    assertThat(links.allowAuthorization()).isTrue();
    assertThat(links.allowSetCookie()).isTrue();
    assertThat(links.allowPrivate()).isTrue();
    assertThat(links.allowNoStore()).isTrue();
    assertThat(links.allowSession()).isTrue();

    CacheRule html = rules.rules().get(2);
    assertThat(html.path()).isEqualTo(PathPattern.parse("*.html"));
    assertThat(html.query()).isEqualTo(QueryKey.none());
    assertThat(html.ttl()).as("from defaults").contains(Duration.ofMinutes(2));
    assertThat(html.methods()).containsExactlyInAnyOrder("GET", "HEAD");
    assertThat(html.statuses()).isEqualTo(CacheRule.DEFAULT_STATUSES);

    CacheRule wiki = rules.rules().get(3);
    assertThat(wiki.path().matches("/w/page")).isTrue();
    assertThat(wiki.query()).isEqualTo(QueryKey.allExcept(Set.of("utm_source")));
    assertThat(wiki.methods()).as("a single name is a list of one").containsExactly("GET");

    CacheRule root = rules.rules().get(4);
    assertThat(root.query()).isEqualTo(QueryKey.all());
    assertThat(root.ttl()).contains(Duration.ofDays(1));

    assertThat(rules.match("GET", "/links")).containsSame(links);
    assertThat(rules.match("GET", "/admin/users")).containsSame(admin);
  }

  @Test
  void defaultsApplyToEveryRuleThatDoesNotSetTheKeyItself() {
    RuleSet rules = parse("""
        defaults {
          ttl = 5m
          keyHeaders = [Accept-Language]
          statuses = [200]
          allowSetCookie = true
        }
        rules = [
          { path = "/a" }
          { path = "/b", ttl = 1h, statuses = [200, 410] }
          { path = "/c", keyHeaders = [], allowSetCookie = false }
        ]
        """);

    CacheRule a = rules.rules().get(0);
    CacheRule b = rules.rules().get(1);
    CacheRule c = rules.rules().get(2);
    assertThat(a.ttl()).contains(Duration.ofMinutes(5));
    assertThat(a.keyHeaders()).containsExactly("accept-language");
    assertThat(a.statuses()).containsExactly(200);
    assertThat(a.allowSetCookie()).isTrue();
    assertThat(b.ttl()).contains(Duration.ofHours(1));
    assertThat(b.statuses()).containsExactlyInAnyOrder(200, 410);
    assertThat(b.keyHeaders()).containsExactly("accept-language");
    assertThat(c.ttl()).contains(Duration.ofMinutes(5));
    assertThat(c.keyHeaders()).isEmpty();
    assertThat(c.allowSetCookie()).isFalse();
  }

  @Test
  void ttlOriginLeavesTheLifetimeToTheOrigin() {
    RuleSet rules = parse("""
        defaults { ttl = origin }
        rules = [
          { path = "/api/*" }
          { path = "/", ttl = 30s }
        ]
        """);

    assertThat(rules.rules().get(0).ttl()).isEmpty();
    assertThat(rules.rules().get(1).ttl()).contains(Duration.ofSeconds(30));
  }

  @Test
  void forcingTheOriginsTtlIsRejectedWithTheLineOfTheRule() {
    String text = """
        rules = [
          { path = "/a" }
          { path = "/b", ttl = origin, forceTtl = true }
        ]
        """;

    assertThatThrownBy(() -> parse(text))
        .isInstanceOfSatisfying(RulesException.class, e -> assertThat(e.line()).isEqualTo(3))
        .hasMessage(SOURCE + ", line 3: forceTtl needs a ttl to force; it cannot be combined with ttl = origin");
  }

  @Test
  void anEmptyRulesListIsAnEmptyRuleSet() {
    assertThat(parse("rules = []").rules()).isEmpty();
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        bad("unknown key (typo 'tll')", """
            rules = [
              { path = "/a"
                tll = 5m }
            ]
            """, 3, "unknown key 'tll' in a rule; known keys: allowAuthorization, allowNoStore, "),
        bad("ttl without a unit", """
            rules = [
              { path = "/a" },
              { path = "/b", ttl = 60 }
            ]
            """, 3, "ttl: needs a unit, e.g. 60s or 5m"),
        bad("ttl that is not a duration", """
            rules = [
              { path = "/a", ttl = soon }
            ]
            """, 2, "ttl"),
        bad("zero ttl", """
            rules = [
              { path = "/a", ttl = 0s }
            ]
            """, 2, "ttl must be positive, was PT0S"),
        bad("a status that cannot be stored", """
            rules = [
              { path = "/a",
                statuses = [200, 304] }
            ]
            """, 3, "304 answers a conditional or range request and cannot be stored as a page"),
        bad("a status out of range", """
            rules = [
              { path = "/a", statuses = [99] }
            ]
            """, 2, "99 is not a final HTTP status (200-599)"),
        bad("statuses that are not numbers", """
            rules = [
              { path = "/a",
                statuses = [ok] }
            ]
            """, 3, "statuses"),
        bad("an unknown query form", """
            rules = [
              { path = "/a",
                query = some }
            ]
            """, 3, "query: must be all, none, { only = [names] } or { except = [names] }, not 'some'"),
        bad("a query with both only and except", """
            rules = [
              { path = "/a"
                query { only = [a], except = [b] } }
            ]
            """, 3, "query: must be all, none, { only = [names] } or { except = [names] }"),
        bad("a rule with no path", """
            rules = [
              { path = "/a" }
              {
                ttl = 5m }
            ]
            """, 3, "rule has no 'path'"),
        bad("a path that is not a string", """
            rules = [
              { path = [a] }
            ]
            """, 2, "path: must be a string, not list"),
        bad("a path that is no pattern", """
            rules = [
              { path = "about" }
            ]
            """, 2, "path: path pattern 'about' must start with '/'"),
        bad("a regex that does not compile", """
            rules = [
              { path = "/a" }
              { path = "^/w/[a-" }
            ]
            """, 3, "path: path pattern '^/w/[a-' is not a valid regular expression: "),
        bad("a method that is never cached", """
            rules = [
              { path = "/a", methods = [GET, POST] }
            ]
            """, 2, "only GET and HEAD can be served from cache, not 'POST'"),
        bad("a key header that is no header name", """
            rules = [
              { path = "/a", keyHeaders = ["Accept Language"] }
            ]
            """, 2, "'Accept Language' is not a header name"),
        bad("a HOCON syntax error", """
            rules = [
              { path = "/a" }
              { path = = "/b" }
            ]
            """, 3, "Expecting a value but got wrong token: '='"),
        bad("an unclosed rule", """
            rules = [
              { path = "/a"
              { path = "/b" }
            """, 3, ""),
        bad("a shadowed rule", """
            rules = [
              { path = "/*" }
              { path = "/about" }
            ]
            """, 3, "rule '/about' (line 3) can never match: rule '/*' (line 2) comes first and matches every path it would"),
        bad("a repeated rule", """
            rules = [
              { path = "/a" }

              { path = "/a" }
            ]
            """, 4, "repeats rule '/a' (line 2): the same path pattern twice; the first one always wins"),
        bad("an unknown key in defaults", """
            defaults {
              tll = 5m
            }
            rules = [ { path = "/a" } ]
            """, 2, "unknown key 'tll' in defaults; known keys: "),
        bad("a path in defaults", """
            defaults {
              path = "/"
            }
            rules = [ { path = "/a" } ]
            """, 2, "defaults may not set 'path'"),
        bad("a bad value in defaults, reported where it is written", """
            defaults {
              ttl = 60
            }
            rules = [
              { path = "/a" }
            ]
            """, 2, "ttl: needs a unit, e.g. 60s or 5m"),
        bad("defaults that are not an object", """
            defaults = 5m
            rules = [ { path = "/a" } ]
            """, 1, "defaults must be an object in braces"),
        bad("an unknown top-level key", """
            defaults { ttl = 5m }
            rule = [
              { path = "/a" }
            ]
            """, 2, "unknown key 'rule' (a rules file has 'defaults' and 'rules')"),
        bad("rules that are not a list", """
            rules {
              path = "/a"
            }
            """, 1, "'rules' must be a list: rules = [ {...}, {...} ]"),
        bad("requestCookies that is neither ignore nor credentials", """
            rules = [
              { path = "/a", requestCookies = always }
            ]
            """, 2, "requestCookies: must be ignore or credentials, not 'always'"),
        bad("an extension type that is no media type", """
            rules = [
              { path = "/a", extensionTypes { md = [markdown] } }
            ]
            """, 2, "extensionTypes: md: 'markdown' is not a media type"),
        bad("a trusted header that is no header name", """
            rules = [
              { path = "/a", trustedHeaders = ["X Forwarded Host"] }
            ]
            """, 2, "'X Forwarded Host' is not a header name"),
        bad("an unknown tag placeholder, on the line of the tag", """
            rules = [
              { path = "/wiki/*"
                tags = [
                  "wiki",
                  "user:{user}"
                ] }
            ]
            """, 5, "tags: 'user:{user}': unknown placeholder {user}: use {path.N}, {query.NAME} or {cookie.NAME}"),
        bad("an unclosed tag placeholder", """
            rules = [
              { path = "/wiki/*", tags = ["page:{path.2"] }
            ]
            """, 2, "tags: 'page:{path.2': '{' at 6 is not closed by '}'"),
        bad("path segment 0", """
            rules = [
              { path = "/a" }
              { path = "/wiki/*", tags = ["{path.0}"] }
            ]
            """, 3, "tags: '{path.0}': {path.0}: segments are counted from 1 ({path.1} is the first)"),
        bad("a tag cookie the key leaves out, on the line of the tag", """
            rules = [
              { path = "/wiki/*"
                keyCookies = [theme]
                tags = [
                  "wiki"
                  "user:{cookie.user}"
                ]
              }
            ]
            """, 6, "tags: 'user:{cookie.user}': {cookie.user} names a cookie that is not in keyCookies [theme]"),
        bad("a tag query parameter the key leaves out", """
            rules = [
              { path = "/search"
                query { only = [q] }
                tags = ["page:{query.page}"] }
            ]
            """, 4, "tags: 'page:{query.page}': {query.page} names a query parameter the key leaves out (query = only [q])"),
        bad("tags in defaults that a rule's key does not hold, reported where they are written", """
            defaults {
              tags = ["user:{cookie.user}"]
            }
            rules = [
              { path = "/a", keyCookies = [user] }
              { path = "/b" }
            ]
            """, 2, "tags: 'user:{cookie.user}': {cookie.user} names a cookie that is not in keyCookies []"),
        bad("keepTagHeaders that is not a boolean", """
            rules = [
              { path = "/a", keepTagHeaders = sometimes }
            ]
            """, 2, "keepTagHeaders"),
        bad("a targeted field that is no header name", """
            rules = [
              { path = "/a"
                targetedFields = ["CDN Cache Control"] }
            ]
            """, 3, "targetedFields: 'CDN Cache Control' is not a header name"),
        bad("a passed targeted field the rule does not obey, on the line of the setting", """
            rules = [
              { path = "/a"
                targetedFields = [Pagecache-Control]
                passedTargetedFields = [CDN-Cache-Control] }
            ]
            """, 4, "passedTargetedFields: 'CDN-Cache-Control' is not one of targetedFields [Pagecache-Control]"),
        bad("a heuristic fraction above 1", """
            defaults { heuristic = true }
            rules = [
              { path = "/a"
                heuristicFraction = 10 }
            ]
            """, 4, "heuristicFraction: 10.0 is not more than 0 and at most 1 (0.1 is 10%)"),
        bad("a heuristic fraction written as a percentage", """
            rules = [
              { path = "/a", heuristicFraction = "10%" }
            ]
            """, 2, "heuristicFraction: must be a number such as 0.1 (10%), not '10%'"),
        bad("a heuristic cap without a unit", """
            rules = [
              { path = "/a"
                heuristicMax = 3600 }
            ]
            """, 3, "heuristicMax: needs a unit, e.g. 3600s or 5m"),
        bad("heuristic that is not a boolean", """
            rules = [
              { path = "/a", heuristic = often }
            ]
            """, 2, "heuristic"),
        bad("a rule that is not an object", """
            rules = [
              "/a"
            ]
            """, 2, "each entry of 'rules' must be an object in braces: { path = \"/\" }"));
  }

  @Test
  void targetedFieldsAndHeuristicFreshnessAreRuleOptions() {
    RuleSet rules = parse("""
        defaults { heuristic = true, heuristicMax = 2h }
        rules = [
          { path = "/a", targetedFields = [Acme-Control, CDN-Cache-Control], passedTargetedFields = [Acme-Control] }
          { path = "/b", heuristicFraction = 0.25, targetedFields = [] }
          { path = "/c", heuristic = false }
        ]
        """);
    CacheRule a = rules.rules().get(0);
    assertThat(a.targetedFields()).containsExactly("Acme-Control", "CDN-Cache-Control");
    assertThat(a.withheldTargetedFields()).containsExactly("CDN-Cache-Control");
    assertThat(a.heuristic()).isTrue();
    assertThat(a.heuristicMax()).isEqualTo(Duration.ofHours(2));
    assertThat(a.heuristicFraction()).isEqualTo(CacheRule.DEFAULT_HEURISTIC_FRACTION);
    CacheRule b = rules.rules().get(1);
    assertThat(b.targetedFields()).isEmpty();
    assertThat(b.withheldTargetedFields()).isEmpty();
    assertThat(b.heuristicFraction()).isEqualTo(0.25);
    CacheRule c = rules.rules().get(2);
    assertThat(c.heuristic()).isFalse();
    assertThat(c.targetedFields()).isEqualTo(CacheRule.DEFAULT_TARGETED_FIELDS);
    assertThat(c.withheldTargetedFields()).containsExactly("Pagecache-Control");
  }

  private static Arguments bad(String name, String text, int line, String problem) {
    return arguments(named(name, text), line, problem);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void aBadFileFailsNamingTheSourceTheLineAndTheProblem(String text, int line, String problem) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOfSatisfying(RulesException.class, e -> {
          assertThat(e.source()).isEqualTo(SOURCE);
          assertThat(e.line()).as("line").isEqualTo(line);
          assertThat(e.getMessage()).startsWith(SOURCE + ", line " + line + ": ").contains(problem);
          // Typesafe Config's own "<origin>: <line>: " prefix is not repeated.
          assertThat(e.getMessage()).doesNotContain("site.conf: " + line);
        });
  }

  @Test
  void aFileWithoutRulesSaysHowToAddThem() {
    assertThatThrownBy(() -> parse("defaults { ttl = 5m }"))
        .isInstanceOfSatisfying(RulesException.class, e -> assertThat(e.line()).isZero())
        .hasMessage(SOURCE + ": no 'rules' list: add rules = [ { path = \"/\" } ]");
  }

  @Test
  void aFileOnDiskIsNamedInMessages(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("pagecache.conf");
    Files.writeString(file, "rules = [\n  { path = \"/a\", tll = 5m }\n]\n", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> RulesFileParser.parse(file))
        .isInstanceOfSatisfying(RulesException.class, e -> {
          assertThat(e.source()).isEqualTo("rules file " + file);
          assertThat(e.line()).isEqualTo(2);
        })
        .hasMessageStartingWith("rules file " + file + ", line 2: unknown key 'tll'");
  }

  @Test
  void aFileOnDiskIsRead(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("pagecache.conf");
    Files.writeString(file, "rules = [ { path = \"/a\", ttl = 90s } ]", StandardCharsets.UTF_8);

    assertThat(RulesFileParser.parse(file).rules()).singleElement()
        .satisfies(rule -> assertThat(rule.ttl()).contains(Duration.ofSeconds(90)));
  }

  @Test
  void aFileThatCannotBeReadSaysSo(@TempDir Path dir) {
    Path missing = dir.resolve("missing.conf");

    assertThatThrownBy(() -> RulesFileParser.parse(missing))
        .isInstanceOfSatisfying(RulesException.class, e -> assertThat(e.line()).isZero())
        .hasMessageStartingWith("rules file " + missing + ": cannot be read: ");
  }

  @Test
  void aRuleQueryObjectReplacesTheDefaultQueryObject() {
    RuleSet rules = parse("""
        defaults {
          query { only = [page] }
        }
        rules = [
          { path = "/a" }
          { path = "/b", query { except = [utm_source] } }
        ]
        """);

    assertThat(rules.rules().get(0).query()).isEqualTo(QueryKey.only(Set.of("page")));
    assertThat(rules.rules().get(1).query()).isEqualTo(QueryKey.allExcept(Set.of("utm_source")));
  }

  @Test
  void aQuotedTtlWithoutAUnitIsRejectedToo() {
    assertThatThrownBy(() -> parse("rules = [\n  { path = \"/a\", ttl = \"60\" }\n]\n"))
        .isInstanceOfSatisfying(RulesException.class, e -> assertThat(e.line()).isEqualTo(2))
        .hasMessageContaining("ttl: needs a unit");
  }

  @Test
  void aMessageNamesTheKeyOnce() {
    for (String rule : List.of("statuses = [304]", "methods = [POST]", "keyHeaders = [\"a b\"]")) {
      String key = rule.substring(0, rule.indexOf(' '));
      assertThatThrownBy(() -> parse("rules = [ { path = \"/a\", " + rule + " } ]"))
          .as(rule)
          .hasMessageNotContaining(key + ": " + key + ":");
    }
  }

  @Test
  void theHostileClientSettingsAreRead() {
    CacheRule rule = parse("""
        defaults { trustedHeaders = [X-Forwarded-Proto] }
        rules = [
          { path = "/a", ignoredHeaders = [X-Original-URL], requestCookies = credentials, checkContentType = false,
            extensionTypes { md = [text/markdown] } }
        ]
        """).rules().get(0);

    assertThat(rule.trustedHeaders()).containsExactly("x-forwarded-proto");
    assertThat(rule.ignoredHeaders()).containsExactly("x-original-url");
    assertThat(rule.requestCookies()).isEqualTo(CacheRule.RequestCookies.CREDENTIALS);
    assertThat(rule.checkContentType()).isFalse();
    assertThat(rule.extensionTypes().fits("/README.md", java.util.Optional.of("text/markdown"))).isTrue();
    assertThat(rule.extensionTypes().fits("/site.css", java.util.Optional.of("text/html"))).isFalse();
  }

  @Test
  void tagSettingsAreReadAndDefaultsApply() {
    RuleSet rules = parse("""
        defaults { tags = [site] }
        rules = [
          { path = "/wiki/*", keyCookies = [user], query { only = [page] }
            tags = ["wiki", "user:{cookie.user}", "{path.2}:{query.page}"], keepTagHeaders = true, refreshOnPurge = true }
          { path = "/a" }
        ]
        """);

    CacheRule wiki = rules.rules().get(0);
    assertThat(wiki.tags()).extracting(TagTemplate::source)
        .containsExactly("wiki", "user:{cookie.user}", "{path.2}:{query.page}");
    assertThat(wiki.keepTagHeaders()).isTrue();
    assertThat(wiki.refreshOnPurge()).isTrue();
    CacheRule a = rules.rules().get(1);
    assertThat(a.tags()).extracting(TagTemplate::source).as("from defaults").containsExactly("site");
    assertThat(a.keepTagHeaders()).isFalse();
    assertThat(a.refreshOnPurge()).isFalse();
  }

  @Test
  void aBaselineHoldsWhereTheFileSetsNothing() {
    RuleSet rules = RulesFileParser.parse("""
        rules = [
          { path = "/a" }
          { path = "/b", requestCookies = ignore }
        ]
        """, SOURCE, java.util.Map.of("requestCookies", "credentials"));

    assertThat(rules.rules().get(0).requestCookies()).isEqualTo(CacheRule.RequestCookies.CREDENTIALS);
    assertThat(rules.rules().get(1).requestCookies()).isEqualTo(CacheRule.RequestCookies.IGNORE);
    assertThat(parse("rules = [ { path = \"*.css\" }, { path = \"/c\" } ]").rules())
        .extracting(CacheRule::requestCookies)
        .as("extension rules treat cookies as credentials by default")
        .containsExactly(CacheRule.RequestCookies.CREDENTIALS, CacheRule.RequestCookies.IGNORE);
  }
}
