package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.pagecache.rules.CacheRule;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPolicyTest {
  private static final CacheRule RULE = CacheRule.forPath("/*").bypassIfCookie(List.of("admin")).build();
  private static final CacheRule EXCLUDED = CacheRule.forPath("/*").cache(false).build();
  private static final CacheRule AUTHORIZED = CacheRule.forPath("/*").allowAuthorization(true).build();

  static Stream<Arguments> requests() {
    return Stream.of(
        arguments(named("a plain GET", TestRequest.get("/a").build()), RULE, Optional.empty()),
        arguments(named("a plain HEAD", TestRequest.head("/a").build()), RULE, Optional.empty()),
        arguments(named("a path the rule excludes", TestRequest.get("/a").build()), EXCLUDED,
            Optional.of(Reason.EXCLUDED)),
        arguments(named("Authorization", TestRequest.get("/a").header("Authorization", "Basic YTpi").build()),
            RULE, Optional.of(Reason.AUTHORIZATION)),
        arguments(named("authorization in lower case", TestRequest.get("/a").header("authorization", "Bearer x").build()),
            RULE, Optional.of(Reason.AUTHORIZATION)),
        arguments(named("Authorization on a rule that allows it",
            TestRequest.get("/a").header("Authorization", "Basic YTpi").build()), AUTHORIZED, Optional.empty()),
        arguments(named("a user the container logged in", TestRequest.get("/a").authenticated().build()),
            RULE, Optional.of(Reason.AUTHENTICATED)),
        arguments(named("a logged-in user on a rule that allows authorization",
            TestRequest.get("/a").authenticated().build()), AUTHORIZED, Optional.empty()),
        arguments(named("a session id in the cookie", TestRequest.get("/a").session(RequestView.SessionId.COOKIE).build()),
            RULE, Optional.of(Reason.SESSION_ID)),
        arguments(named("a session id in the URL", TestRequest.get("/a").session(RequestView.SessionId.URL).build()),
            RULE, Optional.of(Reason.SESSION_ID)),
        arguments(named("a session id on a rule that allows sessions",
            TestRequest.get("/a").session(RequestView.SessionId.COOKIE).build()),
            CacheRule.forPath("/*").allowSession(true).build(), Optional.empty()),
        arguments(named("a session cookie on a rule that keys pages by it",
            TestRequest.get("/a").session(RequestView.SessionId.COOKIE).build()),
            CacheRule.forPath("/*").keyCookies(List.of("JSESSIONID")).build(), Optional.empty()),
        arguments(named("a session id in the URL on a rule that keys pages by the cookie",
            TestRequest.get("/a").session(RequestView.SessionId.URL).build()),
            CacheRule.forPath("/*").keyCookies(List.of("JSESSIONID")).build(), Optional.of(Reason.SESSION_ID)),
        arguments(named("the bypass cookie", TestRequest.get("/a").cookie("admin", "1").build()), RULE,
            Optional.of(Reason.BYPASS_COOKIE)),
        arguments(named("the bypass cookie, empty", TestRequest.get("/a").cookie("admin", "").build()), RULE,
            Optional.of(Reason.BYPASS_COOKIE)),
        arguments(named("another cookie", TestRequest.get("/a").cookie("theme", "dark").build()), RULE,
            Optional.empty()),
        arguments(named("If-Match", TestRequest.get("/a").header("If-Match", "\"v1\"").build()), RULE,
            Optional.of(Reason.PRECONDITION)),
        arguments(named("If-Unmodified-Since",
            TestRequest.get("/a").header("If-Unmodified-Since", "Sun, 06 Nov 1994 08:49:37 GMT").build()), RULE,
            Optional.of(Reason.PRECONDITION)),
        arguments(named("a GET with a body of known length",
            TestRequest.get("/a").header("Content-Length", "9").build()), RULE, Optional.of(Reason.REQUEST_BODY)),
        arguments(named("a chunked GET", TestRequest.get("/a").header("Transfer-Encoding", "chunked").build()), RULE,
            Optional.of(Reason.REQUEST_BODY)),
        arguments(named("a GET that says its body is empty",
            TestRequest.get("/a").header("Content-Length", "0").build()), RULE, Optional.empty()),
        arguments(named("';' in a query the rule keys only in part", TestRequest.get("/a?utm_content=x;callback=evil").build()),
            CacheRule.forPath("/*").query(dev.pagecache.rules.QueryKey.allExcept(java.util.Set.of("utm_content"))).build(),
            Optional.of(Reason.QUERY_SEPARATOR)),
        arguments(named("';' in a query keyed whole", TestRequest.get("/a?x=1;y=2").build()), RULE, Optional.empty()),
        arguments(named("If-None-Match, which the cache answers",
            TestRequest.get("/a").header("If-None-Match", "\"v1\"").build()), RULE, Optional.empty()),
        arguments(named("If-Modified-Since, which the cache answers",
            TestRequest.get("/a").header("If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT").build()), RULE,
            Optional.empty()));
  }

  private static Optional<Reason> bypass(TestRequest request, CacheRule rule) {
    return RequestPolicy.bypassReason(request, rule, RequestPolicy.DEFAULT_SESSION_COOKIE);
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("requests")
  void bypassReasonSaysWhyARequestSkipsTheCache(TestRequest request, CacheRule rule, Optional<Reason> reason) {
    assertThat(bypass(request, rule)).isEqualTo(reason);
  }

  @Test
  void reasonsAreCheckedInOrder() {
    TestRequest everything = TestRequest.get("/a")
        .header("Authorization", "Basic YTpi")
        .cookie("admin", "1")
        .header("If-Match", "\"v1\"")
        .build();

    assertThat(bypass(everything, EXCLUDED)).contains(Reason.EXCLUDED);
    assertThat(bypass(everything, RULE)).contains(Reason.AUTHORIZATION);
    CacheRule authorized = CacheRule.forPath("/*").allowAuthorization(true).bypassIfCookie(List.of("admin")).build();
    assertThat(bypass(everything, authorized)).contains(Reason.BYPASS_COOKIE);
    assertThat(bypass(everything, AUTHORIZED)).contains(Reason.PRECONDITION);
  }

  @Test
  void aLoggedInUserIsNamedBeforeTheSessionTheLoginLivesIn() {
    TestRequest loggedIn = TestRequest.get("/a").authenticated().session(RequestView.SessionId.COOKIE).build();

    assertThat(bypass(loggedIn, RULE)).contains(Reason.AUTHENTICATED);
  }

  @Test
  void theSessionCookieIsTheOneTheApplicationNames() {
    TestRequest request = TestRequest.get("/a").session(RequestView.SessionId.COOKIE).build();
    CacheRule keyedBySid = CacheRule.forPath("/*").keyCookies(List.of("SID")).build();
    CacheRule keyedByDefault = CacheRule.forPath("/*").keyCookies(List.of("JSESSIONID")).build();

    assertThat(RequestPolicy.bypassReason(request, keyedBySid, "SID")).isEmpty();
    assertThat(RequestPolicy.bypassReason(request, keyedByDefault, "SID")).contains(Reason.SESSION_ID);
    assertThat(RequestPolicy.bypassReason(request, keyedBySid, RequestPolicy.DEFAULT_SESSION_COOKIE))
        .contains(Reason.SESSION_ID);
  }

  @Test
  void aHeadOrANoStoreRequestMayNotStoreItsResponse() {
    assertThat(RequestPolicy.storeRefusal(TestRequest.head("/a").build(), RULE)).contains(Reason.HEAD_MISS);
    assertThat(RequestPolicy.storeRefusal(TestRequest.get("/a").header("Cache-Control", "no-store").build(), RULE))
        .contains(Reason.REQUEST_NO_STORE);
    assertThat(RequestPolicy.storeRefusal(TestRequest.get("/a").header("Cache-Control", "no-cache").build(), RULE))
        .isEmpty();
    assertThat(RequestPolicy.storeRefusal(TestRequest.get("/a").header("Cache-Control", "no-store").build(),
        CacheRule.forPath("/*").allowNoStore(true).build())).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = Reason.class, names = {"HEAD_MISS", "REQUEST_NO_STORE", "PURGED", "STORE_ERROR"})
  void reasonsOfTheRequestOrTheCacheSayNothingAboutTheNextRender(Reason reason) {
    assertThat(reason.predictsNextRender()).isFalse();
    assertThat(reason.isBypass()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(value = Reason.class, names = {"EXCEPTION", "STATUS", "NO_STORE", "NO_CACHE", "PRIVATE", "SET_COOKIE",
      "SESSION", "VARY_STAR", "TOO_LARGE", "INCOMPLETE", "NOT_FRESH", "NO_LIFETIME", "ASYNC", "EVENT_STREAM",
      "TYPE_MISMATCH"})
  void reasonsOfTheResponsePredictTheNextRender(Reason reason) {
    assertThat(reason.predictsNextRender()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE", "PROPFIND", "MKCOL", "FOO", "post"})
  void everyMethodNotKnownToBeSafeInvalidatesTheUrl(String method) {
    assertThat(RequestPolicy.invalidatesCache(method)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "TRACE"})
  void safeMethodsDoNotInvalidate(String method) {
    assertThat(RequestPolicy.invalidatesCache(method)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 204, 301, 303, 399})
  void nonErrorResponsesInvalidate(int status) {
    assertThat(RequestPolicy.invalidatingStatus(status)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {100, 199, 400, 404, 409, 500})
  void errorResponsesDoNotInvalidate(int status) {
    assertThat(RequestPolicy.invalidatingStatus(status)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(value = Reason.class, names = {"NO_RULE", "EXCLUDED", "METHOD", "AUTHORIZATION", "AUTHENTICATED",
      "SESSION_ID", "BYPASS_COOKIE", "PRECONDITION", "BYPASS_REQUESTED", "UNKNOWN_HOST", "COMMITTED", "REQUEST_BODY",
      "QUERY_SEPARATOR"})
  void requestReasonsAreBypasses(Reason reason) {
    assertThat(reason.isBypass()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(value = Reason.class, mode = EnumSource.Mode.EXCLUDE, names = {"NO_RULE", "EXCLUDED", "METHOD",
      "AUTHORIZATION", "AUTHENTICATED", "SESSION_ID", "BYPASS_COOKIE", "PRECONDITION", "BYPASS_REQUESTED",
      "UNKNOWN_HOST", "COMMITTED", "REQUEST_BODY", "QUERY_SEPARATOR"})
  void responseReasonsAreNotBypasses(Reason reason) {
    assertThat(reason.isBypass()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Reason.class)
  void everyReasonHasALowerCaseTokenForCacheStatus(Reason reason) {
    assertThat(reason.detail()).matches("[a-z]+(-[a-z]+)*")
        .isEqualTo(reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
  }
}
