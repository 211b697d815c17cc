package dev.pagecache.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DownstreamCacheControlTest {

  static Stream<Arguments> rendering() {
    return Stream.of(
        arguments("public, max-age={ttl}", 30L, "public, max-age=30"),
        arguments("max-age={ttl}, public", 0L, "max-age=0, public"),
        arguments("public, s-maxage={ttl}, max-age=10", 3600L, "public, s-maxage=3600, max-age=10"),
        arguments("public, max-age={ttl}", -5L, "public, max-age=0"),
        arguments("  no-cache  ", 30L, "no-cache"),
        arguments("public, max-age=60", 30L, "public, max-age=60"));
  }

  @ParameterizedTest(name = "[{0}] with {1}s left renders [{2}]")
  @MethodSource("rendering")
  void rendersTheTemplateWithTheSecondsLeft(String template, long remaining, String header) {
    assertThat(DownstreamCacheControl.of(template).render(remaining)).isEqualTo(header);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        arguments("", "downstream Cache-Control is empty"),
        arguments("   ", "downstream Cache-Control is empty"),
        arguments("public,\r\nX-Injected: 1", "downstream Cache-Control may not contain line breaks"),
        arguments("public,\nmax-age=1", "downstream Cache-Control may not contain line breaks"),
        arguments("max-age={ttl}, s-maxage={ttl}", "downstream Cache-Control may use {ttl} once"));
  }

  @ParameterizedTest(name = "[{0}]")
  @MethodSource("invalid")
  void anUnusableTemplateIsRejected(String template, String message) {
    assertThatThrownBy(() -> DownstreamCacheControl.of(template))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void templateIsKeptTrimmed() {
    DownstreamCacheControl header = DownstreamCacheControl.of(" public, max-age={ttl} ");

    assertThat(header.template()).isEqualTo("public, max-age={ttl}");
    assertThat(header).hasToString("public, max-age={ttl}");
  }

  @Test
  void equalWhenTheTemplateIs() {
    assertThat(DownstreamCacheControl.of("public, max-age={ttl}"))
        .isEqualTo(DownstreamCacheControl.of(" public, max-age={ttl}"))
        .hasSameHashCodeAs(DownstreamCacheControl.of("public, max-age={ttl}"))
        .isNotEqualTo(DownstreamCacheControl.of("private, max-age={ttl}"));
  }
}
