package dev.pagecache.store;

import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.internal.store.VariantIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagecache.internal.http.EntityTag;
import dev.pagecache.internal.http.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class PageCodecTest {
  private static final Instant T0 = Instant.parse("2026-11-21T08:00:00.123456789Z");
  private static final byte[] SECRET = "a secret of more than sixteen bytes".getBytes(StandardCharsets.UTF_8);
  /** A memcached key: namespace, format version, namespace version, cache key. */
  private static final String KEY = "pagecache:v2:0:http://example.com:80/a";
  private static final String OTHER_KEY = "pagecache:v2:0:http://example.com:80/b";

  private static CachedPage page(byte[] body) {
    return CachedPage.builder()
        .status(200)
        .headers(Headers.builder().add("Vary", "Accept-Language").add("X-Multi", "a").add("X-Multi", "b")
            .add("ETag", "\"v1\"").build())
        .contentType("text/html;charset=UTF-8")
        .body(body)
        .date(T0.minusSeconds(1))
        .storedAt(T0)
        .initialAge(Duration.ofSeconds(3))
        .expiresAt(T0.plusSeconds(60))
        .etag(EntityTag.strong("v1"))
        .lastModified(Instant.parse("2020-09-13T12:26:40Z"))
        .renderedAt(T0.minusMillis(250))
        .purgeGroups(1_733_000_000_000_042L, List.of("*", "u:http://example.com:80/videos", "t:user:42"))
        .build();
  }

  private static byte[] html(int bytes) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < bytes; i++) {
      text.append("<li><a href=\"/videos/").append(i).append("\">Video ").append(i).append("</a></li>\n");
    }
    return text.substring(0, bytes).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aPageRoundTripsWithEveryField() throws Exception {
    CachedPage original = page(html(20_000));
    PageCodec codec = new PageCodec(null, 4096, 1 << 24);

    CacheEntry decoded = codec.decode(codec.encode(original, KEY), KEY);

    assertThat(decoded).isInstanceOf(CachedPage.class);
    assertThat(((CachedPage) decoded).sameAs(original)).as(decoded.toString()).isTrue();
  }

  @Test
  void whetherTheEtagIsTheOriginsAndTheRevalidationRetentionRoundTrip() throws Exception {
    PageCodec codec = new PageCodec(null, 4096, 1 << 24);
    CachedPage hashed = page(html(100));
    CachedPage origins = CachedPage.builder().storedAt(T0).expiresAt(T0.plusSeconds(60)).etag(EntityTag.strong("v1"))
        .originEtag(true).retainUntil(T0.plusSeconds(3660)).body(html(100)).build();

    CachedPage decodedHashed = (CachedPage) codec.decode(codec.encode(hashed, KEY), KEY);
    CachedPage decodedOrigins = (CachedPage) codec.decode(codec.encode(origins, KEY), KEY);

    assertThat(decodedHashed.originEtag()).isEmpty();
    assertThat(decodedHashed.retainUntil()).isEmpty();
    assertThat(decodedOrigins.sameAs(origins)).as(decodedOrigins.toString()).isTrue();
    assertThat(decodedOrigins.originEtag()).contains(EntityTag.strong("v1"));
    assertThat(decodedOrigins.evictableAt()).isEqualTo(T0.plusSeconds(3660));
  }

  @Test
  void anErrorReplayAndAVariantIndexRoundTrip() throws Exception {
    PageCodec codec = new PageCodec(SECRET, 4096, 1 << 24);
    CachedPage error = CachedPage.builder().status(404).storedAt(T0).expiresAt(T0.plusSeconds(5))
        .errorReplay("no such page").build();
    VariantIndex index = new VariantIndex(42, List.of("accept-language", "accept-encoding"), T0.plusSeconds(9));

    assertThat(((CachedPage) codec.decode(codec.encode(error, KEY), KEY)).sameAs(error)).isTrue();
    assertThat(codec.decode(codec.encode(index, KEY), KEY)).isEqualTo(index);
  }

  @Test
  void bodiesAboveTheThresholdAreDeflatedWhenThatSavesSpace() {
    PageCodec codec = new PageCodec(null, 4096, 1 << 24);
    byte[] text = html(100_000);
    byte[] noise = new byte[100_000];
    new Random(1).nextBytes(noise);

    assertThat(codec.encode(page(text), KEY).length).isLessThan(text.length / 3);
    assertThat(codec.encode(page(noise), KEY).length).as("incompressible: stored as is").isGreaterThan(noise.length);
    assertThat(codec.encode(page(html(4000)), KEY).length).as("below the threshold").isGreaterThan(4000);
  }

  @Test
  void withASecretUnsignedAndForeignEntriesAreRefused() {
    byte[] unsigned = new PageCodec(null, 4096, 1 << 24).encode(page(html(100)), KEY);
    byte[] foreign = new PageCodec("another secret, also long enough".getBytes(StandardCharsets.UTF_8), 4096, 1 << 24)
        .encode(page(html(100)), KEY);
    PageCodec codec = new PageCodec(SECRET, 4096, 1 << 24);

    assertThatThrownBy(() -> codec.decode(unsigned, KEY)).hasMessage("not signed");
    assertThatThrownBy(() -> codec.decode(foreign, KEY)).hasMessageStartingWith("bad signature");
  }

  @Test
  void anEntryIsRefusedUnderAnyKeyButItsOwnSignedOrNot() throws Exception {
    for (byte[] secret : new byte[][] {null, SECRET}) {
      PageCodec codec = new PageCodec(secret, 4096, 1 << 24);
      byte[] page = codec.encode(page(html(100)), KEY);
      byte[] index = codec.encode(new VariantIndex(7, List.of("accept-language"), T0.plusSeconds(9)), KEY);

      for (String other : List.of(OTHER_KEY, "pagecache:v2:1:http://example.com:80/a", "other:v2:0:http://example.com:80/a")) {
        assertThatThrownBy(() -> codec.decode(page, other)).as(other).isInstanceOf(CorruptEntryException.class)
            .hasMessageContaining("another key");
        assertThatThrownBy(() -> codec.decode(index, other)).as(other).isInstanceOf(CorruptEntryException.class);
      }
      assertThat(codec.decode(page, KEY)).isInstanceOf(CachedPage.class);
    }
  }

  @Test
  void aValueOfFormatVersionOneIsRefused() {
    PageCodec codec = new PageCodec(null, 4096, 1 << 24);
    byte[] value = codec.encode(page(html(100)), KEY);
    value[4] = 1;

    assertThatThrownBy(() -> codec.decode(value, KEY)).hasMessage("unknown format version 1");
  }

  @Test
  void aChunkManifestRoundTripsBoundToItsKeyAndIsNeverTakenForAnEntry() throws Exception {
    PageCodec codec = new PageCodec(SECRET, 4096, 1 << 24);
    ChunkManifest manifest = ChunkManifest.split(42, 1000, 2500);
    byte[] value = codec.encodeManifest(manifest, KEY);
    byte[] entry = codec.encode(page(html(100)), KEY);

    assertThat(PageCodec.isManifest(value)).isTrue();
    assertThat(PageCodec.isManifest(entry)).isFalse();
    assertThat(codec.decodeManifest(value, KEY)).isEqualTo(manifest);
    assertThat(manifest.chunkCount()).isEqualTo(3);
    assertThat(manifest.chunkLength(2)).isEqualTo(500);
    assertThatThrownBy(() -> codec.decodeManifest(value, OTHER_KEY)).isInstanceOf(CorruptEntryException.class);
    assertThatThrownBy(() -> codec.decode(value, KEY)).hasMessage("a chunk manifest where an entry was expected");
    assertThatThrownBy(() -> codec.decodeManifest(entry, KEY)).hasMessage("not a chunk manifest");
  }

  @Test
  void handMadeManifestsWhoseNumbersDoNotAddUpAreRefusedThoughTheirChecksumIsRight() {
    PageCodec codec = new PageCodec(null, 4096, 1 << 24);
    // generation, chunk size, chunk count, total: each inconsistent with the others or out of range
    Object[][] hostile = {
        {42L, 1 << 20, 1, Integer.MAX_VALUE}, // one chunk claiming 2 GiB
        {42L, 1 << 20, 0xffff, 10}, // 65535 chunks for 10 bytes
        {42L, 0, 1, 10},
        {42L, 1 << 20, 1, 0},
        {42L, 1 << 20, 1, -5},
        {42L, -1, 1, 10},
    };
    for (Object[] numbers : hostile) {
      byte[] value = handMadeManifest((long) numbers[0], (int) numbers[1], (int) numbers[2], (int) numbers[3]);
      assertThat(PageCodec.isManifest(value)).isTrue();
      assertThatThrownBy(() -> codec.decodeManifest(value, KEY)).as(Arrays.toString(numbers))
          .isInstanceOf(CorruptEntryException.class).hasMessageStartingWith("malformed chunk manifest");
    }
    byte[] trailing = Arrays.copyOf(handMadeManifest(42, 1000, 3, 2500), 30);
    assertThatThrownBy(() -> codec.decodeManifest(resealedWithTail(trailing), KEY)).isInstanceOf(CorruptEntryException.class);
  }

  /** A manifest as whoever can write to memcached can make one without a secret: any numbers, a right checksum. */
  private static byte[] handMadeManifest(long generation, int chunkSize, int chunkCount, int total) {
    ByteBuffer value = ByteBuffer.allocate(7 + 18 + 4).put(PageCodec.MAGIC).put((byte) PageCodec.VERSION).put((byte) 0)
        .put((byte) 3).putLong(generation).putInt(chunkSize).putShort((short) chunkCount).putInt(total);
    return resealed(value.array());
  }

  /** {@code value} (content without checksum) with a right checksum appended. */
  private static byte[] resealedWithTail(byte[] content) {
    return resealed(Arrays.copyOf(content, content.length + 4));
  }

  @Test
  void aSignedEntryWithAnyByteChangedIsRefused() {
    PageCodec codec = new PageCodec(SECRET, 4096, 1 << 24);
    byte[] value = codec.encode(page(html(3000)), KEY);
    for (int i = 0; i < value.length; i += 7) {
      byte[] tampered = value.clone();
      tampered[i] ^= 0x20;
      assertThatThrownBy(() -> codec.decode(tampered, KEY)).as("byte " + i).isInstanceOf(CorruptEntryException.class);
    }
  }

  @Test
  void badMagicUnknownVersionAndChecksumMismatchAreCorrupt() {
    PageCodec codec = new PageCodec(null, 4096, 1 << 24);
    byte[] value = codec.encode(page(html(100)), KEY);
    byte[] magic = value.clone();
    magic[0] = 'X';
    byte[] version = value.clone();
    version[4] = 9;
    byte[] flipped = value.clone();
    flipped[value.length / 2] ^= 1;

    assertThatThrownBy(() -> codec.decode(magic, KEY)).hasMessage("bad magic");
    assertThatThrownBy(() -> codec.decode(version, KEY)).hasMessage("unknown format version 9");
    assertThatThrownBy(() -> codec.decode(flipped, KEY)).hasMessageStartingWith("checksum mismatch");
  }

  @Test
  void everyTruncationIsCorruptNeverAnotherException() {
    PageCodec codec = new PageCodec(null, 64, 1 << 24);
    byte[] value = codec.encode(page(html(5000)), KEY);
    for (int length = 0; length < value.length; length++) {
      byte[] truncated = Arrays.copyOf(value, length);
      assertThatThrownBy(() -> codec.decode(truncated, KEY)).as("length " + length).isInstanceOf(CorruptEntryException.class);
    }
  }

  @Test
  void randomBytesAndRandomDamageAreCorruptNeverAnotherException() {
    PageCodec codec = new PageCodec(null, 64, 1 << 20);
    byte[] good = codec.encode(page(html(2000)), KEY);
    Random random = new Random(20261121);
    for (int round = 0; round < 20_000; round++) {
      byte[] value;
      if (round % 2 == 0) {
        value = new byte[random.nextInt(200)];
        random.nextBytes(value);
        if (round % 4 == 0 && value.length > 7) {
          System.arraycopy(PageCodec.MAGIC, 0, value, 0, 4); // past the magic check, into the parser
          value[4] = PageCodec.VERSION;
        }
      } else {
        value = good.clone();
        for (int i = random.nextInt(5); i >= 0; i--) {
          value[random.nextInt(value.length)] = (byte) random.nextInt();
        }
        if (Arrays.equals(value, good)) {
          continue;
        }
      }
      byte[] input = value;
      assertThatThrownBy(() -> codec.decode(input, KEY)).isInstanceOf(CorruptEntryException.class);
    }
  }

  @Test
  void aBodyThatWouldInflatePastTheLimitIsRefused() throws Exception {
    // A hand-made entry whose deflated body claims 1 MiB: bigger than this codec accepts.
    PageCodec writer = new PageCodec(null, 16, 1 << 24);
    byte[] big = new byte[1 << 20];
    byte[] value = writer.encode(page(big), KEY);
    PageCodec strict = new PageCodec(null, 16, 64 * 1024);

    assertThatThrownBy(() -> strict.decode(value, KEY)).hasMessage("body length out of range");
    assertThat(deflatedSize(big)).as("it was a small value").isLessThan(5000);
  }

  @Test
  void aDeflatedBodyClaimingAHugeLengthAllocatesOnlyWhatReallyInflates() throws Exception {
    // A hostile value: 64 KiB of zeros deflate to a few hundred bytes, and the stated body length
    // is patched to 1 GiB, which this codec allows. Refusing it must not cost that gibibyte first.
    PageCodec codec = new PageCodec(null, 16, 1 << 30);
    byte[] zeros = new byte[64 * 1024];
    byte[] value = codec.encode(page(zeros), KEY);
    int stored = deflatedSize(zeros);
    int bodyLengthAt = value.length - 4 - stored - 8;
    assertThat(ByteBuffer.wrap(value, bodyLengthAt, 4).getInt()).as("where the body length is").isEqualTo(zeros.length);
    ByteBuffer.wrap(value, bodyLengthAt, 4).putInt(1 << 30);
    byte[] hostile = resealed(value);

    long allocated = AllocatedBytes.during(() ->
        assertThatThrownBy(() -> codec.decode(hostile, KEY)).isInstanceOf(CorruptEntryException.class));

    assertThat(allocated).as("bytes allocated to refuse it").isLessThan(16L << 20);
  }

  /** The value with its checksum recomputed, as whoever can write to memcached can do without a secret. */
  private static byte[] resealed(byte[] value) {
    CRC32C crc = new CRC32C();
    byte[] key = KEY.getBytes(StandardCharsets.UTF_8);
    crc.update(ByteBuffer.allocate(4).putInt(key.length).array());
    crc.update(key);
    crc.update(value, 0, value.length - 4);
    byte[] copy = value.clone();
    ByteBuffer.wrap(copy, copy.length - 4, 4).putInt((int) crc.getValue());
    return copy;
  }

  private static int deflatedSize(byte[] body) {
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    deflater.setInput(body);
    deflater.finish();
    byte[] out = new byte[body.length];
    int size = deflater.deflate(out);
    deflater.end();
    return size;
  }

  private static CachedPage compressed(byte[] identity, byte[] gzip) {
    return page(identity).withEncoded(java.util.Map.of(dev.pagecache.internal.http.ContentCoding.GZIP, gzip));
  }

  private static byte[] gzip(byte[] body) throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(out)) {
      gzip.write(body);
    }
    return out.toByteArray();
  }

  @Test
  void aCompressedPageIsStoredAsItsGzipFormAloneAndReadBackWithBoth() throws Exception {
    byte[] identity = html(20_000);
    byte[] gzip = gzip(identity);
    CachedPage original = compressed(identity, gzip);
    PageCodec codec = new PageCodec(SECRET, 4096, 1 << 24);

    byte[] value = codec.encode(original, KEY);
    CachedPage decoded = (CachedPage) codec.decode(value, KEY);

    assertThat(value.length).isLessThan(gzip.length + 1000);
    assertThat(value[5] & PageCodec.FLAG_GZIP_BODY).isNotZero();
    assertThat(decoded.sameAs(original)).as(decoded.toString()).isTrue();
    assertThat(decoded.encoded(dev.pagecache.internal.http.ContentCoding.GZIP).orElseThrow().etagHeader()).isEqualTo("\"v1-gz\"");
  }

  @Test
  void theBrotliFormIsNotStored() throws Exception {
    byte[] identity = html(20_000);
    CachedPage original = page(identity).withEncoded(java.util.Map.of(
        dev.pagecache.internal.http.ContentCoding.GZIP, gzip(identity), dev.pagecache.internal.http.ContentCoding.BR, new byte[] {1, 2, 3}));
    PageCodec codec = new PageCodec(null, 4096, 1 << 24);

    CachedPage decoded = (CachedPage) codec.decode(codec.encode(original, KEY), KEY);

    assertThat(decoded.encoded(dev.pagecache.internal.http.ContentCoding.BR)).isEmpty();
    assertThat(decoded.encoded(dev.pagecache.internal.http.ContentCoding.GZIP)).isPresent();
    assertThat(bytesOf(decoded.body())).isEqualTo(identity);
  }

  private static byte[] bytesOf(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  @Test
  void aGzipBombIsRefusedAfterTheStatedLength() throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(out)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 256; i++) {
        gzip.write(zeros); // 256 MiB of zeros, about 250 KB compressed
      }
    }
    PageCodec codec = new PageCodec(null, 4096, 1 << 24);
    byte[] value = codec.encode(compressed(html(20_000), out.toByteArray()), KEY);

    assertThatThrownBy(() -> codec.decode(value, KEY)).isInstanceOf(CorruptEntryException.class)
        .hasMessageContaining("stated length");
  }

  @Test
  void aGzipFormShorterThanStatedOrBrokenIsRefused() throws Exception {
    PageCodec codec = new PageCodec(null, 4096, 1 << 24);
    byte[] identity = html(20_000);
    byte[] shorter = codec.encode(compressed(identity, gzip(html(10_000))), KEY);
    byte[] garbage = new byte[2000];
    new Random(3).nextBytes(garbage);
    byte[] broken = codec.encode(compressed(identity, garbage), KEY);
    byte[] truncatedGzip = gzip(identity);
    byte[] truncated = codec.encode(compressed(identity, Arrays.copyOf(truncatedGzip, truncatedGzip.length - 6)), KEY);

    assertThatThrownBy(() -> codec.decode(shorter, KEY)).isInstanceOf(CorruptEntryException.class);
    assertThatThrownBy(() -> codec.decode(broken, KEY)).isInstanceOf(CorruptEntryException.class);
    assertThatThrownBy(() -> codec.decode(truncated, KEY)).isInstanceOf(CorruptEntryException.class);
  }

  @Test
  void aGzipBodyLargerThanTheCacheTakesIsRefusedBeforeDecompressing() throws Exception {
    byte[] identity = html(20_000);
    byte[] value = new PageCodec(null, 4096, 1 << 24).encode(compressed(identity, gzip(identity)), KEY);

    assertThatThrownBy(() -> new PageCodec(null, 4096, 10_000).decode(value, KEY))
        .hasMessage("body length out of range");
  }
}
