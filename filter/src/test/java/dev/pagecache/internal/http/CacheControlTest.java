package dev.pagecache.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CacheControlTest {
  private static final Duration CAP = Duration.ofSeconds(Integer.MAX_VALUE);

  private static CacheControl parse(String... fieldLines) {
    return CacheControl.parse(List.of(fieldLines));
  }

  static Stream<Arguments> booleanDirectives() {
    return Stream.of(
        arguments("no-store", named("noStore", (Predicate<CacheControl>) CacheControl::noStore)),
        arguments("no-cache", named("noCache", (Predicate<CacheControl>) CacheControl::noCache)),
        arguments("no-cache=\"Set-Cookie\"", named("noCache", (Predicate<CacheControl>) CacheControl::noCache)),
        arguments("private", named("isPrivate", (Predicate<CacheControl>) CacheControl::isPrivate)),
        arguments("private=\"X-User\"", named("isPrivate", (Predicate<CacheControl>) CacheControl::isPrivate)),
        arguments("public", named("isPublic", (Predicate<CacheControl>) CacheControl::isPublic)),
        arguments("must-revalidate", named("mustRevalidate", (Predicate<CacheControl>) CacheControl::mustRevalidate)),
        arguments("proxy-revalidate", named("proxyRevalidate", (Predicate<CacheControl>) CacheControl::proxyRevalidate)));
  }

  @ParameterizedTest(name = "{0} sets {1}")
  @MethodSource("booleanDirectives")
  void everyFlagDirectiveIsRecognised(String header, Predicate<CacheControl> flag) {
    assertThat(flag.test(parse(header))).isTrue();
    assertThat(flag.test(CacheControl.none())).isFalse();
  }

  @ParameterizedTest(name = "{0} sets only its own flag")
  @MethodSource("booleanDirectives")
  void aFlagDirectiveSetsNothingElse(String header, Predicate<CacheControl> flag) {
    CacheControl parsed = parse(header);
    List<Predicate<CacheControl>> all = List.of(CacheControl::noStore, CacheControl::noCache,
        CacheControl::isPrivate, CacheControl::isPublic, CacheControl::mustRevalidate, CacheControl::proxyRevalidate);

    assertThat(all.stream().filter(each -> each.test(parsed)).count()).isEqualTo(1);
    assertThat(parsed.maxAge()).isEmpty();
    assertThat(parsed.sMaxAge()).isEmpty();
  }

  static Stream<Arguments> durationDirectives() {
    Function<CacheControl, Optional<Duration>> maxAge = CacheControl::maxAge;
    Function<CacheControl, Optional<Duration>> sMaxAge = CacheControl::sMaxAge;
    Function<CacheControl, Optional<Duration>> swr = CacheControl::staleWhileRevalidate;
    Function<CacheControl, Optional<Duration>> sie = CacheControl::staleIfError;
    return Stream.of(
        arguments("max-age=60", named("maxAge", maxAge), Optional.of(Duration.ofSeconds(60))),
        arguments("max-age=0", named("maxAge", maxAge), Optional.of(Duration.ZERO)),
        arguments("max-age=\"30\"", named("maxAge", maxAge), Optional.of(Duration.ofSeconds(30))),
        arguments("s-maxage=120", named("sMaxAge", sMaxAge), Optional.of(Duration.ofSeconds(120))),
        arguments("stale-while-revalidate=30", named("staleWhileRevalidate", swr), Optional.of(Duration.ofSeconds(30))),
        arguments("stale-if-error=86400", named("staleIfError", sie), Optional.of(Duration.ofDays(1))),
        // RFC 9111 §4.2.1: an invalid max-age (or s-maxage) makes the response stale...
        arguments("max-age=abc", named("maxAge", maxAge), Optional.of(Duration.ZERO)),
        arguments("max-age=", named("maxAge", maxAge), Optional.of(Duration.ZERO)),
        arguments("max-age", named("maxAge", maxAge), Optional.of(Duration.ZERO)),
        arguments("max-age=-1", named("maxAge", maxAge), Optional.of(Duration.ZERO)),
        arguments("max-age=1.5", named("maxAge", maxAge), Optional.of(Duration.ZERO)),
        arguments("max-age=+10", named("maxAge", maxAge), Optional.of(Duration.ZERO)),
        arguments("s-maxage=soon", named("sMaxAge", sMaxAge), Optional.of(Duration.ZERO)),
        // ...while an invalid stale-* extension is simply absent.
        arguments("stale-while-revalidate=soon", named("staleWhileRevalidate", swr), Optional.empty()),
        arguments("stale-if-error", named("staleIfError", sie), Optional.empty()),
        // Values too large to hold are capped, not rejected (RFC 9111 §1.2.2).
        arguments("max-age=2147483647", named("maxAge", maxAge), Optional.of(CAP)),
        arguments("max-age=4294967296", named("maxAge", maxAge), Optional.of(CAP)),
        arguments("max-age=99999999999999999999999", named("maxAge", maxAge), Optional.of(CAP)),
        arguments("s-maxage=99999999999999999999999", named("sMaxAge", sMaxAge), Optional.of(CAP)));
  }

  @ParameterizedTest(name = "{0} gives {1} = {2}")
  @MethodSource("durationDirectives")
  void everyDurationDirectiveIsRead(String header, Function<CacheControl, Optional<Duration>> field,
      Optional<Duration> expected) {
    assertThat(field.apply(parse(header))).isEqualTo(expected);
  }

  @Test
  void directiveNamesIgnoreCase() {
    CacheControl parsed = parse("No-Store, MAX-AGE=10, S-MaxAge=5, Private");

    assertThat(parsed.noStore()).isTrue();
    assertThat(parsed.isPrivate()).isTrue();
    assertThat(parsed.maxAge()).contains(Duration.ofSeconds(10));
    assertThat(parsed.sMaxAge()).contains(Duration.ofSeconds(5));
  }

  @Test
  void aCommaInsideAQuotedStringDoesNotEndTheDirective() {
    CacheControl parsed = parse("private=\"Set-Cookie, X-User\", max-age=30");

    assertThat(parsed.isPrivate()).isTrue();
    assertThat(parsed.maxAge()).contains(Duration.ofSeconds(30));
  }

  @Test
  void aDirectiveInsideAQuotedStringIsNotADirective() {
    CacheControl parsed = parse("no-cache=\"X-A, max-age=5, no-store\", public");

    assertThat(parsed.noCache()).isTrue();
    assertThat(parsed.isPublic()).isTrue();
    assertThat(parsed.maxAge()).isEmpty();
    assertThat(parsed.noStore()).isFalse();
  }

  @Test
  void directivesOfEveryFieldLineCount() {
    CacheControl parsed = parse("public", "max-age=10", "s-maxage=20, must-revalidate");

    assertThat(parsed).isEqualTo(new CacheControl(false, false, false, true, true, false,
        Optional.of(Duration.ofSeconds(10)), Optional.of(Duration.ofSeconds(20)), Optional.empty(), Optional.empty()));
  }

  @Test
  void theFirstOfARepeatedDirectiveWinsWithinAndAcrossLines() {
    assertThat(parse("max-age=10, max-age=20").maxAge()).contains(Duration.ofSeconds(10));
    assertThat(parse("s-maxage=5", "s-maxage=50").sMaxAge()).contains(Duration.ofSeconds(5));
  }

  @Test
  void unknownDirectivesAreIgnored() {
    CacheControl parsed = parse("immutable, community=\"UCI\", foo=bar, max-age=5, x-custom");

    assertThat(parsed).isEqualTo(parse("max-age=5"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", ",", " , ,", "max-age=5,", ", max-age=5", "  max-age=5  "})
  void emptyMembersAndSurroundingSpaceAreSkipped(String header) {
    CacheControl parsed = parse(header);

    assertThat(parsed.noStore()).isFalse();
    assertThat(parsed.maxAge()).isEqualTo(header.contains("max-age") ? Optional.of(Duration.ofSeconds(5)) : Optional.empty());
  }

  @Test
  void noFieldLinesMeansNoDirectives() {
    CacheControl none = CacheControl.parse(List.of());

    assertThat(none).isSameAs(CacheControl.none());
    assertThat(none).isEqualTo(new CacheControl(false, false, false, false, false, false,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
  }

  @Test
  void leadingZerosDoNotMakeASmallNumberHuge() {
    assertThat(parse("max-age=000000000010").maxAge()).contains(Duration.ofSeconds(10));
  }
}
