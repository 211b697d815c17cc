package dev.pagecache.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CacheRuleTest {

  @Test
  void aNewRuleHasTheSafeDefaults() {
    CacheRule rule = CacheRule.forPath("/wiki/*").build();

    assertThat(rule.path()).isEqualTo(PathPattern.parse("/wiki/*"));
    assertThat(rule.line()).isZero();
    assertThat(rule.methods()).containsExactlyInAnyOrder("GET", "HEAD");
    assertThat(rule.cache()).isTrue();
    assertThat(rule.ttl()).contains(Duration.ofSeconds(60)).contains(CacheRule.DEFAULT_TTL);
    assertThat(rule.forceTtl()).isFalse();
    assertThat(rule.query()).isEqualTo(QueryKey.all());
    assertThat(rule.keyHeaders()).isEmpty();
    assertThat(rule.keyCookies()).isEmpty();
    assertThat(rule.bypassIfCookie()).isEmpty();
    assertThat(rule.statuses()).containsExactlyInAnyOrder(200, 203, 300, 301, 308, 410);
    assertThat(rule.maxBodyBytes()).isEqualTo(2L * 1024 * 1024);
    assertThat(rule.downstreamCacheControl()).isEmpty();
    assertThat(rule.allowAuthorization()).isFalse();
    assertThat(rule.allowSetCookie()).isFalse();
    assertThat(rule.allowPrivate()).isFalse();
    assertThat(rule.allowNoStore()).isFalse();
    assertThat(rule.allowSession()).isFalse();
    assertThat(rule.hasKeyPartsBeyondUrl()).isFalse();
    assertThat(rule.tags()).isEmpty();
    assertThat(rule.keepTagHeaders()).as("tag fields are kept from clients").isFalse();
    assertThat(rule.refreshOnPurge()).isFalse();
  }

  @Test
  void everySettingIsKept() {
    CacheRule rule = CacheRule.forPath("/links").line(7)
        .methods(Set.of("GET"))
        .cache(true)
        .ttl(Duration.ofMinutes(10))
        .forceTtl(true)
        .query(QueryKey.only(Set.of("page")))
        .keyHeaders(List.of("Accept-Language"))
        .keyCookies(List.of("user"))
        .bypassIfCookie(List.of("admin"))
        .statuses(Set.of(200, 404))
        .maxBodyBytes(1024)
        .downstreamCacheControl("public, max-age={ttl}")
        .allowAuthorization(true)
        .allowSetCookie(true)
        .allowPrivate(true)
        .allowNoStore(true)
        .allowSession(true)
        .tags(List.of("links", "user:{cookie.user}", "page:{query.page}", "{path.1}"))
        .keepTagHeaders(true)
        .refreshOnPurge(true)
        .build();

    assertThat(rule.line()).isEqualTo(7);
    assertThat(rule.methods()).containsExactly("GET");
    assertThat(rule.appliesTo("GET")).isTrue();
    assertThat(rule.appliesTo("HEAD")).isFalse();
    assertThat(rule.ttl()).contains(Duration.ofMinutes(10));
    assertThat(rule.forceTtl()).isTrue();
    assertThat(rule.query()).isEqualTo(QueryKey.only(Set.of("page")));
    assertThat(rule.keyHeaders()).containsExactly("accept-language");
    assertThat(rule.keyCookies()).containsExactly("user");
    assertThat(rule.bypassIfCookie()).containsExactly("admin");
    assertThat(rule.storesStatus(404)).isTrue();
    assertThat(rule.storesStatus(203)).isFalse();
    assertThat(rule.maxBodyBytes()).isEqualTo(1024);
    assertThat(rule.downstreamCacheControl()).contains(DownstreamCacheControl.of("public, max-age={ttl}"));
    assertThat(rule.allowAuthorization()).isTrue();
    assertThat(rule.allowSetCookie()).isTrue();
    assertThat(rule.allowPrivate()).isTrue();
    assertThat(rule.allowNoStore()).isTrue();
    assertThat(rule.allowSession()).isTrue();
    assertThat(rule.hasKeyPartsBeyondUrl()).isTrue();
    assertThat(rule.tags()).extracting(TagTemplate::source)
        .containsExactly("links", "user:{cookie.user}", "page:{query.page}", "{path.1}");
    assertThat(rule.keepTagHeaders()).isTrue();
    assertThat(rule.refreshOnPurge()).isTrue();
  }

  static Stream<Arguments> invalidSettings() {
    return Stream.of(
        invalid("POST method", b -> b.methods(Set.of("GET", "POST")),
            "methods: only GET and HEAD can be served from cache, not 'POST'"),
        invalid("no methods", b -> b.methods(Set.of()), "methods must include GET: HEAD is answered from the pages GET stores"),
        invalid("HEAD alone", b -> b.methods(Set.of("HEAD")), "methods must include GET: HEAD is answered from the pages GET stores"),
        invalid("zero ttl", b -> b.ttl(Duration.ZERO), "ttl must be positive, was PT0S"),
        invalid("negative ttl", b -> b.ttl(Duration.ofSeconds(-1)), "ttl must be positive, was PT-1S"),
        invalid("null query", b -> b.query(null), "query"),
        invalid("no statuses", b -> b.statuses(Set.of()),
            "statuses may not be empty (use cache = false to exclude a path)"),
        invalid("informational status", b -> b.statuses(Set.of(200, 199)),
            "statuses: 199 is not a final HTTP status (200-599)"),
        invalid("status past 599", b -> b.statuses(Set.of(600)),
            "statuses: 600 is not a final HTTP status (200-599)"),
        invalid("206", b -> b.statuses(Set.of(206)),
            "statuses: 206 answers a conditional or range request and cannot be stored as a page"),
        invalid("304", b -> b.statuses(Set.of(304)),
            "statuses: 304 answers a conditional or range request and cannot be stored as a page"),
        invalid("negative maxBodyBytes", b -> b.maxBodyBytes(-1),
            "maxBodyBytes must be between 0 and 2 GiB, was -1"),
        invalid("maxBodyBytes past an array", b -> b.maxBodyBytes(Integer.MAX_VALUE - 7L),
            "maxBodyBytes must be between 0 and 2 GiB, was 2147483640"),
        invalid("blank key header", b -> b.keyHeaders(List.of(" ")), "keyHeaders: ' ' is not a header name"),
        invalid("key header with a space", b -> b.keyHeaders(List.of("Accept Language")),
            "keyHeaders: 'Accept Language' is not a header name"),
        invalid("key header with a colon", b -> b.keyHeaders(List.of("Accept:")),
            "keyHeaders: 'Accept:' is not a header name"),
        invalid("key cookie with '='", b -> b.keyCookies(List.of("user=1")), "keyCookies: 'user=1' is not a cookie name"),
        invalid("empty key cookie", b -> b.keyCookies(List.of("")), "keyCookies: '' is not a cookie name"),
        invalid("bypass cookie with ';'", b -> b.bypassIfCookie(List.of("a;b")),
            "bypassIfCookie: 'a;b' is not a cookie name"),
        invalid("empty downstream Cache-Control", b -> b.downstreamCacheControl(" "),
            "downstream Cache-Control is empty"),
        invalid("unknown tag placeholder", b -> b.tags(List.of("user:{header.x}")),
            "tags: 'user:{header.x}': unknown placeholder {header.x}: use {path.N}, {query.NAME} or {cookie.NAME}"),
        invalid("placeholder without a kind", b -> b.tags(List.of("a{}")),
            "tags: 'a{}': unknown placeholder {}: use {path.N}, {query.NAME} or {cookie.NAME}"),
        invalid("unclosed tag placeholder", b -> b.tags(List.of("user:{cookie.user")),
            "tags: 'user:{cookie.user': '{' at 6 is not closed by '}'"),
        invalid("tag placeholder opened twice", b -> b.tags(List.of("{cookie.{user}")),
            "tags: '{cookie.{user}': '{' at 1 is not closed by '}'"),
        invalid("stray closing brace", b -> b.tags(List.of("user}")), "tags: 'user}': '}' without '{'"),
        invalid("path segment 0", b -> b.tags(List.of("{path.0}")),
            "tags: '{path.0}': {path.0}: segments are counted from 1 ({path.1} is the first)"),
        invalid("path segment that is no number", b -> b.tags(List.of("{path.first}")),
            "tags: '{path.first}': {path.first} needs a segment number: {path.1} is the first segment"),
        invalid("cookie placeholder without a name", b -> b.tags(List.of("{cookie.}")),
            "tags: '{cookie.}': {cookie} needs a cookie name: {cookie.NAME}"),
        invalid("query placeholder without a name", b -> b.tags(List.of("{query}")),
            "tags: '{query}': {query} needs a parameter name: {query.NAME}"),
        invalid("tag with a space", b -> b.tags(List.of("two words")),
            "tags: 'two words': a tag may not contain spaces or control characters"),
        invalid("empty tag", b -> b.tags(List.of("")), "tags: '' is empty: a tag needs text or a placeholder"),
        invalid("tag text longer than a tag", b -> b.tags(List.of("t".repeat(257))),
            "tags: '" + "t".repeat(257) + "': its text alone is longer than 256 characters, the most a tag may have"),
        invalid("more tags than a page keeps", b -> b.tags(java.util.stream.IntStream.range(0, 65)
            .mapToObj(i -> "t" + i).toList()), "tags: 65 templates, more than the 64 tags a page may carry"));
  }

  private static Arguments invalid(String name, Consumer<CacheRule.Builder> setting, String message) {
    return arguments(named(name, setting), message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSettings")
  void theBuilderRejectsABadSettingWithAMessageThatNamesIt(Consumer<CacheRule.Builder> setting, String message) {
    CacheRule.Builder builder = CacheRule.forPath("/");

    assertThatThrownBy(() -> setting.accept(builder))
        .isInstanceOf(RuntimeException.class)
        .hasMessage(message);
  }

  @Test
  void tagTemplatesAreParsedOnceIntoTextAndPlaceholders() {
    CacheRule rule = CacheRule.forPath("/*").keyCookies(List.of("user"))
        .tags(List.of("user:{cookie.user}/{path.2}?{query.q}", "wiki", "wiki")).build();

    assertThat(rule.tags()).extracting(TagTemplate::source).as("each template once").containsExactly(
        "user:{cookie.user}/{path.2}?{query.q}", "wiki");
    assertThat(rule.tags().get(0).parts()).containsExactly(new TagTemplate.Literal("user:"),
        new TagTemplate.Cookie("user"), new TagTemplate.Literal("/"), new TagTemplate.PathSegment(2),
        new TagTemplate.Literal("?"), new TagTemplate.QueryParameter("q"));
  }

  @Test
  void aTagMayNotUseACookieTheKeyLeavesOut() {
    CacheRule.Builder builder = CacheRule.forPath("/*").keyCookies(List.of("theme")).tags(List.of("user:{cookie.user}"));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tags: 'user:{cookie.user}': {cookie.user} names a cookie that is not in keyCookies [theme]");
  }

  @Test
  void aTagMayNotUseAQueryParameterTheKeyLeavesOut() {
    for (QueryKey query : List.of(QueryKey.none(), QueryKey.only(Set.of("page")), QueryKey.allExcept(Set.of("ref")))) {
      CacheRule.Builder builder = CacheRule.forPath("/*").query(query).tags(List.of("ref:{query.ref}"));

      assertThatThrownBy(builder::build).as("query = %s", query)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("tags: 'ref:{query.ref}': {query.ref} names a query parameter the key leaves out (query = "
              + query + ")");
    }
  }

  @Test
  void aTagMayUseWhatTheKeyHoldsWhateverOrderTheSettingsComeIn() {
    CacheRule rule = CacheRule.forPath("/*").tags(List.of("{cookie.user}:{query.page}"))
        .query(QueryKey.only(Set.of("page"))).keyCookies(List.of("user")).build();

    assertThat(rule.tags()).hasSize(1);
    assertThat(CacheRule.forPath("/*").tags(List.of("{query.anything}")).build().tags()).as("query = all").hasSize(1);
  }

  @Test
  void aRuleCanLeaveTheLifetimeToTheOrigin() {
    CacheRule rule = CacheRule.forPath("/api/*").ttlFromOriginOnly().build();

    assertThat(rule.ttl()).isEmpty();
    assertThat(rule).hasToString("/api/* ttl=origin");
    assertThat(rule.sameSettingsAs(CacheRule.forPath("/api/*").build())).isFalse();
    assertThat(rule.sameSettingsAs(CacheRule.forPath("/api/*").ttlFromOriginOnly().build())).isTrue();
  }

  @Test
  void aLaterTtlReplacesTtlFromOriginOnly() {
    CacheRule rule = CacheRule.forPath("/").ttlFromOriginOnly().ttl(Duration.ofMinutes(2)).build();

    assertThat(rule.ttl()).contains(Duration.ofMinutes(2));
  }

  @Test
  void forceTtlWithoutATtlToForceIsRejected() {
    CacheRule.Builder builder = CacheRule.forPath("/").ttlFromOriginOnly().forceTtl(true);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forceTtl needs a ttl to force; it cannot be combined with ttl = origin");
  }

  @Test
  void anInvalidPathFailsBeforeAnyBuilderExists() {
    assertThatThrownBy(() -> CacheRule.forPath("wiki"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("path pattern 'wiki' must start with '/'");
  }

  @Test
  void maxBodyBytesMayBeZeroOrAsLargeAsAnArray() {
    assertThat(CacheRule.forPath("/").maxBodyBytes(0).build().maxBodyBytes()).isZero();
    assertThat(CacheRule.forPath("/").maxBodyBytes(Integer.MAX_VALUE - 8L).build().maxBodyBytes())
        .isEqualTo(Integer.MAX_VALUE - 8L);
  }

  @Test
  void methodsAreTrimmedAndUpperCased() {
    CacheRule rule = CacheRule.forPath("/").methods(new LinkedHashSet<>(Arrays.asList(" get ", "Head"))).build();

    assertThat(rule.methods()).containsExactlyInAnyOrder("GET", "HEAD");
  }

  @Test
  void keyHeadersAreLowerCasedAndKeptOnceInOrder() {
    CacheRule rule = CacheRule.forPath("/")
        .keyHeaders(List.of("X-Device", "Accept-Language", " accept-language ", "x-device"))
        .build();

    assertThat(rule.keyHeaders()).containsExactly("x-device", "accept-language");
  }

  @Test
  void cookieNamesAreTrimmedAndKeptOnceButKeepTheirCase() {
    CacheRule rule = CacheRule.forPath("/")
        .keyCookies(List.of("User", " User", "theme"))
        .bypassIfCookie(List.of("admin", "admin "))
        .build();

    assertThat(rule.keyCookies()).containsExactly("User", "theme");
    assertThat(rule.bypassIfCookie()).containsExactly("admin");
  }

  @Test
  void keyHeadersOrCookiesAreKeyPartsBeyondTheUrl() {
    assertThat(CacheRule.forPath("/").keyHeaders(List.of("Accept")).build().hasKeyPartsBeyondUrl()).isTrue();
    assertThat(CacheRule.forPath("/").keyCookies(List.of("user")).build().hasKeyPartsBeyondUrl()).isTrue();
    assertThat(CacheRule.forPath("/").bypassIfCookie(List.of("admin")).build().hasKeyPartsBeyondUrl()).isFalse();
  }

  @Test
  void statusesAreCopiedIn() {
    Set<Integer> statuses = new java.util.HashSet<>(Set.of(200));
    CacheRule rule = CacheRule.forPath("/").statuses(statuses).build();

    statuses.add(404);

    assertThat(rule.statuses()).containsExactly(200);
  }

  @Test
  void describeNamesThePatternAndTheLineWhenThereIsOne() {
    assertThat(CacheRule.forPath("/wiki/*").line(12).build().describe()).isEqualTo("rule '/wiki/*' (line 12)");
    assertThat(CacheRule.forPath("/wiki/*").build().describe()).isEqualTo("rule '/wiki/*'");
  }

  @Test
  void toStringSummarisesTheSettingsThatDifferFromTheDefaults() {
    assertThat(CacheRule.forPath("/admin/*").cache(false).build()).hasToString("/admin/* not cached");
    assertThat(CacheRule.forPath("/").build()).hasToString("/ ttl=60s");
    assertThat(CacheRule.forPath("/links").ttl(Duration.ofMinutes(10)).forceTtl(true)
        .query(QueryKey.none()).keyHeaders(List.of("Accept")).keyCookies(List.of("user")).build())
        .hasToString("/links ttl=600s (forced) query=none keyHeaders=[accept] keyCookies=[user]");
  }

  @Test
  void sameSettingsIgnoresTheLineButNotTheSettings() {
    CacheRule first = CacheRule.forPath("/a").line(1).ttl(Duration.ofMinutes(5)).build();

    assertThat(first.sameSettingsAs(CacheRule.forPath("/a").line(9).ttl(Duration.ofMinutes(5)).build())).isTrue();
    assertThat(first.sameSettingsAs(CacheRule.forPath("/a").line(9).ttl(Duration.ofMinutes(6)).build())).isFalse();
    assertThat(first.sameSettingsAs(CacheRule.forPath("/a").ttl(Duration.ofMinutes(5)).allowPrivate(true).build()))
        .isFalse();
    assertThat(first.sameSettingsAs(CacheRule.forPath("/a").ttl(Duration.ofMinutes(5))
        .downstreamCacheControl("public").build())).isFalse();
    assertThat(first.sameSettingsAs(CacheRule.forPath("/a").ttl(Duration.ofMinutes(5)).tags(List.of("a")).build()))
        .isFalse();
    assertThat(first.sameSettingsAs(CacheRule.forPath("/a").ttl(Duration.ofMinutes(5)).keepTagHeaders(true).build()))
        .isFalse();
    assertThat(first.sameSettingsAs(CacheRule.forPath("/a").ttl(Duration.ofMinutes(5)).refreshOnPurge(true).build()))
        .isFalse();
  }
}
