package dev.pagecache.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathPatternTest {

  static Stream<Arguments> matching() {
    return Stream.of(
        // exact
        arguments("/about", "/about", true),
        arguments("/about", "/about/", false),
        arguments("/about", "/aboutx", false),
        arguments("/about", "/About", false),
        arguments("/", "/", true),
        arguments("/", "/index.html", false),
        // prefix: the prefix itself and everything below it, not its siblings
        arguments("/videos/*", "/videos", true),
        arguments("/videos/*", "/videos/", true),
        arguments("/videos/*", "/videos/x", true),
        arguments("/videos/*", "/videos/hd/x.mp4", true),
        arguments("/videos/*", "/videosx", false),
        arguments("/videos/*", "/video", false),
        arguments("/videos/*", "/other/videos/x", false),
        arguments("/*", "/", true),
        arguments("/*", "/anything/at/all", true),
        // suffix
        arguments("*.html", "/a.html", true),
        arguments("*.html", "/deep/path/a.html", true),
        arguments("*.html", "/a.htm", false),
        arguments("*.html", "/a.html/x", false),
        arguments("*.html", "/a.xhtml", false),
        // regex: must match the whole path
        arguments("^/w/[a-z]+$", "/w/page", true),
        arguments("^/w/[a-z]+$", "/w/Page", false),
        arguments("^/w/[a-z]+", "/w/page/more", false),
        arguments("^/w/.*", "/w/page/more", true));
  }

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @MethodSource("matching")
  void matchesAsServletMappingsDo(String pattern, String path, boolean matches) {
    assertThat(PathPattern.parse(pattern).matches(path)).isEqualTo(matches);
  }

  static Stream<Arguments> kinds() {
    return Stream.of(
        arguments("/about", PathPattern.Exact.class),
        arguments("/", PathPattern.Exact.class),
        arguments("/videos/*", PathPattern.Prefix.class),
        arguments("/*", PathPattern.Prefix.class),
        arguments("*.html", PathPattern.Suffix.class),
        arguments("^/w/.*$", PathPattern.Regex.class));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("kinds")
  void theFirstCharactersChooseTheKind(String pattern, Class<?> kind) {
    assertThat(PathPattern.parse(pattern)).isInstanceOf(kind);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/about", "/", "/videos/*", "/*", "*.html", "^/w/[a-z]+$"})
  void sourceIsThePatternAsWritten(String pattern) {
    assertThat(PathPattern.parse(pattern).source()).isEqualTo(pattern);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        arguments(null, "path pattern is empty"),
        arguments("", "path pattern is empty"),
        arguments("about", "path pattern 'about' must start with '/' (exact or /prefix/*), '*.' (suffix) or '^' (regex)"),
        arguments("*", "path pattern '*' must start with '/'"),
        arguments("^/w/[a-", "path pattern '^/w/[a-' is not a valid regular expression: "),
        arguments("^(", "path pattern '^(' is not a valid regular expression: "),
        arguments("*.ht/ml", "suffix pattern '*.ht/ml' may not contain '/' or a second '*'"),
        arguments("*.a*", "suffix pattern '*.a*' may not contain '/' or a second '*'"),
        arguments("/a*/b/*", "prefix pattern '/a*/b/*' may contain '*' only at its end"),
        arguments("/*/*", "prefix pattern '/*/*' may contain '*' only at its end"),
        arguments("/a*b", "path pattern '/a*b': '*' is allowed only as '/prefix/*' or '*.suffix'; use '^regex' for more"),
        arguments("/videos*", "path pattern '/videos*': '*' is allowed only as"));
  }

  @ParameterizedTest(name = "[{0}]")
  @MethodSource("invalid")
  void anInvalidPatternIsRejectedWithAMessageThatSaysWhy(String pattern, String message) {
    assertThatThrownBy(() -> PathPattern.parse(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  static Stream<Arguments> covering() {
    return Stream.of(
        arguments("/about", "/about", true),
        arguments("/about", "/contact", false),
        arguments("/about", "/about/*", false),
        arguments("/*", "/about", true),
        arguments("/*", "/videos/*", true),
        arguments("/*", "*.html", true),
        arguments("/*", "^/w/.*", true),
        arguments("/videos/*", "/videos", true),
        arguments("/videos/*", "/videos/x", true),
        arguments("/videos/*", "/videosx", false),
        arguments("/videos/*", "/videos/*", true),
        arguments("/videos/*", "/videos/hd/*", true),
        arguments("/videos/*", "/video/*", false),
        arguments("/videos/*", "/*", false),
        arguments("/videos/hd/*", "/videos/*", false),
        arguments("/videos/*", "*.mp4", false),
        arguments("/videos/*", "^/videos/.*", false),
        arguments("*.html", "/a.html", true),
        arguments("*.html", "/a.htm", false),
        arguments("*.html", "*.html", true),
        arguments("*.html", "*.print.html", true),
        arguments("*.print.html", "*.html", false),
        arguments("*.html", "/docs/*", false),
        arguments("^/w/.*", "^/w/.*", true),
        arguments("^/w/.*", "/w/page", true),
        arguments("^/w/.*", "/x/page", false),
        arguments("^/w/.*", "^/w/[a-z]+", false),
        arguments("^/w/.*", "/w/*", false));
  }

  @ParameterizedTest(name = "{0} covers {1}: {2}")
  @MethodSource("covering")
  void coversOnlyWhatItWouldCertainlyMatch(String earlier, String later, boolean covers) {
    assertThat(PathPattern.parse(earlier).covers(PathPattern.parse(later))).isEqualTo(covers);
  }

  @Test
  void regexPatternsAreEqualWhenTheirSourceIs() {
    assertThat(PathPattern.parse("^/w/.*")).isEqualTo(PathPattern.parse("^/w/.*"))
        .hasSameHashCodeAs(PathPattern.parse("^/w/.*"));
    assertThat(PathPattern.parse("^/w/.*")).isNotEqualTo(PathPattern.parse("^/w/.+"));
  }
}
