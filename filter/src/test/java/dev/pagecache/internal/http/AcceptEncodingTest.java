package dev.pagecache.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class AcceptEncodingTest {
  private static final List<String> SERVER_ORDER = List.of("br", "gzip", "identity");

  private static Optional<String> choose(String... fieldLines) {
    return AcceptEncoding.parse(List.of(fieldLines)).choose(SERVER_ORDER);
  }

  static List<Arguments> choices() {
    return List.of(
        Arguments.of("gzip, deflate, br", "br"),
        Arguments.of("gzip, deflate", "gzip"),
        Arguments.of("br;q=0.5, gzip", "gzip"),
        Arguments.of("gzip;q=0.8, br;q=0.8", "br"),
        Arguments.of("GZIP", "gzip"),
        Arguments.of("x-gzip", "gzip"),
        Arguments.of("identity", "identity"),
        Arguments.of("deflate", "identity"),
        Arguments.of("*", "br"),
        Arguments.of("*;q=0.5, gzip;q=0.6", "gzip"),
        Arguments.of("gzip;q=0", "identity"),
        Arguments.of("gzip;q=0, *", "br"),
        Arguments.of("identity;q=0, gzip", "gzip"),
        Arguments.of("gzip ; q=0.5 , br ; q=0.4", "gzip"),
        Arguments.of("gzip;level=9;q=1.000", "gzip"),
        Arguments.of("", "identity"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("choices")
  void theHighestQualityWinsAndTheServerBreaksTies(String field, String expected) {
    assertThat(choose(field)).contains(expected);
  }

  @Test
  void withoutTheFieldOnlyIdentityIsSent() {
    assertThat(AcceptEncoding.parse(List.of()).choose(SERVER_ORDER)).contains("identity");
    assertThat(AcceptEncoding.identityOnly().accepts("gzip")).isFalse();
  }

  @Test
  void identityRefusedByNameOrByWildcardLeavesNothingAcceptable() {
    assertThat(choose("identity;q=0")).isEmpty();
    assertThat(choose("*;q=0")).isEmpty();
    assertThat(choose("*;q=0, identity;q=0.1")).contains("identity");
  }

  @Test
  void qualityIsReadInThousandths() {
    AcceptEncoding accepted = AcceptEncoding.parse(List.of("gzip;q=0.001, br;q=0.5, deflate;q=1"));
    assertThat(accepted.quality("gzip")).isEqualTo(1);
    assertThat(accepted.quality("br")).isEqualTo(500);
    assertThat(accepted.quality("deflate")).isEqualTo(1000);
  }

  @Test
  void fieldLinesAreJoined() {
    assertThat(choose("gzip;q=0.1", "br;q=0.9")).contains("br");
  }

  /** Hostile or broken values: the member is ignored, nothing throws. */
  @ParameterizedTest
  @MethodSource("malformed")
  void aMalformedMemberIsIgnored(String field) {
    AcceptEncoding accepted = AcceptEncoding.parse(List.of(field));
    assertThat(accepted.accepts("gzip")).as(field).isFalse();
    assertThat(accepted.accepts("identity")).as(field).isTrue();
  }

  static List<String> malformed() {
    return List.of("gzip;q=2", "gzip;q=1.5", "gzip;q=0.5.5", "gzip;q=abc", "gzip;q=", "gzip;q=-1",
        "gzip;q=0.0001", "gzip;", "gzip;=1", "gz ip", "gzip\u0000", "\"gzip\"", ";q=1", ",,,,", "gzip;q=1e3",
        "gzip;q=１");
  }

  @Test
  void aHugeListCostsOnlyItsFirstMembers() {
    StringBuilder field = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      field.append("x").append(i).append(", ");
    }
    field.append("gzip");
    AcceptEncoding accepted = AcceptEncoding.parse(List.of(field.toString()));
    assertThat(accepted.accepts("gzip")).isFalse();
    assertThat(accepted.accepts("x0")).isTrue();
  }

  @Test
  void malformedMembersCountTowardsTheLimitSoAHugeFieldOfThemIsNotReadToTheEnd() {
    String field = "@;q=0.5, ".repeat(10_000) + "gzip";
    AcceptEncoding accepted = AcceptEncoding.parse(List.of(field));
    assertThat(accepted.accepts("gzip")).isFalse();
    assertThat(accepted.accepts("identity")).isTrue();
  }

  @Test
  void aStackedCodingNeedsEveryPartAccepted() {
    assertThat(AcceptEncoding.parse(List.of("gzip, br")).accepts("gzip, br")).isTrue();
    assertThat(AcceptEncoding.parse(List.of("gzip")).accepts("gzip, br")).isFalse();
  }
}
