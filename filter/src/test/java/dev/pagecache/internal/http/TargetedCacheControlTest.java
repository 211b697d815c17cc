package dev.pagecache.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetedCacheControlTest {

  private static CacheControl parsed(String... lines) {
    Optional<CacheControl> result = TargetedCacheControl.parse(List.of(lines));
    assertThat(result).as("%s parses", List.of(lines)).isPresent();
    return result.get();
  }

  @Test
  void readsTheCacheControlDirectivesAsADictionary() {
    CacheControl directives = parsed("public, max-age=60, stale-while-revalidate=30;x=1, stale-if-error=90");
    assertThat(directives.isPublic()).isTrue();
    assertThat(directives.maxAge()).contains(Duration.ofSeconds(60));
    assertThat(directives.staleWhileRevalidate()).contains(Duration.ofSeconds(30));
    assertThat(directives.staleIfError()).contains(Duration.ofSeconds(90));
    assertThat(directives.noStore()).isFalse();
  }

  @Test
  void joinsFieldLines() {
    CacheControl directives = parsed("max-age=60", "no-store");
    assertThat(directives.maxAge()).contains(Duration.ofSeconds(60));
    assertThat(directives.noStore()).isTrue();
  }

  @Test
  void aLaterDuplicateKeyOverwrites() {
    assertThat(parsed("max-age=60, max-age=5").maxAge()).contains(Duration.ofSeconds(5));
  }

  @Test
  void ignoresADirectiveOfTheWrongTypeAlone() {
    CacheControl directives = parsed("max-age=\"60\", s-maxage=-1, stale-if-error=1.5, no-store=?0, private");
    assertThat(directives.maxAge()).isEmpty();
    assertThat(directives.sMaxAge()).isEmpty();
    assertThat(directives.staleIfError()).isEmpty();
    assertThat(directives.noStore()).isFalse();
    assertThat(directives.isPrivate()).isTrue();
  }

  @Test
  void privateAndNoCacheWithFieldNamesStillCount() {
    assertThat(parsed("private=(set-cookie)").isPrivate()).isTrue();
    assertThat(parsed("no-cache=\"Set-Cookie\"").noCache()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "Max-Age=60", "max-age=60,", "max-age=60;", "max-age 60", ",max-age=60",
      "max-age=60, , public", "max-age=\"unterminated", "max-age=?2", "max-age=1234567890123456",
      "max-age=60; Q=1", "max-age=(1 2", "max-age=:abc", "no-store, max-age=60 junk", "max-age=60\u00e9"})
  void anInvalidDictionaryIsAbsent(String value) {
    assertThat(TargetedCacheControl.parse(List.of(value))).as(value).isEmpty();
  }

  @Test
  void anAbsentFieldIsAbsent() {
    assertThat(TargetedCacheControl.parse(List.of())).isEmpty();
  }

  @Test
  void aHugeValueIsNotParsed() {
    String huge = "max-age=60" + ", a".repeat(TargetedCacheControl.MAX_LENGTH);
    assertThat(TargetedCacheControl.parse(List.of(huge))).isEmpty();
  }

  @Test
  void anOverlongIntegerStaysWithinTheLargestDelta() {
    assertThat(parsed("max-age=999999999999999").maxAge()).contains(Duration.ofSeconds(Integer.MAX_VALUE));
  }

  @Test
  void otherItemTypesAreValid() {
    CacheControl directives = parsed("foo=:aGVsbG8=:, bar=tok/en, baz=(a \"b\" 1), *x=?1, max-age=10");
    assertThat(directives.maxAge()).contains(Duration.ofSeconds(10));
  }
}
