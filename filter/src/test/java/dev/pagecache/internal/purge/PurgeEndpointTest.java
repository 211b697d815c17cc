package dev.pagecache.internal.purge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.internal.purge.PurgeEndpoint.Answer;
import dev.pagecache.internal.purge.PurgeEndpoint.Decision;
import dev.pagecache.internal.purge.PurgeEndpoint.Purge;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PurgeEndpointTest {
  private static final String TOKEN = PurgeAccessTest.TOKEN;
  private static final String OWN_ORIGIN = "http://www.example.com:8080";
  private static final PurgeEndpoint ENDPOINT = new PurgeEndpoint(new PurgeSettings(PurgeSettings.DEFAULT_PATH,
      new PurgeAccess(Optional.of(TOKEN), Optional.empty())));

  private static PurgeAccess.Caller authorized() {
    return new PurgeAccess.Caller("Bearer " + TOKEN, "10.1.2.3", null, null, OWN_ORIGIN);
  }

  private static Decision post(Map<String, String[]> form) {
    return ENDPOINT.decide(new PurgeEndpoint.Request("POST", "/pagecache/purge", "/pagecache/purge", authorized(),
        () -> form));
  }

  private static Map<String, String[]> form(String... nameValuePairs) {
    Map<String, List<String>> lists = new LinkedHashMap<>();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      lists.computeIfAbsent(nameValuePairs[i], n -> new java.util.ArrayList<>()).add(nameValuePairs[i + 1]);
    }
    Map<String, String[]> form = new LinkedHashMap<>();
    lists.forEach((name, values) -> form.put(name, values.toArray(String[]::new)));
    return form;
  }

  private static Answer answer(Decision decision) {
    assertThat(decision).isInstanceOf(Answer.class);
    return (Answer) decision;
  }

  private static Purge purge(Decision decision) {
    assertThat(decision).isInstanceOf(Purge.class);
    return (Purge) decision;
  }

  // ---- which requests are the endpoint's ----

  @Test
  void everyPurgeAndEveryMethodOnThePathAreTheEndpoints() {
    assertThat(ENDPOINT.handles("PURGE", "/wiki", "/Home")).isTrue();
    assertThat(ENDPOINT.handles("POST", "/pagecache/purge", null)).isTrue();
    assertThat(ENDPOINT.handles("GET", "/pagecache/purge", null)).isTrue();
    assertThat(ENDPOINT.handles("GET", "/wiki/Home", null)).isFalse();
    assertThat(ENDPOINT.handles("POST", "/pagecache/purge/", null)).isFalse();
    assertThat(ENDPOINT.handles("purge", "/wiki/Home", null)).as("methods are case-sensitive").isFalse();
  }

  @Test
  void thePathMatchesHoweverTheServletMappingSplitsIt() {
    assertThat(ENDPOINT.handles("POST", "/pagecache", "/purge")).as("a servlet at /pagecache/*").isTrue();
    assertThat(ENDPOINT.handles("POST", "", "/pagecache/purge")).as("a servlet at /*").isTrue();
    assertThat(ENDPOINT.handles("POST", "/pagecache/purge", "")).isTrue();
    assertThat(ENDPOINT.handles("POST", "/pagecache", "/purgeX")).isFalse();
    assertThat(ENDPOINT.handles("POST", "/pagecache", "/purg")).isFalse();
    assertThat(ENDPOINT.handles("POST", "/pagecachX", "/purge")).isFalse();
    assertThat(ENDPOINT.handles("POST", null, null)).isFalse();
  }

  // ---- access first ----

  @Test
  void aRefusedRequestIsAskedForATokenAndItsFormIsNeverRead() {
    AtomicBoolean formRead = new AtomicBoolean();
    Supplier<Map<String, String[]>> form = () -> {
      formRead.set(true);
      return form("all", "");
    };
    PurgeAccess.Caller wrong = new PurgeAccess.Caller("Bearer not-the-token-at-all", "10.1.2.3", null, null, OWN_ORIGIN);

    Answer answer = answer(ENDPOINT.decide(new PurgeEndpoint.Request("POST", "/pagecache/purge", "/pagecache/purge", wrong, form)));

    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.refused()).isTrue();
    assertThat(answer.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"pagecache\"");
    assertThat(answer.contentType()).isEqualTo("text/plain;charset=UTF-8");
    assertThat(formRead).as("form read").isFalse();
  }

  @Test
  void aRefusedPurgeIsRefusedWhateverItsMethodOrPath() {
    PurgeAccess.Caller nobody = new PurgeAccess.Caller(null, "10.1.2.3", null, null, OWN_ORIGIN);

    assertThat(answer(ENDPOINT.decide(new PurgeEndpoint.Request("PURGE", "/wiki/Home", "/wiki/Home", nobody, Map::of))).status())
        .isEqualTo(401);
    assertThat(answer(ENDPOINT.decide(new PurgeEndpoint.Request("GET", "/pagecache/purge", "/pagecache/purge", nobody, Map::of)))
        .status()).as("not 405: nothing is said before access").isEqualTo(401);
  }

  @Test
  void anAddressNotAllowedIsForbiddenWithoutAChallenge() {
    PurgeEndpoint fromTen = new PurgeEndpoint(new PurgeSettings("/purge",
        new PurgeAccess(Optional.of(TOKEN), Optional.of(AllowList.of(List.of("10.0.0.0/8"))))));
    PurgeAccess.Caller outsider = new PurgeAccess.Caller("Bearer " + TOKEN, "192.0.2.1", null, null, OWN_ORIGIN);

    Answer answer = answer(fromTen.decide(new PurgeEndpoint.Request("PURGE", "/x", "/x", outsider, Map::of)));

    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.refused()).isTrue();
    assertThat(answer.headers()).doesNotContainKey("WWW-Authenticate");
  }

  // ---- PURGE <url> ----

  @Test
  void purgeNamesTheUrlItIsSentTo() {
    Purge purge = purge(ENDPOINT.decide(new PurgeEndpoint.Request("PURGE", "/wiki/Home", "/shop/wiki/Caf%C3%A9?rev=2",
        authorized(), () -> {
          throw new AssertionError("a PURGE has no form");
        })));

    assertThat(purge.urls()).containsExactly(URI.create("http://www.example.com:8080/shop/wiki/Caf%C3%A9?rev=2"));
    assertThat(purge.prefixes()).isEmpty();
    assertThat(purge.tags()).isEmpty();
    assertThat(purge.all()).isFalse();
  }

  @Test
  void purgeOfAUrlThatDoesNotParseIsABadRequest() {
    Answer answer = answer(ENDPOINT.decide(new PurgeEndpoint.Request("PURGE", "/a b", "/a b", authorized(), Map::of)));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.refused()).isFalse();
  }

  // ---- POST <path> ----

  @ParameterizedTest
  @ValueSource(strings = {"GET", "HEAD", "PUT", "DELETE", "PURGE", "OPTIONS", "post"})
  void everyOtherMethodOnThePathIsNotAllowed(String method) {
    Answer answer = answer(ENDPOINT.decide(new PurgeEndpoint.Request(method, "/pagecache/purge", "/pagecache/purge",
        authorized(), Map::of)));

    assertThat(answer.status()).isEqualTo(405);
    assertThat(answer.headers()).containsEntry("Allow", "POST");
  }

  @Test
  void urlsArePathsOnTheRequestsOwnOriginOrAbsoluteAndComeOutNormalised() {
    Purge purge = purge(post(form("url", "/wiki/Home", "url", "HTTP://Example.COM:80/wiki/Home?x=1",
        "url", "https://example.com:443", "url", "http://[::1]:8080/a", "url", "/wiki/Café", "url", "/wiki/Home")));

    assertThat(purge.urls()).containsExactly(URI.create("http://www.example.com:8080/wiki/Home"),
        URI.create("http://example.com/wiki/Home?x=1"), URI.create("https://example.com/"),
        URI.create("http://[::1]:8080/a"), URI.create("http://www.example.com:8080/wiki/Caf%C3%A9"));
  }

  @Test
  void prefixesTagsAndAllAreNamedAsGiven() {
    Purge purge = purge(post(form("prefix", "/wiki/", "prefix", "http://other.example/docs", "tag", "wiki",
        "tag", "user:42", "all", "")));

    assertThat(purge.prefixes()).containsExactly(URI.create("http://www.example.com:8080/wiki/"),
        URI.create("http://other.example/docs"));
    assertThat(purge.tags()).containsExactly("wiki", "user:42");
    assertThat(purge.all()).isTrue();
  }

  @Test
  void allIsTrueOrFalse() {
    assertThat(purge(post(form("all", "true"))).all()).isTrue();
    assertThat(purge(post(form("all", "1"))).all()).isTrue();
    assertThat(answer(post(form("all", "false"))).status()).as("names nothing").isEqualTo(400);
    assertThat(answer(post(form("all", "everything"))).body()).isEqualTo("pagecache: all is true or false, was 'everything'\n");
  }

  @Test
  void theAnswerSaysWhatWasPurgedInJson() {
    Purge purge = purge(post(form("url", "http://example.com/wiki/Home", "tag", "wiki")));

    Answer answer = PurgeEndpoint.purged(purge);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).isEqualTo("application/json;charset=UTF-8");
    assertThat(answer.body()).isEqualTo(
        "{\"purged\":{\"urls\":[\"http://example.com/wiki/Home\"],\"prefixes\":[],\"tags\":[\"wiki\"],\"all\":false}}");
  }

  @Test
  void aTagIsEscapedInTheJson() {
    Purge purge = purge(post(form("tag", "a\"b\\c</script>&é")));

    assertThat(purge.toJson()).contains("\"tags\":[\"a\\\"b\\\\c\\u003c/script\\u003e\\u0026é\"]");
  }

  @Test
  void aRequestThatNamesNothingIsABadRequest() {
    Answer answer = answer(post(form()));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body()).isEqualTo(
        "pagecache: name what to purge, as form parameters: url=, prefix=, tag= (each may repeat) or all=true\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://exa mple.com/", "wiki/Home", "//example.com/x", "ftp://example.com/x", "mailto:a@b",
      "http://user:pw@example.com/", "http:///x", "/x#top", "http://[::1/x", ""})
  void aUrlThatDoesNotParseOrIsNotHttpIsABadRequest(String url) {
    Answer answer = answer(post(form("url", url)));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body()).startsWith("pagecache: url '").endsWith("\n");
  }

  @Test
  void aPrefixHasNoQuery() {
    assertThat(answer(post(form("prefix", "/wiki/?a=b"))).body())
        .isEqualTo("pagecache: prefix '/wiki/?a=b' has a query; a prefix is a path\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "two words", "tab\there", "new\nline", "no\u00a0break", "bell\u0007"})
  void aTagWithSpacesOrControlsIsABadRequest(String tag) {
    assertThat(answer(post(form("tag", tag))).status()).isEqualTo(400);
  }

  @Test
  void aTagIsAnythingAPageCanCarryCommasIncluded() {
    // A Surrogate-Key member may hold a comma; only Cache-Tag splits at commas.
    assertThat(purge(post(form("tag", "a,b", "tag", "user:42", "tag", "Ärger/✓"))).tags())
        .containsExactly("a,b", "user:42", "Ärger/✓");
  }

  @Test
  void anUnknownParameterIsABadRequestRatherThanSilentlyNothing() {
    assertThat(answer(post(form("urls", "/wiki/Home"))).body())
        .isEqualTo("pagecache: unknown parameter 'urls'; known: url, prefix, tag, all\n");
  }

  @Test
  void whatOneRequestNamesIsBounded() {
    String[] many = new String[2 * (PurgeEndpoint.MAX_VALUES + 1)];
    for (int i = 0; i < many.length; i += 2) {
      many[i] = "url";
      many[i + 1] = "/page/" + i;
    }
    assertThat(purge(post(form(java.util.Arrays.copyOf(many, many.length - 2)))).urls()).hasSize(PurgeEndpoint.MAX_VALUES);
    assertThat(answer(post(form(many))).body()).isEqualTo("pagecache: more than 500 urls, prefixes and tags in one request\n");
    assertThat(answer(post(form("url", "/" + "a".repeat(PurgeEndpoint.MAX_URL_CHARS)))).body())
        .isEqualTo("pagecache: url is longer than 8192 characters\n");
    assertThat(answer(post(form("tag", "t".repeat(PurgeEndpoint.MAX_TAG_CHARS + 1)))).status()).isEqualTo(400);
  }

  @Test
  void clientTextInAMessageIsShortAndPrintable() {
    String body = answer(post(form("url", "ftp://\u0007" + "x".repeat(200)))).body();

    assertThat(body).doesNotContain("\u0007").contains("'ftp://?xxx").contains("...'").hasSizeLessThan(200);
  }

  @Test
  void aFormTheContainerCannotReadIsABadRequest() {
    Answer answer = answer(ENDPOINT.decide(new PurgeEndpoint.Request("POST", "/pagecache/purge", "/pagecache/purge",
        authorized(), () -> {
          throw new IllegalStateException("Form is larger than max length 200000");
        })));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body()).isEqualTo("pagecache: the form could not be read (too large?)\n");
  }

  @Test
  void aConfiguredPathReplacesTheDefault() {
    PurgeEndpoint custom = new PurgeEndpoint(new PurgeSettings("/admin/cache-purge",
        new PurgeAccess(Optional.of(TOKEN), Optional.empty())));

    assertThat(custom.handles("POST", "/admin/cache-purge", null)).isTrue();
    assertThat(custom.handles("POST", "/pagecache/purge", null)).isFalse();
  }
}
