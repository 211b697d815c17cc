package dev.pagecache.policy;

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
        arguments(named("If-None-Match, which the cache answers",
            TestRequest.get("/a").header("If-None-Match", "\"v1\"").build()), RULE, Optional.empty()),
        arguments(named("If-Modified-Since, which the cache answers",
            TestRequest.get("/a").header("If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT").build()), RULE,
            Optional.empty()));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("requests")
  void bypassReasonSaysWhyARequestSkipsTheCache(TestRequest request, CacheRule rule, Optional<Reason> reason) {
    assertThat(RequestPolicy.bypassReason(request, rule)).isEqualTo(reason);
  }

  @Test
  void reasonsAreCheckedInOrder() {
    TestRequest everything = TestRequest.get("/a")
        .header("Authorization", "Basic YTpi")
        .cookie("admin", "1")
        .header("If-Match", "\"v1\"")
        .build();

    assertThat(RequestPolicy.bypassReason(everything, EXCLUDED)).contains(Reason.EXCLUDED);
    assertThat(RequestPolicy.bypassReason(everything, RULE)).contains(Reason.AUTHORIZATION);
    CacheRule authorized = CacheRule.forPath("/*").allowAuthorization(true).bypassIfCookie(List.of("admin")).build();
    assertThat(RequestPolicy.bypassReason(everything, authorized)).contains(Reason.BYPASS_COOKIE);
    assertThat(RequestPolicy.bypassReason(everything, AUTHORIZED)).contains(Reason.PRECONDITION);
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
  void unsafeMethodsInvalidateTheUrl(String method) {
    assertThat(RequestPolicy.invalidatesCache(method)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "TRACE", "post"})
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
  @EnumSource(value = Reason.class, names = {"NO_RULE", "EXCLUDED", "METHOD", "AUTHORIZATION", "BYPASS_COOKIE",
      "PRECONDITION", "BYPASS_REQUESTED"})
  void requestReasonsAreBypasses(Reason reason) {
    assertThat(reason.isBypass()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(value = Reason.class, mode = EnumSource.Mode.EXCLUDE, names = {"NO_RULE", "EXCLUDED", "METHOD",
      "AUTHORIZATION", "AUTHENTICATED", "BYPASS_COOKIE", "PRECONDITION", "BYPASS_REQUESTED"})
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
