package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.pagecache.internal.http.EntityTag;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.internal.store.CachedPage;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConditionalRequestsTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  // Timeline: last modified an hour ago, dated (and stored) ten minutes ago.
  private static final Instant LAST_MODIFIED = NOW.minusSeconds(3600);
  private static final Instant DATE = NOW.minusSeconds(600);

  private static CachedPage.Builder page(int status) {
    return CachedPage.builder().status(status).date(DATE).storedAt(DATE).expiresAt(NOW.plusSeconds(600));
  }

  private static CachedPage pageTagged(String etag) {
    return page(200).etag(EntityTag.parse(etag).orElseThrow()).lastModified(LAST_MODIFIED).build();
  }

  private static TestRequest ifNoneMatch(String... fieldLines) {
    TestRequest.Builder request = TestRequest.get("/a");
    for (String line : fieldLines) {
      request.header("If-None-Match", line);
    }
    return request.build();
  }

  private static TestRequest ifModifiedSince(Instant since) {
    return TestRequest.get("/a").header("If-Modified-Since", HttpDates.format(since)).build();
  }

  static Stream<Arguments> ifNoneMatchCases() {
    return Stream.of(
        arguments("\"v1\"", List.of("\"v1\""), true),
        arguments("\"v1\"", List.of("\"v2\""), false),
        arguments("\"v1\"", List.of("\"v0\", \"v1\", \"v2\""), true),
        arguments("\"v1\"", List.of("\"v0\"", "\"v1\""), true),
        // If-None-Match uses the weak comparison (RFC 9110 §13.1.2): weakness is ignored both ways.
        arguments("\"v1\"", List.of("W/\"v1\""), true),
        arguments("W/\"v1\"", List.of("\"v1\""), true),
        arguments("W/\"v1\"", List.of("W/\"v1\""), true),
        arguments("W/\"v1\"", List.of("W/\"v2\""), false),
        arguments("\"v1\"", List.of("*"), true),
        arguments("\"v1\"", List.of("v1"), false),
        arguments("\"v1\"", List.of("\"V1\""), false));
  }

  @ParameterizedTest(name = "page {0}, If-None-Match {1}: 304 {2}")
  @MethodSource("ifNoneMatchCases")
  void ifNoneMatchComparesEntityTagsWeakly(String pageTag, List<String> fieldLines, boolean notModified) {
    TestRequest request = ifNoneMatch(fieldLines.toArray(String[]::new));

    assertThat(ConditionalRequests.notModified(request, pageTagged(pageTag))).isEqualTo(notModified);
  }

  @Test
  void theWildcardMatchesAPageWithoutAnEntityTag() {
    CachedPage untagged = page(200).build();

    assertThat(ConditionalRequests.notModified(ifNoneMatch("*"), untagged)).isTrue();
    assertThat(ConditionalRequests.notModified(ifNoneMatch("\"v1\""), untagged)).isFalse();
  }

  @Test
  void ifNoneMatchDecidesAloneEvenWhenIfModifiedSinceWouldSay304() {
    TestRequest request = TestRequest.get("/a")
        .header("If-None-Match", "\"other\"")
        .header("If-Modified-Since", HttpDates.format(NOW))
        .build();

    assertThat(ConditionalRequests.notModified(request, pageTagged("\"v1\""))).isFalse();
  }

  @Test
  void ifNoneMatchDecidesAloneEvenWhenIfModifiedSinceWouldSay200() {
    TestRequest request = TestRequest.get("/a")
        .header("If-None-Match", "\"v1\"")
        .header("If-Modified-Since", HttpDates.format(LAST_MODIFIED.minusSeconds(86_400)))
        .build();

    assertThat(ConditionalRequests.notModified(request, pageTagged("\"v1\""))).isTrue();
  }

  @Test
  void ifModifiedSinceIsComparedWithLastModified() {
    CachedPage page = pageTagged("\"v1\"");

    assertThat(ConditionalRequests.notModified(ifModifiedSince(LAST_MODIFIED), page)).as("same second").isTrue();
    assertThat(ConditionalRequests.notModified(ifModifiedSince(LAST_MODIFIED.plusSeconds(1)), page)).as("later").isTrue();
    assertThat(ConditionalRequests.notModified(ifModifiedSince(LAST_MODIFIED.minusSeconds(1)), page)).as("earlier").isFalse();
  }

  @Test
  void withoutLastModifiedIfModifiedSinceIsComparedWithTheStoredDate() {
    CachedPage page = page(200).build();

    assertThat(ConditionalRequests.notModified(ifModifiedSince(DATE), page)).isTrue();
    assertThat(ConditionalRequests.notModified(ifModifiedSince(LAST_MODIFIED), page)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "0", ""})
  void anInvalidIfModifiedSinceIsIgnored(String since) {
    TestRequest request = TestRequest.get("/a").header("If-Modified-Since", since).build();

    assertThat(ConditionalRequests.notModified(request, pageTagged("\"v1\""))).isFalse();
  }

  @Test
  void anUnconditionalRequestGetsTheFullPage() {
    assertThat(ConditionalRequests.notModified(TestRequest.get("/a").build(), pageTagged("\"v1\""))).isFalse();
  }

  @ParameterizedTest(name = "status {0}")
  @ValueSource(ints = {300, 301, 308, 404, 410, 500})
  void aPageThatIsNot2xxIsNeverAnsweredWith304(int status) {
    CachedPage page = page(status).etag(EntityTag.strong("v1")).lastModified(LAST_MODIFIED).build();

    assertThat(ConditionalRequests.notModified(ifNoneMatch("\"v1\""), page)).isFalse();
    assertThat(ConditionalRequests.notModified(ifNoneMatch("*"), page)).isFalse();
    assertThat(ConditionalRequests.notModified(ifModifiedSince(NOW), page)).isFalse();
  }

  @ParameterizedTest(name = "status {0}")
  @ValueSource(ints = {200, 203})
  void a2xxPageCanBeAnsweredWith304(int status) {
    CachedPage page = page(status).etag(EntityTag.strong("v1")).build();

    assertThat(ConditionalRequests.notModified(ifNoneMatch("\"v1\""), page)).isTrue();
  }

  @Test
  void aReplayedErrorIsNeverAnsweredWith304() {
    CachedPage page = page(200).etag(EntityTag.strong("v1")).errorReplay("gone").build();

    assertThat(ConditionalRequests.notModified(ifNoneMatch("\"v1\""), page)).isFalse();
  }
}
