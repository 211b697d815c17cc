package dev.pagecache.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagecache.internal.http.EntityTag;
import dev.pagecache.internal.http.Headers;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CachedPageTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final byte[] BODY = "<p>stored</p>".getBytes(StandardCharsets.UTF_8);

  private static CachedPage.Builder page() {
    return CachedPage.builder().storedAt(NOW).expiresAt(NOW.plusSeconds(60)).body(BODY);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  /** A stream that, like a careless user wrapper, scribbles over every array it is handed. */
  private static final class ScribblingStream extends OutputStream {
    final ByteArrayOutputStream received = new ByteArrayOutputStream();

    @Override
    public void write(int b) {
      received.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      received.write(b, off, len);
      Arrays.fill(b, off, off + len, (byte) 'X');
    }
  }

  @Test
  void theBodyIsCopiedIn() {
    byte[] body = BODY.clone();
    CachedPage page = page().body(body).build();

    Arrays.fill(body, (byte) 0);

    assertThat(bytes(page.body())).isEqualTo(BODY);
    assertThat(page.bodyLength()).isEqualTo(BODY.length);
  }

  @Test
  void theBodyViewIsReadOnly() {
    CachedPage page = page().build();
    ByteBuffer view = page.body();

    assertThat(view.isReadOnly()).isTrue();
    assertThat(view.hasArray()).as("no backing array is exposed").isFalse();
    assertThatThrownBy(() -> view.put(0, (byte) 'X')).isInstanceOf(ReadOnlyBufferException.class);
    assertThat(bytes(page.body())).isEqualTo(BODY);
  }

  @Test
  void eachBodyViewHasItsOwnPosition() {
    CachedPage page = page().build();

    page.body().get(new byte[4]);

    assertThat(page.body().position()).isZero();
    assertThat(page.body().remaining()).isEqualTo(BODY.length);
  }

  @Test
  void anUntrustedStreamGetsACopyItCannotUseToChangeTheStoredBody() throws Exception {
    CachedPage page = page().build();
    ScribblingStream first = new ScribblingStream();

    page.writeBodyTo(first, false);

    assertThat(first.received.toByteArray()).isEqualTo(BODY);
    assertThat(bytes(page.body())).as("stored body after a scribbling stream").isEqualTo(BODY);

    // The next request still gets what was stored.
    ScribblingStream second = new ScribblingStream();
    page.writeBodyTo(second, false);
    assertThat(second.received.toByteArray()).isEqualTo(BODY);
  }

  @Test
  void aTrustedStreamGetsTheWholeBody() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    page().build().writeBodyTo(out, true);

    assertThat(out.toByteArray()).isEqualTo(BODY);
  }

  @Test
  void aSliceOfTheBodyIsWrittenAndAnUntrustedStreamGetsACopyOfItOnly() throws Exception {
    CachedPage page = page().build();
    ByteArrayOutputStream trusted = new ByteArrayOutputStream();
    ScribblingStream untrusted = new ScribblingStream();

    page.originRepresentation().writeTo(trusted, true, 3, 6);
    page.originRepresentation().writeTo(untrusted, false, 3, 6);

    assertThat(trusted.toString(StandardCharsets.UTF_8)).isEqualTo("stored");
    assertThat(untrusted.received.toString(StandardCharsets.UTF_8)).isEqualTo("stored");
    assertThat(bytes(page.body())).as("stored body after a scribbling stream").isEqualTo(BODY);
  }

  @Test
  void aSliceOutsideTheBodyIsRefused() {
    CachedPage page = page().build();

    assertThatThrownBy(() -> page.originRepresentation().writeTo(new ByteArrayOutputStream(), true, BODY.length - 1, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> page.originRepresentation().writeTo(new ByteArrayOutputStream(), false, -1, 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void anEmptyBodyIsTheDefault() throws Exception {
    CachedPage page = CachedPage.builder().storedAt(NOW).expiresAt(NOW).build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    page.writeBodyTo(out, false);

    assertThat(page.bodyLength()).isZero();
    assertThat(out.size()).isZero();
  }

  @Test
  void withoutADateThePageIsDatedWhenStored() {
    CachedPage page = page().build();

    assertThat(page.date()).isEqualTo(NOW);
    assertThat(page.dateHeader()).isEqualTo("Sat, 01 Mar 2025 12:00:00 GMT");
  }

  @Test
  void theOriginsDateIsKeptAndFormattedOnce() {
    CachedPage page = page().date(NOW.minusSeconds(90)).build();

    assertThat(page.date()).isEqualTo(NOW.minusSeconds(90));
    assertThat(page.dateHeader()).isEqualTo("Sat, 01 Mar 2025 11:58:30 GMT").isSameAs(page.dateHeader());
  }

  @Test
  void validatorsAreOptional() {
    CachedPage bare = page().build();
    CachedPage tagged = page().etag(new EntityTag("v1", true)).lastModified(NOW.minusSeconds(60)).build();

    assertThat(bare.etag()).isEmpty();
    assertThat(bare.etagHeader()).isNull();
    assertThat(bare.lastModified()).isEmpty();
    assertThat(tagged.etag()).contains(new EntityTag("v1", true));
    assertThat(tagged.etagHeader()).isEqualTo("W/\"v1\"");
    assertThat(tagged.lastModified()).contains(NOW.minusSeconds(60));
  }

  @Test
  void theStoreMayDropThePageWhenItExpires() {
    CachedPage page = page().expiresAt(NOW.plusSeconds(42)).build();

    assertThat(page.evictableAt()).isEqualTo(page.expiresAt()).isEqualTo(NOW.plusSeconds(42));
  }

  @Test
  void cacheControlIsParsedFromTheStoredHeaders() {
    CachedPage page = page().headers(Headers.builder().add("Cache-Control", "public, max-age=300").build()).build();

    assertThat(page.cacheControl().isPublic()).isTrue();
    assertThat(page.cacheControl().maxAge()).contains(Duration.ofMinutes(5));
  }

  @Test
  void weightCountsBodyHeadersContentTypeAndOverhead() {
    Headers headers = Headers.builder().add("Vary", "Accept").build(); // byteSize 4 + 6 + 4 = 14
    CachedPage page = page().headers(headers).contentType("text/html").build();

    assertThat(page.weight()).isEqualTo(CachedPage.FIXED_OVERHEAD_BYTES + BODY.length + 14
        + CachedPage.PER_FIELD_BYTES + 9);
    assertThat(page().build().weight()).isEqualTo(CachedPage.FIXED_OVERHEAD_BYTES + BODY.length);
  }

  @Test
  void storedAtAndExpiresAtAreRequired() {
    assertThatThrownBy(() -> CachedPage.builder().expiresAt(NOW).build())
        .isInstanceOf(NullPointerException.class).hasMessage("storedAt");
    assertThatThrownBy(() -> CachedPage.builder().storedAt(NOW).build())
        .isInstanceOf(NullPointerException.class).hasMessage("expiresAt");
    assertThatThrownBy(() -> CachedPage.builder().storedAt(NOW).expiresAt(NOW).headers(null).build())
        .isInstanceOf(NullPointerException.class).hasMessage("headers");
  }

  @Test
  void errorReplayCarriesTheMessage() {
    CachedPage page = page().status(404).errorReplay("Not here").build();

    assertThat(page.isErrorReplay()).isTrue();
    assertThat(page.errorMessage()).contains("Not here");
    assertThat(page().build().isErrorReplay()).isFalse();
    assertThat(page().build().errorMessage()).isEmpty();
  }

  @Test
  void sameAsComparesContentValidatorsAndTimes() {
    CachedPage page = page().etag(EntityTag.strong("v1")).build();

    assertThat(page.sameAs(page().etag(EntityTag.strong("v1")).build())).isTrue();
    assertThat(page.sameAs(page().etag(EntityTag.strong("v1")).body(new byte[] {1}).build())).isFalse();
    assertThat(page.sameAs(page().etag(EntityTag.strong("v2")).build())).isFalse();
    assertThat(page.sameAs(page().etag(EntityTag.strong("v1")).expiresAt(NOW.plusSeconds(61)).build())).isFalse();
    assertThat(page.sameAs(page().etag(EntityTag.strong("v1")).status(203).build())).isFalse();
  }

  @Test
  void everyBodyCountsInTheWeight() {
    CachedPage plain = page().build();
    CachedPage compressed = plain.withEncoded(java.util.Map.of(
        dev.pagecache.internal.http.ContentCoding.GZIP, new byte[1000], dev.pagecache.internal.http.ContentCoding.BR, new byte[700]));

    assertThat(compressed.weight() - plain.weight())
        .isEqualTo(1000 + 700 + 2 * CachedPage.PER_REPRESENTATION_BYTES);
  }

  @Test
  void aPageWithSeveralFormsVariesOnAcceptEncodingOnce() {
    java.util.Map<dev.pagecache.internal.http.ContentCoding, byte[]> gzip = java.util.Map.of(dev.pagecache.internal.http.ContentCoding.GZIP, new byte[1]);
    assertThat(page().build().varyHeader()).as("one form: the stored Vary stands").isEmpty();
    assertThat(page().build().withEncoded(gzip).varyHeader()).contains("Accept-Encoding");
    assertThat(page().headers(Headers.builder().add("Vary", "Accept-Language").add("Vary", "Cookie").build()).build()
        .withEncoded(gzip).varyHeader()).contains("Accept-Language, Cookie, Accept-Encoding");
    assertThat(page().headers(Headers.builder().set("Vary", "accept-encoding").build()).build()
        .withEncoded(gzip).varyHeader()).contains("accept-encoding");
  }

  @Test
  void theCompressedFormsAreCopiedIn() {
    byte[] gzip = {1, 2, 3};
    CachedPage page = page().build().withEncoded(java.util.Map.of(dev.pagecache.internal.http.ContentCoding.GZIP, gzip));
    Arrays.fill(gzip, (byte) 0);

    assertThat(bytes(page.encoded(dev.pagecache.internal.http.ContentCoding.GZIP).orElseThrow().body())).containsExactly(1, 2, 3);
  }

  @Test
  void copiesForAnotherRenderKeepTheForms() {
    CachedPage page = page().etag(EntityTag.strong("t")).build()
        .withEncoded(java.util.Map.of(dev.pagecache.internal.http.ContentCoding.GZIP, new byte[] {9}));

    CachedPage copy = page.renderedHere(NOW, 1L, 3, java.util.List.of("g"));

    assertThat(copy.encoded(dev.pagecache.internal.http.ContentCoding.GZIP)).isPresent();
    assertThat(copy.encoded(dev.pagecache.internal.http.ContentCoding.GZIP).orElseThrow().etagHeader()).isEqualTo("\"t-gz\"");
  }
}
