package dev.pagecache.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SafeKeysTest {
  @Test
  void shortPlainKeysStayReadable() {
    assertThat(SafeKeys.of("pc:0:", "http://example.com:80/wiki/Home")).isEqualTo("pc:0:http://example.com:80/wiki/Home");
  }

  @Test
  void longOrUnsafeKeysAreHashedWithinTheLimitWithoutCollisions() {
    String longKey = "http://example.com:80/search?q=" + "x".repeat(400);
    String otherLongKey = longKey + "y";
    String withSpace = "http://example.com:80/a b";
    String withNewline = "http://example.com:80/a#1\nv:accept-language=de";
    String nonAscii = "http://example.com:80/café";

    for (String key : new String[] {longKey, otherLongKey, withSpace, withNewline, nonAscii}) {
      String safe = SafeKeys.of("pc:0:", key);
      assertThat(safe.getBytes(StandardCharsets.UTF_8).length).as(key).isLessThanOrEqualTo(250);
      assertThat(safe.chars().allMatch(c -> c > ' ' && c < 127)).as(safe).isTrue();
      assertThat(safe).startsWith("pc:0:http://example.com:80/");
    }
    assertThat(SafeKeys.of("pc:0:", longKey)).isNotEqualTo(SafeKeys.of("pc:0:", otherLongKey));
    assertThat(SafeKeys.of("pc:0:", "http://example.com:80/a b"))
        .isNotEqualTo(SafeKeys.of("pc:0:", "http://example.com:80/a_b"));
  }
}
