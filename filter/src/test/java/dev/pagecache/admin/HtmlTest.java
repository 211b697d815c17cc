package dev.pagecache.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void everyCharacterThatMeansMarkupIsEscaped() {
    assertThat(Html.text("<script>alert('x')</script>&\"q\""))
        .isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;q&quot;");
    assertThat(Html.text("plain text")).isEqualTo("plain text");
    assertThat(Html.text("a\u0000b\u001bc")).isEqualTo("a\uFFFDb\uFFFDc");
    assertThat(Html.text(null)).isEmpty();
  }

  @Test
  void durationsReadAsPeopleWriteThem() {
    assertThat(Html.duration(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Html.duration(Duration.ofSeconds(42))).isEqualTo("42s");
    assertThat(Html.duration(Duration.ofSeconds(200))).isEqualTo("3m 20s");
    assertThat(Html.duration(Duration.ofSeconds(7500))).isEqualTo("2h 5m");
    assertThat(Html.duration(Duration.ofSeconds(-7))).isEqualTo("-7s");
    assertThat(Html.duration(Duration.ofDays(3).plusHours(4))).isEqualTo("3d 4h");
  }

  @Test
  void sizesAreInBinaryUnits() {
    assertThat(Html.bytes(812)).isEqualTo("812 B");
    assertThat(Html.bytes(20480)).isEqualTo("20.0 KiB");
    assertThat(Html.bytes(3_565_158)).isEqualTo("3.4 MiB");
  }
}
