package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.internal.http.Headers;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.internal.store.CachedPage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompressionTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final CacheRule RULE = CacheRule.forPath("/*").build();

  private static CachedPage.Builder page(String contentType, int length) {
    return CachedPage.builder().storedAt(NOW).expiresAt(NOW.plusSeconds(60)).contentType(contentType)
        .body(new byte[length]);
  }

  @Test
  void textJsonJavaScriptSvgAndXmlAreCompressed() {
    for (String type : List.of("text/html; charset=UTF-8", "text/css", "application/json", "application/ld+json",
        "application/javascript", "text/javascript", "image/svg+xml", "application/xml", "application/atom+xml")) {
      assertThat(Compression.applies(page(type, 2000).build(), RULE)).as(type).isTrue();
    }
  }

  @Test
  void imagesAndBinariesAreNot() {
    for (String type : List.of("image/png", "application/octet-stream", "application/pdf", "video/mp4")) {
      assertThat(Compression.applies(page(type, 2000).build(), RULE)).as(type).isFalse();
    }
    assertThat(Compression.applies(CachedPage.builder().storedAt(NOW).expiresAt(NOW).body(new byte[2000]).build(), RULE))
        .as("no Content-Type").isFalse();
  }

  @Test
  void aBodyBelowTheMinimumIsNot() {
    assertThat(Compression.applies(page("text/html", CacheRule.DEFAULT_COMPRESS_MIN_BYTES - 1).build(), RULE)).isFalse();
    assertThat(Compression.applies(page("text/html", CacheRule.DEFAULT_COMPRESS_MIN_BYTES).build(), RULE)).isTrue();
  }

  @Test
  void theRuleChangesTheTypesAndTheMinimum() {
    CacheRule rule = CacheRule.forPath("/*").compressTypes(List.of("application/pdf")).compressMinBytes(10).build();
    assertThat(Compression.applies(page("application/pdf", 10).build(), rule)).isTrue();
    assertThat(Compression.applies(page("text/html", 2000).build(), rule)).isFalse();
    CacheRule off = CacheRule.forPath("/*").compressTypes(List.of()).build();
    assertThat(Compression.applies(page("text/html", 2000).build(), off)).isFalse();
  }

  @Test
  void noTransformForbidsIt() {
    CachedPage page = page("text/html", 2000)
        .headers(Headers.builder().set("Cache-Control", "max-age=60, No-Transform").build()).build();
    assertThat(Compression.applies(page, RULE)).isFalse();
  }

  @Test
  void aBodyTheOriginEncodedIsNotCompressedAgain() {
    CachedPage page = page("text/html", 2000).headers(Headers.builder().set("Content-Encoding", "gzip").build()).build();
    assertThat(Compression.applies(page, RULE)).isFalse();
  }

  @Test
  void anErrorReplayIsNot() {
    assertThat(Compression.applies(page("text/html", 2000).status(404).errorReplay(null).build(), RULE)).isFalse();
  }
}
