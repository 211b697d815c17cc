package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.internal.http.ContentCoding;
import dev.pagecache.internal.http.EntityTag;
import dev.pagecache.internal.http.Headers;
import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.internal.store.Representation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RepresentationsTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final byte[] IDENTITY = "<p>hello hello hello</p>".getBytes(StandardCharsets.UTF_8);
  private static final byte[] GZIP = {1, 2, 3};
  private static final byte[] BR = {4, 5};

  private static CachedPage.Builder page() {
    return CachedPage.builder().storedAt(NOW).expiresAt(NOW.plusSeconds(60)).body(IDENTITY)
        .etag(EntityTag.strong("abc")).headers(Headers.builder().set("ETag", "\"abc\"").build());
  }

  private static CachedPage compressed() {
    return page().build().withEncoded(Map.of(ContentCoding.GZIP, GZIP, ContentCoding.BR, BR));
  }

  private static Optional<Representation> chosen(CachedPage page, String acceptEncoding) {
    TestRequest.Builder request = TestRequest.get("/a");
    if (acceptEncoding != null) {
      request.header("Accept-Encoding", acceptEncoding);
    }
    return Representations.choose(request.build(), page);
  }

  private static String coding(CachedPage page, String acceptEncoding) {
    return chosen(page, acceptEncoding).map(Representation::coding).orElse("none");
  }

  @Test
  void aBrowserGetsBrotliAndAGzipClientGzip() {
    assertThat(coding(compressed(), "gzip, deflate, br")).isEqualTo("br");
    assertThat(coding(compressed(), "gzip")).isEqualTo("gzip");
  }

  @Test
  void aClientWithoutAcceptEncodingGetsIdentity() {
    assertThat(coding(compressed(), null)).isEqualTo("identity");
  }

  @Test
  void identityRefusedStillGetsACompressedForm() {
    assertThat(coding(compressed(), "identity;q=0, gzip")).isEqualTo("gzip");
  }

  @Test
  void aClientRefusingEverythingGetsIdentityRatherThanNothing() {
    assertThat(coding(compressed(), "identity;q=0")).isEqualTo("identity");
    assertThat(coding(compressed(), "*;q=0")).isEqualTo("identity");
  }

  @Test
  void eachFormHasItsOwnLengthAndTag() {
    Representation gzip = chosen(compressed(), "gzip").orElseThrow();
    assertThat(gzip.length()).isEqualTo(GZIP.length);
    assertThat(gzip.etagHeader()).isEqualTo("\"abc-gz\"");
    assertThat(gzip.addedContentEncoding()).contains("gzip");
    Representation identity = chosen(compressed(), null).orElseThrow();
    assertThat(identity.etagHeader()).isEqualTo("\"abc\"");
    assertThat(identity.addedContentEncoding()).isEmpty();
    assertThat(identity.length()).isEqualTo(IDENTITY.length);
  }

  @Test
  void aBodyTheOriginCompressedGoesOnlyToClientsThatAcceptItsCoding() {
    CachedPage appGzip = page().headers(Headers.builder().set("Content-Encoding", "gzip").build()).build();

    assertThat(coding(appGzip, "gzip")).isEqualTo("gzip");
    assertThat(chosen(appGzip, "gzip").orElseThrow().addedContentEncoding()).as("already among the stored fields").isEmpty();
    assertThat(coding(appGzip, "br")).isEqualTo("none");
    assertThat(coding(appGzip, null)).isEqualTo("none");
  }

  @Test
  void aBodyTheOriginCompressedGetsNoFormsOfTheCaches() {
    CachedPage appGzip = page().headers(Headers.builder().set("Content-Encoding", "gzip").build()).build()
        .withEncoded(Map.of(ContentCoding.BR, BR));

    assertThat(appGzip.representations()).hasSize(1);
  }

  @Test
  void conditionalRequestsMatchTheChosenFormsTag() {
    CachedPage page = compressed();
    TestRequest gzipHoldingGzip = TestRequest.get("/a").header("Accept-Encoding", "gzip")
        .header("If-None-Match", "\"abc-gz\"").build();
    TestRequest identityHoldingGzip = TestRequest.get("/a").header("If-None-Match", "\"abc-gz\"").build();

    assertThat(ConditionalRequests.notModified(gzipHoldingGzip, page,
        Representations.choose(gzipHoldingGzip, page).orElseThrow())).isTrue();
    assertThat(ConditionalRequests.notModified(identityHoldingGzip, page,
        Representations.choose(identityHoldingGzip, page).orElseThrow())).isFalse();
  }

  @Test
  void aPageWithOneFormIsChosenWithoutReadingTheRequest() {
    CachedPage plain = page().build();
    assertThat(coding(plain, "identity;q=0")).isEqualTo("identity");
  }
}
