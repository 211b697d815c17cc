package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.QueryKey;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CacheKeysTest {
  private static final CacheRule ANY = CacheRule.forPath("/*").build();

  private static String primary(String query, QueryKey queryKey) {
    return CacheKeys.primary("http", "example.com", 80, "/p", Optional.ofNullable(query), queryKey);
  }

  @Test
  void thePrimaryKeyNamesSchemeHostPortAndRawPath() {
    TestRequest request = TestRequest.get("/caf\u00e9").rawPath("/shop/caf%C3%A9").scheme("https")
        .host("example.com").port(8443).build();

    assertThat(CacheKeys.primary(request, ANY)).isEqualTo("https://example.com:8443/shop/caf%C3%A9");
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"/wiki/%c3%a9", "/wiki/%C3%A9", "/wiki/\u00e9",
      "/wiki/./%C3%A9", "/w/../wiki/%c3%A9", "/%77iki/%C3%A9"})
  void everySpellingOfOneUrlSharesItsPrimaryKey(String rawPath) {
    assertThat(CacheKeys.primary("http", "example.com", 80, rawPath, Optional.empty(), QueryKey.all()))
        .isEqualTo("http://example.com:80/wiki/%C3%A9");
  }

  @Test
  void urlsThatDifferOnlyInSchemeHostOrPortHaveDifferentKeys() {
    String key = CacheKeys.primary(TestRequest.get("/a").build(), ANY);

    assertThat(CacheKeys.primary(TestRequest.get("/a").scheme("https").build(), ANY)).isNotEqualTo(key);
    assertThat(CacheKeys.primary(TestRequest.get("/a").host("other.example").build(), ANY)).isNotEqualTo(key);
    assertThat(CacheKeys.primary(TestRequest.get("/a").port(8080).build(), ANY)).isNotEqualTo(key);
  }

  @Test
  void queryParametersAreSortedByName() {
    assertThat(primary("sort=asc&page=2&filter=new", QueryKey.all()))
        .isEqualTo("http://example.com:80/p?filter=new&page=2&sort=asc");
  }

  @Test
  void valuesOfARepeatedNameKeepTheirOrder() {
    assertThat(primary("tag=z&b=1&tag=a&tag=m", QueryKey.all()))
        .isEqualTo("http://example.com:80/p?b=1&tag=z&tag=a&tag=m");
    assertThat(primary("tag=a&tag=z", QueryKey.all())).isNotEqualTo(primary("tag=z&tag=a", QueryKey.all()));
  }

  @Test
  void requestsThatDifferOnlyInParameterOrderShareAKey() {
    assertThat(primary("a=1&b=2", QueryKey.all())).isEqualTo(primary("b=2&a=1", QueryKey.all()));
  }

  static Stream<Arguments> queryModes() {
    String query = "utm_source=mail&page=2&sort=asc";
    return Stream.of(
        arguments(QueryKey.all(), query, "?page=2&sort=asc&utm_source=mail"),
        arguments(QueryKey.none(), query, ""),
        arguments(QueryKey.only(Set.of("page")), query, "?page=2"),
        arguments(QueryKey.only(Set.of("missing")), query, ""),
        arguments(QueryKey.allExcept(Set.of("utm_source")), query, "?page=2&sort=asc"),
        arguments(QueryKey.allExcept(Set.of("utm_source")), "utm%5Fsource=mail&page=2", "?page=2"),
        arguments(QueryKey.only(Set.of("q x")), "q+x=1&q%20x=2&qx=3", "?q%20x=2&q+x=1"),
        arguments(QueryKey.all(), "a=1&&b=2&", "?a=1&b=2"),
        arguments(QueryKey.all(), "flag&a=1", "?a=1&flag"),
        arguments(QueryKey.all(), "a%zz=1", "?a%25zz=1"),
        arguments(QueryKey.all(), "q=caf%c3%a9&%70age=2", "?page=2&q=caf%C3%A9"),
        arguments(QueryKey.all(), "", ""),
        arguments(QueryKey.all(), null, ""));
  }

  @ParameterizedTest(name = "{0} keeps [{2}] of [{1}]")
  @MethodSource("queryModes")
  void theRuleChoosesWhichParametersGoIntoTheKey(QueryKey queryKey, String query, String expectedSuffix) {
    assertThat(primary(query, queryKey)).isEqualTo("http://example.com:80/p" + expectedSuffix);
  }

  @Test
  void thePrimaryKeyForARequestUsesItsRulesQueryKey() {
    CacheRule onlyPage = CacheRule.forPath("/*").query(QueryKey.only(Set.of("page"))).build();

    assertThat(CacheKeys.primary(TestRequest.get("/links?utm_source=x&page=3").build(), onlyPage))
        .isEqualTo("http://example.com:80/links?page=3");
  }

  @Test
  void theSecondaryKeyAddsTheGenerationInHex() {
    TestRequest request = TestRequest.get("/a").build();

    assertThat(CacheKeys.secondary("P", 255, request, ANY, List.of(), List.of())).isEqualTo("P#ff");
    assertThat(CacheKeys.secondary("P", 1, request, ANY, List.of(), List.of()))
        .isNotEqualTo(CacheKeys.secondary("P", 2, request, ANY, List.of(), List.of()));
  }

  @Test
  void keyHeadersGoIntoTheSecondaryKey() {
    CacheRule rule = CacheRule.forPath("/*").keyHeaders(List.of("Accept-Language", "X-Device")).build();
    TestRequest german = TestRequest.get("/a").header("accept-language", " de ").header("X-Device", "mobile").build();
    TestRequest french = TestRequest.get("/a").header("Accept-Language", "fr").header("X-Device", "mobile").build();

    assertThat(CacheKeys.secondary("P", 1, german, rule, List.of(), List.of()))
        .isEqualTo("P#1\nh:accept-language=de\nh:x-device=mobile");
    assertThat(CacheKeys.secondary("P", 1, french, rule, List.of(), List.of()))
        .isNotEqualTo(CacheKeys.secondary("P", 1, german, rule, List.of(), List.of()));
  }

  @Test
  void everyValueOfARepeatedKeyHeaderCountsInOrder() {
    CacheRule rule = CacheRule.forPath("/*").keyHeaders(List.of("Accept")).build();
    TestRequest request = TestRequest.get("/a").header("Accept", "text/html").header("Accept", " */* ").build();

    assertThat(CacheKeys.secondary("P", 1, request, rule, List.of(), List.of())).isEqualTo("P#1\nh:accept=text/html,*/*");
  }

  @Test
  void anAbsentKeyHeaderDiffersFromAnEmptyOne() {
    CacheRule rule = CacheRule.forPath("/*").keyHeaders(List.of("X-Device")).build();
    String absent = CacheKeys.secondary("P", 1, TestRequest.get("/a").build(), rule, List.of(), List.of());
    String empty = CacheKeys.secondary("P", 1, TestRequest.get("/a").header("X-Device", "").build(), rule, List.of(), List.of());

    assertThat(absent).isEqualTo("P#1\nh:x-device");
    assertThat(empty).isEqualTo("P#1\nh:x-device=");
  }

  @Test
  void keyCookiesGoIntoTheSecondaryKey() {
    CacheRule rule = CacheRule.forPath("/*").keyCookies(List.of("user", "theme")).build();
    TestRequest alice = TestRequest.get("/a").cookie("user", "alice").cookie("theme", "dark").build();
    TestRequest bob = TestRequest.get("/a").cookie("user", "bob").cookie("theme", "dark").build();

    assertThat(CacheKeys.secondary("P", 1, alice, rule, List.of(), List.of())).isEqualTo("P#1\nc:user=alice\nc:theme=dark");
    assertThat(CacheKeys.secondary("P", 1, bob, rule, List.of(), List.of()))
        .isNotEqualTo(CacheKeys.secondary("P", 1, alice, rule, List.of(), List.of()));
  }

  @Test
  void anAbsentCookieDiffersFromAnEmptyOne() {
    CacheRule rule = CacheRule.forPath("/*").keyCookies(List.of("user")).build();
    String absent = CacheKeys.secondary("P", 1, TestRequest.get("/a").build(), rule, List.of(), List.of());
    String empty = CacheKeys.secondary("P", 1, TestRequest.get("/a").cookie("user", "").build(), rule, List.of(), List.of());

    assertThat(absent).isEqualTo("P#1\nc:user");
    assertThat(empty).isEqualTo("P#1\nc:user=");
    assertThat(absent).isNotEqualTo(empty);
  }

  @Test
  void valuesOfTheHeadersAResponseVariesOnGoIntoTheSecondaryKey() {
    TestRequest german = TestRequest.get("/a").header("Accept-Language", "de").build();
    TestRequest none = TestRequest.get("/a").build();

    assertThat(CacheKeys.secondary("P", 1, german, ANY, List.of(), List.of("accept-language")))
        .isEqualTo("P#1\nv:accept-language=de");
    assertThat(CacheKeys.secondary("P", 1, none, ANY, List.of(), List.of("accept-language")))
        .isEqualTo("P#1\nv:accept-language");
  }

  private static String encodingVariant(String... acceptEncoding) {
    TestRequest.Builder request = TestRequest.get("/a");
    for (String line : acceptEncoding) {
      request.header("Accept-Encoding", line);
    }
    return CacheKeys.secondary("P", 1, request.build(), ANY, List.of(), List.of("accept-encoding"));
  }

  static Stream<Arguments> acceptEncodings() {
    return Stream.of(
        arguments(List.of("gzip, deflate, br"), "br,deflate,gzip"),
        arguments(List.of("br;q=1.0, deflate;q=0.9, gzip;q=0.8"), "br,deflate,gzip"),
        arguments(List.of("br, gzip"), "br,gzip"),
        arguments(List.of("gzip", "br"), "br,gzip"),
        arguments(List.of("br;q=0, gzip"), "gzip"),
        arguments(List.of("GZIP"), "gzip"),
        arguments(List.of("x-gzip"), "gzip"),
        arguments(List.of("gzip;q=0"), "identity"),
        arguments(List.of("gzip; q=0.000"), "identity"),
        arguments(List.of("identity"), "identity"),
        arguments(List.of(), "identity"));
  }

  @ParameterizedTest(name = "Accept-Encoding {0} -> {1}")
  @MethodSource("acceptEncodings")
  void browsersThatWordTheSameCodingsDifferentlyShareAVariant(
      List<String> acceptEncoding, String variant) {
    assertThat(encodingVariant(acceptEncoding.toArray(String[]::new)))
        .isEqualTo("P#1\nv:accept-encoding=" + variant);
  }

  @Test
  void aCodingTheKeyDoesNotModelKeepsAVariantOfItsOwn() {
    assertThat(encodingVariant("deflate")).isNotEqualTo(encodingVariant());
    assertThat(encodingVariant("*")).isNotEqualTo(encodingVariant());
    assertThat(encodingVariant("zstd, br, gzip")).isNotEqualTo(encodingVariant("br, gzip"));
  }

  @Test
  void everySpellingOfAZeroWeightRefusesTheCoding() {
    assertThat(encodingVariant("gzip;q=0.")).isEqualTo(encodingVariant());
    assertThat(encodingVariant("gzip;Q=0")).isEqualTo(encodingVariant());
  }

  @Test
  void aKeyHeaderAndAVaryHeaderOfTheSameNameAreKeptApart() {
    CacheRule rule = CacheRule.forPath("/*").keyHeaders(List.of("Accept-Language")).build();
    TestRequest request = TestRequest.get("/a").header("Accept-Language", "de").build();

    assertThat(CacheKeys.secondary("P", 1, request, rule, List.of(), List.of("accept-language")))
        .isEqualTo("P#1\nh:accept-language=de\nv:accept-language=de");
  }

  @Test
  void headersAndCookiesTheRuleDoesNotNameLeaveTheKeyAlone() {
    String plain = CacheKeys.secondary("P", 1, TestRequest.get("/a").build(), ANY, List.of(), List.of());
    String noisy = CacheKeys.secondary("P", 1, TestRequest.get("/a").header("User-Agent", "x")
        .cookie("tracking", "y").build(), ANY, List.of(), List.of());

    assertThat(noisy).isEqualTo(plain);
  }

  @Test
  void theApplicationSeesOnlyTheParametersTheKeyHolds() {
    QueryKey exceptTracking = QueryKey.allExcept(Set.of("utm_content", "utm_source"));

    assertThat(CacheKeys.applicationQuery(Optional.of("b=2&utm_content=%3Cscript%3E&a=1"), exceptTracking))
        .contains("b=2&a=1");
    assertThat(CacheKeys.applicationQuery(Optional.of("%75tm_source=x&a=1"), exceptTracking)).contains("a=1");
    assertThat(CacheKeys.applicationQuery(Optional.of("utm_source=x"), exceptTracking)).contains("");
    assertThat(CacheKeys.applicationQuery(Optional.of("page=2&user=bob"), QueryKey.only(Set.of("page"))))
        .contains("page=2");
    assertThat(CacheKeys.applicationQuery(Optional.of("page=2"), QueryKey.none())).contains("");
  }

  @Test
  void aQueryTheKeyHoldsWholeIsLeftAsItIs() {
    assertThat(CacheKeys.applicationQuery(Optional.of("b=2&a=1"), QueryKey.all())).isEmpty();
    assertThat(CacheKeys.applicationQuery(Optional.of("b=2&a=1"), QueryKey.allExcept(Set.of("utm_source")))).isEmpty();
    assertThat(CacheKeys.applicationQuery(Optional.empty(), QueryKey.none())).isEmpty();
  }
}
