package dev.pagecache.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagecache.http.EntityTag;
import dev.pagecache.http.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class PageCodecTest {
  private static final Instant T0 = Instant.parse("2026-11-21T08:00:00.123456789Z");
  private static final byte[] SECRET = "a secret of more than sixteen bytes".getBytes(StandardCharsets.UTF_8);

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

    CacheEntry decoded = codec.decode(codec.encode(original));

    assertThat(decoded).isInstanceOf(CachedPage.class);
    assertThat(((CachedPage) decoded).sameAs(original)).as(decoded.toString()).isTrue();
  }

  @Test
  void anErrorReplayAndAVariantIndexRoundTrip() throws Exception {
    PageCodec codec = new PageCodec(SECRET, 4096, 1 << 24);
    CachedPage error = CachedPage.builder().status(404).storedAt(T0).expiresAt(T0.plusSeconds(5))
        .errorReplay("no such page").build();
    VariantIndex index = new VariantIndex(42, List.of("accept-language", "accept-encoding"), T0.plusSeconds(9));

    assertThat(((CachedPage) codec.decode(codec.encode(error))).sameAs(error)).isTrue();
    assertThat(codec.decode(codec.encode(index))).isEqualTo(index);
  }

  @Test
  void bodiesAboveTheThresholdAreDeflatedWhenThatSavesSpace() {
    PageCodec codec = new PageCodec(null, 4096, 1 << 24);
    byte[] text = html(100_000);
    byte[] noise = new byte[100_000];
    new Random(1).nextBytes(noise);

    assertThat(codec.encode(page(text)).length).isLessThan(text.length / 3);
    assertThat(codec.encode(page(noise)).length).as("incompressible: stored as is").isGreaterThan(noise.length);
    assertThat(codec.encode(page(html(4000))).length).as("below the threshold").isGreaterThan(4000);
  }

  @Test
  void withASecretUnsignedAndForeignEntriesAreRefused() {
    byte[] unsigned = new PageCodec(null, 4096, 1 << 24).encode(page(html(100)));
    byte[] foreign = new PageCodec("another secret, also long enough".getBytes(StandardCharsets.UTF_8), 4096, 1 << 24)
        .encode(page(html(100)));
    PageCodec codec = new PageCodec(SECRET, 4096, 1 << 24);

    assertThatThrownBy(() -> codec.decode(unsigned)).hasMessage("not signed");
    assertThatThrownBy(() -> codec.decode(foreign)).hasMessage("bad signature");
  }

  @Test
  void aSignedEntryWithAnyByteChangedIsRefused() {
    PageCodec codec = new PageCodec(SECRET, 4096, 1 << 24);
    byte[] value = codec.encode(page(html(3000)));
    for (int i = 0; i < value.length; i += 7) {
      byte[] tampered = value.clone();
      tampered[i] ^= 0x20;
      assertThatThrownBy(() -> codec.decode(tampered)).as("byte " + i).isInstanceOf(CorruptEntryException.class);
    }
  }

  @Test
  void badMagicUnknownVersionAndChecksumMismatchAreCorrupt() {
    PageCodec codec = new PageCodec(null, 4096, 1 << 24);
    byte[] value = codec.encode(page(html(100)));
    byte[] magic = value.clone();
    magic[0] = 'X';
    byte[] version = value.clone();
    version[4] = 9;
    byte[] flipped = value.clone();
    flipped[value.length / 2] ^= 1;

    assertThatThrownBy(() -> codec.decode(magic)).hasMessage("bad magic");
    assertThatThrownBy(() -> codec.decode(version)).hasMessage("unknown format version 9");
    assertThatThrownBy(() -> codec.decode(flipped)).hasMessage("checksum mismatch");
  }

  @Test
  void everyTruncationIsCorruptNeverAnotherException() {
    PageCodec codec = new PageCodec(null, 64, 1 << 24);
    byte[] value = codec.encode(page(html(5000)));
    for (int length = 0; length < value.length; length++) {
      byte[] truncated = Arrays.copyOf(value, length);
      assertThatThrownBy(() -> codec.decode(truncated)).as("length " + length).isInstanceOf(CorruptEntryException.class);
    }
  }

  @Test
  void randomBytesAndRandomDamageAreCorruptNeverAnotherException() {
    PageCodec codec = new PageCodec(null, 64, 1 << 20);
    byte[] good = codec.encode(page(html(2000)));
    Random random = new Random(20261121);
    for (int round = 0; round < 20_000; round++) {
      byte[] value;
      if (round % 2 == 0) {
        value = new byte[random.nextInt(200)];
        random.nextBytes(value);
        if (round % 4 == 0 && value.length > 7) {
          System.arraycopy(PageCodec.MAGIC, 0, value, 0, 4); // past the magic check, into the parser
          value[4] = 1;
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
      assertThatThrownBy(() -> codec.decode(input)).isInstanceOf(CorruptEntryException.class);
    }
  }

  @Test
  void aBodyThatWouldInflatePastTheLimitIsRefused() throws Exception {
    // A hand-made entry whose deflated body claims 1 MiB: bigger than this codec accepts.
    PageCodec writer = new PageCodec(null, 16, 1 << 24);
    byte[] big = new byte[1 << 20];
    byte[] value = writer.encode(page(big));
    PageCodec strict = new PageCodec(null, 16, 64 * 1024);

    assertThatThrownBy(() -> strict.decode(value)).hasMessage("body length out of range");
    assertThat(deflatedSize(big)).as("it was a small value").isLessThan(5000);
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
}
