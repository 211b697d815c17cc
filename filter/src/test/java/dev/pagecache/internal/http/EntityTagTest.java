package dev.pagecache.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EntityTagTest {

  static Stream<Arguments> validTags() {
    return Stream.of(
        arguments("\"xyzzy\"", new EntityTag("xyzzy", false)),
        arguments("W/\"xyzzy\"", new EntityTag("xyzzy", true)),
        arguments("  \"v1\"  ", new EntityTag("v1", false)),
        arguments("\"\"", new EntityTag("", false)),
        arguments("W/\"\"", new EntityTag("", true)),
        arguments("\"a,b\"", new EntityTag("a,b", false)));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("validTags")
  void parsesAQuotedStringWithOptionalWeakPrefix(String header, EntityTag expected) {
    assertThat(EntityTag.parse(header)).contains(expected);
  }

  @ParameterizedTest(name = "[{0}] is not an entity tag")
  @ValueSource(strings = {"", "xyzzy", "\"", "\"open", "close\"", "W/", "W/xyzzy", "w/\"xyzzy\"",
      "\"a\"b\"", "*"})
  void aValueThatIsNotAQuotedStringIsNotAnEntityTag(String header) {
    assertThat(EntityTag.parse(header)).isEmpty();
  }

  @Test
  void parseListReadsEveryMemberOfEveryFieldLineInOrder() {
    List<EntityTag> tags = EntityTag.parseList(List.of("\"a\", W/\"b\"", "\"c\""));

    assertThat(tags).containsExactly(
        new EntityTag("a", false), new EntityTag("b", true), new EntityTag("c", false));
  }

  @Test
  void parseListSkipsMalformedMembers() {
    List<EntityTag> tags = EntityTag.parseList(List.of("bare, \"ok\", \"unterminated"));

    assertThat(tags).containsExactly(EntityTag.strong("ok"));
  }

  @Test
  void parseListOfNothingIsEmpty() {
    assertThat(EntityTag.parseList(List.of())).isEmpty();
    assertThat(EntityTag.parseList(List.of("*"))).isEmpty();
  }

  static Stream<Arguments> wildcards() {
    return Stream.of(
        arguments(List.of("*"), true),
        arguments(List.of(" * "), true),
        arguments(List.of("\"*\""), false),
        arguments(List.of("\"a\""), false),
        arguments(List.of("*", "\"a\""), false),
        arguments(List.of(), false));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("wildcards")
  void onlyALoneStarIsTheWildcard(List<String> fieldLines, boolean wildcard) {
    assertThat(EntityTag.isWildcard(fieldLines)).isEqualTo(wildcard);
  }

  /** The table of RFC 9110 §8.8.3.2. */
  static Stream<Arguments> comparisons() {
    return Stream.of(
        arguments("W/\"1\"", "W/\"1\"", false, true),
        arguments("W/\"1\"", "W/\"2\"", false, false),
        arguments("W/\"1\"", "\"1\"", false, true),
        arguments("\"1\"", "\"1\"", true, true),
        arguments("\"1\"", "\"2\"", false, false));
  }

  @ParameterizedTest(name = "{0} vs {1}: strong {2}, weak {3}")
  @MethodSource("comparisons")
  void comparesAsRfc9110Tabulates(String first, String second, boolean strong, boolean weak) {
    EntityTag a = EntityTag.parse(first).orElseThrow();
    EntityTag b = EntityTag.parse(second).orElseThrow();

    assertThat(a.stronglyMatches(b)).as("strong").isEqualTo(strong);
    assertThat(b.stronglyMatches(a)).as("strong, reversed").isEqualTo(strong);
    assertThat(a.weaklyMatches(b)).as("weak").isEqualTo(weak);
    assertThat(b.weaklyMatches(a)).as("weak, reversed").isEqualTo(weak);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"v1\"", "W/\"v1\"", "\"\""})
  void headerValueIsTheFormItWasParsedFrom(String header) {
    EntityTag tag = EntityTag.parse(header).orElseThrow();

    assertThat(tag.headerValue()).isEqualTo(header);
    assertThat(tag).hasToString(header);
  }

  @Test
  void strongMakesAStrongTag() {
    assertThat(EntityTag.strong("abc")).isEqualTo(new EntityTag("abc", false));
    assertThat(EntityTag.strong("abc").headerValue()).isEqualTo("\"abc\"");
  }
}
