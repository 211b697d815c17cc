package dev.pagecache.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentCodingTest {
  @Test
  void aStrongTagGetsOneTagPerCoding() {
    EntityTag origin = EntityTag.strong("abc");
    assertThat(ContentCoding.GZIP.derive(origin).headerValue()).isEqualTo("\"abc-gz\"");
    assertThat(ContentCoding.BR.derive(origin).headerValue()).isEqualTo("\"abc-br\"");
  }

  @Test
  void aWeakTagIsSharedByEveryCoding() {
    EntityTag origin = new EntityTag("abc", true);
    assertThat(ContentCoding.GZIP.derive(origin)).isEqualTo(origin);
  }

  @Test
  void theServerPrefersBrotliThenGzip() {
    assertThat(ContentCoding.values()).containsExactly(ContentCoding.BR, ContentCoding.GZIP);
  }
}
