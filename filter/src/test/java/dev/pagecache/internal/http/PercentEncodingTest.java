package dev.pagecache.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PercentEncodingTest {
  /** What a normal string may hold: allowed raw ASCII, and upper-case percent-encodings. */
  private static final Pattern NORMAL =
      Pattern.compile("([!#$&'()*+,\\-./0-9:;=?@A-Z\\[\\]_a-z~]|%[0-9A-F]{2})*");
  private static final Pattern ENCODED_UNRESERVED =
      Pattern.compile("%(3[0-9]|4[1-9A-F]|5[0-9A]|6[1-9A-F]|7[0-9A]|2D|2E|5F|7E)");

  // --- Rule 1: the hex of a percent-encoding is upper-case

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "/wiki/%c3%a9,   /wiki/%C3%A9",
      "/wiki/%C3%a9,   /wiki/%C3%A9",
      "/a%2fb,         /a%2Fb",
      "/%e2%82%ac/x,   /%E2%82%AC/x",
      "/%ff,           /%FF"})
  void lowerCaseHexBecomesUpperCase(String raw, String normal) {
    assertThat(PercentEncoding.normalisePath(raw)).isEqualTo(normal);
  }

  // --- Rule 2: percent-encoded unreserved characters are decoded

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "/%41,                   /A",
      "/%7e,                   /~",
      "/%7E%7euser,            /~~user",
      "/%61%62%63,             /abc",
      "/%30%39,                /09",
      "/a%2Db%5Fc%2ed,         /a-b_c.d",
      "/%5A%7A,                /Zz",
      "/wiki/%48%6f%6D%65,     /wiki/Home"})
  void percentEncodedUnreservedCharactersAreDecoded(String raw, String normal) {
    assertThat(PercentEncoding.normalisePath(raw)).isEqualTo(normal);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "/a%2Fb        | /a%2Fb",
      "/a%2fb        | /a%2Fb",
      "/a%3fb        | /a%3Fb",
      "/100%25       | /100%25",
      "/a%3bb        | /a%3Bb",
      "/a%3D%26%2B   | /a%3D%26%2B",
      "/%40%3a%2c    | /%40%3A%2C",
      "/%5b%5d%23    | /%5B%5D%23",
      "/%20%22%7c    | /%20%22%7C",
      "/%2541        | /%2541"})
  void percentEncodedReservedCharactersStayEncoded(String raw, String normal) {
    assertThat(PercentEncoding.normalisePath(raw)).isEqualTo(normal);
  }

  // --- Rule 3: characters that may not appear raw are encoded as UTF-8

  static Stream<Arguments> charactersThatMayNotAppearRaw() {
    return Stream.of(
        arguments("/a b", "/a%20b"),
        arguments("/\"q\"", "/%22q%22"),
        arguments("/<b>", "/%3Cb%3E"),
        arguments("/a\\b", "/a%5Cb"),
        arguments("/a^b", "/a%5Eb"),
        arguments("/`x`", "/%60x%60"),
        arguments("/{x}", "/%7Bx%7D"),
        arguments("/a|b", "/a%7Cb"),
        arguments("/\u0000\u0001\t\n\r\u001f", "/%00%01%09%0A%0D%1F"),
        arguments("/\u007f", "/%7F"),
        arguments("/wiki/é", "/wiki/%C3%A9"),
        arguments("/\u0085\u00a0", "/%C2%85%C2%A0"),
        arguments("/stra\u00dfe", "/stra%C3%9Fe"),
        arguments("/€", "/%E2%82%AC"),
        arguments("/日本", "/%E6%97%A5%E6%9C%AC"),
        arguments("/\uffff", "/%EF%BF%BF"),
        arguments("/\uD83D\uDE00", "/%F0%9F%98%80"),
        arguments("/\uDBFF\uDFFF", "/%F4%8F%BF%BF"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("charactersThatMayNotAppearRaw")
  void charactersThatMayNotAppearRawAreEncodedAsUtf8(String raw, String normal) {
    assertThat(PercentEncoding.normalisePath(raw)).isEqualTo(normal);
    assertThat(PercentEncoding.normaliseQueryComponent(raw.substring(1))).isEqualTo(normal.substring(1));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("charactersThatMayNotAppearRaw")
  void encodingAgreesWithTheJdkUtf8Encoder(String raw, String normal) {
    assertThat(URLDecoder.decode(normal, StandardCharsets.UTF_8)).isEqualTo(raw);
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"/\uD800", "/\uDC00", "/\uDC00\uD800", "/\uD83Dx", "/x\uD83D"})
  void anUnpairedSurrogateIsWrittenAsTheReplacementCharacter(String raw) {
    assertThat(PercentEncoding.normalisePath(raw)).isEqualTo(raw.replaceAll("\\p{Cs}", "%EF%BF%BD"));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"/a:b@c!$&'()*+,;=", "/[v1]", "/a?b#c", "/-._~", "/%C3%A9%2F"})
  void reservedCharactersAndNormalEncodingsAreLeftAsTheyAre(String raw) {
    assertThat(PercentEncoding.normalisePath(raw)).isSameAs(raw);
  }

  // --- Rule 4: dot segments are removed from paths

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "/a/./b,                /a/b",
      "/a/b/../c,             /a/c",
      "/..,                   /",
      "/.,                    /",
      "/../a,                 /a",
      "/../../a/b,            /a/b",
      "/a/b/..,               /a/",
      "/a/b/.,                /a/b/",
      "/a/b/../..,            /",
      "/a/./../b/./c/.,       /b/c/",
      "/a//../b,              /a/b",
      // the examples of RFC 3986 §5.2.4
      "/a/b/c/./../../g,      /a/g",
      "mid/content=5/../6,    mid/6",
      // relative paths, which a request line never holds but which must not break anything
      "./a,                   a",
      "../a,                  a",
      "a/../b,                /b",
      ".,                     /",
      "..,                    /"})
  void dotSegmentsAreRemoved(String raw, String normal) {
    assertThat(PercentEncoding.normalisePath(raw)).isEqualTo(normal);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "/a/%2e/b,              /a/b",
      "/a/%2E%2E/b,           /b",
      "/a/b/.%2e/c,           /a/c",
      "/a/b/%2e.,             /a/",
      "/%2e%2e/%2e%2e/x,      /x",
      "/a/%2e%2E,             /",
      "/wiki/%c3%a9/../Home,  /wiki/Home",
      "/é/./x,                /%C3%A9/x"})
  void encodedDotsCountAsDots(String raw, String normal) {
    assertThat(PercentEncoding.normalisePath(raw)).isEqualTo(normal);
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"/a/..b", "/a/b..", "/a/...", "/a/.b/c", "/a/b./c", "/a/..;x/b", "/a/.%2F/b",
      "/a/..%2Fb", "/.well-known/x", "/a/b.css"})
  void onlyWholeDotSegmentsAreRemoved(String raw) {
    assertThat(PercentEncoding.normalisePath(raw)).isSameAs(raw);
  }

  @Test
  void anEmptyPathBecomesTheRoot() {
    assertThat(PercentEncoding.normalisePath("")).isEqualTo("/");
  }

  // --- A stray '%' is written as %25

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "/100%,         /100%25",
      "/a%zz,         /a%25zz",
      "/a%4,          /a%254",
      "/a%4g,         /a%254g",
      "/a%g4,         /a%25g4",
      "%,             %25",
      "/%%,           /%25%25",
      "/%%41,         /%25A",
      "/%%341,        /%2541",
      "/%%2e,         /%25.",
      "/%é,           /%25%C3%A9",
      "/%2%2e,        /%252."})
  void aStrayPercentIsWrittenAsAnEncodedPercent(String raw, String normal) {
    assertThat(PercentEncoding.normalisePath(raw)).isEqualTo(normal);
  }

  // --- Query components

  @ParameterizedTest(name = "[{0}] -> [{1}]")
  @CsvSource(delimiter = '|', value = {
      "caf%c3%a9    | caf%C3%A9",
      "%41%7e       | A~",
      "caf\u00e9    | caf%C3%A9",
      "a b          | a%20b",
      "a%2fb%26c%3d | a%2Fb%26c%3D",
      "100%         | 100%25",
      "%2e%2e/x     | ../x",
      "{x}^y        | %7Bx%7D%5Ey"})
  void aQueryComponentGetsTheSameRewritesButKeepsDots(String raw, String normal) {
    assertThat(PercentEncoding.normaliseQueryComponent(raw)).isEqualTo(normal);
  }

  @Test
  void plusIsLeftAloneInAQueryComponent() {
    assertThat(PercentEncoding.normaliseQueryComponent("a+b")).isEqualTo("a+b");
    assertThat(PercentEncoding.normaliseQueryComponent("a%2bb")).isEqualTo("a%2Bb");
    assertThat(PercentEncoding.normaliseQueryComponent("a%20b")).isEqualTo("a%20b");
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"", "q", "page", "42", "a+b", "a%2Bb", "x%26y", "%C3%A9t%C3%A9", "../a/./b",
      "a=b", "/path?x", "-._~", "!$'()*,;:@"})
  void unchangedQueryComponentIsTheSameInstance(String raw) {
    assertThat(PercentEncoding.normaliseQueryComponent(raw)).isSameAs(raw);
  }

  // --- The fast path

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"/", "/wiki/Home", "/links", "/a/b.css", "/a/b/", "/a//b", "/wiki/%C3%A9",
      "/a%2Fb", "/search;jsessionid=1", "/files/report-2024_v1~draft.pdf", "*", "/%25", "//h"})
  void unchangedPathIsTheSameInstance(String raw) {
    assertThat(PercentEncoding.normalisePath(raw)).isSameAs(raw);
  }

  @Test
  void commonPathsAllocateNothing() {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    assumeThat(threads).isInstanceOf(com.sun.management.ThreadMXBean.class);
    com.sun.management.ThreadMXBean allocations = (com.sun.management.ThreadMXBean) threads;
    assumeThat(allocations.isThreadAllocatedMemorySupported() && allocations.isThreadAllocatedMemoryEnabled())
        .isTrue();
    String[] paths = {"/wiki/Home", "/links", "/a/b.css", "/wiki/%C3%A9", "/"};
    String[] components = {"q", "a+b", "caf%C3%A9", ""};
    int iterations = 20_000;
    long sink = normaliseAll(paths, components, iterations); // warm up: load classes, compile
    long before = allocations.getCurrentThreadAllocatedBytes();
    sink += normaliseAll(paths, components, iterations);
    long allocated = allocations.getCurrentThreadAllocatedBytes() - before;

    assertThat(sink).isPositive();
    // Allocating even one 24-byte String per call would come to about 4 MB.
    assertThat(allocated).isLessThan(64 * 1024);
  }

  private static long normaliseAll(String[] paths, String[] components, int iterations) {
    long sink = 0;
    for (int i = 0; i < iterations; i++) {
      for (String path : paths) {
        sink += PercentEncoding.normalisePath(path).length();
      }
      for (String component : components) {
        sink += PercentEncoding.normaliseQueryComponent(component).length();
      }
    }
    return sink;
  }

  // --- One URL, three spellings

  @Test
  void threeSpellingsOfOneUrlNormaliseAlike() throws URISyntaxException {
    String fromEncodedString = URI.create("http://h/wiki/%C3%A9").getRawPath();
    String asSentLowerCase = "/wiki/%c3%a9";
    String fromComponents = new URI("http", "h", "/wiki/é", null).getRawPath();
    assertThat(fromComponents).isEqualTo("/wiki/é"); // java.net.URI leaves "other" characters raw

    assertThat(Stream.of(fromEncodedString, asSentLowerCase, fromComponents).map(PercentEncoding::normalisePath))
        .containsOnly("/wiki/%C3%A9");
    assertThat(PercentEncoding.normalisePath(fromEncodedString)).isSameAs(fromEncodedString);
  }

  @Test
  void whatJavaNetUriWritesForAStrayPercentIsWhatAStrayPercentBecomes() throws URISyntaxException {
    String fromComponents = new URI("http", "h", "/100%", null).getRawPath();

    assertThat(fromComponents).isEqualTo("/100%25");
    assertThat(PercentEncoding.normalisePath("/100%")).isEqualTo(fromComponents);
  }

  // --- Properties over generated tricky inputs

  private static final String[] TOKENS = {
      "/", "//", ".", "..", "%2e", "%2E", "%2f", "%2F", "%25", "%", "%%", "%4", "%41", "%61", "%7e", "%7E",
      "%c3%a9", "%C3", "%zz", "%g", "a", "A", "1", "4", "e", "F", "é", "€", "\uD83D\uDE00", "\uD800",
      "\uDC00", " ", "+", "\\", "^", "{", "}", "|", "\"", "<", ">", "`", "\u0000", "\u007F", "\u0085",
      "\u00A0", "?", "#", "[", "]", ";", "=", "&", "~", "-", "_"};

  /** Every pair of tokens, then random strings of up to ten tokens, with and without a leading slash. */
  static List<String> trickyInputs() {
    Set<String> inputs = new LinkedHashSet<>();
    for (String first : TOKENS) {
      for (String second : TOKENS) {
        inputs.add(first + second);
        inputs.add("/" + first + second);
      }
    }
    Random random = new Random(3986);
    for (int i = 0; i < 5_000; i++) {
      StringBuilder input = new StringBuilder(random.nextBoolean() ? "/" : "");
      int tokens = random.nextInt(11);
      for (int t = 0; t < tokens; t++) {
        input.append(TOKENS[random.nextInt(TOKENS.length)]);
      }
      inputs.add(input.toString());
    }
    return new ArrayList<>(inputs);
  }

  @Test
  void normalisingTwiceIsNormalisingOnce() {
    assertThat(trickyInputs()).allSatisfy(input -> {
      String path = PercentEncoding.normalisePath(input);
      assertThat(PercentEncoding.normalisePath(path)).as("path %s", path).isSameAs(path);
      String component = PercentEncoding.normaliseQueryComponent(input);
      assertThat(PercentEncoding.normaliseQueryComponent(component)).as("component %s", component)
          .isSameAs(component);
    });
  }

  @Test
  void theResultIsAlwaysInNormalForm() {
    assertThat(trickyInputs()).allSatisfy(input -> {
      String path = PercentEncoding.normalisePath(input);
      assertThat(path).as("path of [%s]", input).matches(NORMAL).doesNotContainPattern(ENCODED_UNRESERVED)
          .isNotEmpty();
      assertThat(("/" + path + "/").split("/")).as("segments of %s", path).doesNotContain(".", "..");
      assertThat(PercentEncoding.normaliseQueryComponent(input)).as("component of [%s]", input)
          .matches(NORMAL).doesNotContainPattern(ENCODED_UNRESERVED);
    });
  }

  @Test
  void normalisingNeverChangesWhatAComponentDecodesTo() {
    // Leave out what is deliberately not kept: a stray '%' (decoders disagree on it) and an
    // unpaired surrogate (which no UTF-8 decoder can give back).
    Pattern strayPercent = Pattern.compile("%(?![0-9A-Fa-f]{2})");
    assertThat(trickyInputs()).allSatisfy(input -> {
      boolean unpairedSurrogate = input.codePoints().anyMatch(c -> Character.getType(c) == Character.SURROGATE);
      if (!strayPercent.matcher(input).find() && !unpairedSurrogate) {
        assertThat(URLDecoder.decode(PercentEncoding.normaliseQueryComponent(input), StandardCharsets.UTF_8))
            .as("decoded [%s]", input).isEqualTo(URLDecoder.decode(input, StandardCharsets.UTF_8));
      }
    });
  }

  @Test
  void malformedInputNeverThrows() {
    Random random = new Random(6);
    List<String> inputs = new ArrayList<>(trickyInputs());
    for (int i = 0; i < 5_000; i++) {
      char[] chars = new char[random.nextInt(12)];
      for (int c = 0; c < chars.length; c++) {
        // mostly ASCII and '%', sometimes anything at all, surrogates included
        chars[c] = switch (random.nextInt(4)) {
          case 0 -> '%';
          case 1 -> "./0aF".charAt(random.nextInt(5));
          case 2 -> (char) random.nextInt(128);
          default -> (char) random.nextInt(Character.MAX_VALUE + 1);
        };
      }
      inputs.add(new String(chars));
    }
    assertThat(inputs).allSatisfy(input -> assertThatCode(() -> {
      PercentEncoding.normalisePath(input);
      PercentEncoding.normaliseQueryComponent(input);
    }).as("[%s]", input).doesNotThrowAnyException());
  }
}
