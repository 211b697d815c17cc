package dev.pagecache.internal.store;

import dev.pagecache.internal.http.ContentCoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses a body into every coding the cache can make: gzip always (java.util.zip), brotli
 * when {@link BrotliEncoder} loads. A form is kept only when it saves at least a tenth of the body:
 * text that does not shrink (a mislabelled image, random tokens) is sent as it is.
 */
public final class Compressor {
  /** Keep a compressed form only when it is at most this share of the body. */
  static final double MAX_RATIO = 0.9;
  /** gzip's default level: -9 saves about 1 % more on HTML for twice the time. */
  static final int GZIP_LEVEL = 6;

  private final Optional<UnaryOperator<byte[]>> brotli;

  private Compressor(Optional<UnaryOperator<byte[]>> brotli) {
    this.brotli = brotli;
  }

  /** gzip, and brotli when brotli4j is on the classpath and its native library loads. */
  public static Compressor standard() {
    return new Compressor(BrotliEncoder.encoder());
  }

  /** gzip only, as without brotli4j. */
  public static Compressor gzipOnly() {
    return new Compressor(Optional.empty());
  }

  public boolean makesBrotli() {
    return brotli.isPresent();
  }

  /** The forms of {@code body} worth keeping, by coding; empty when none saves enough. */
  public Map<ContentCoding, byte[]> compress(byte[] body) {
    Map<ContentCoding, byte[]> forms = new EnumMap<>(ContentCoding.class);
    byte[] gzip = gzip(body);
    if (worthKeeping(gzip, body)) {
      forms.put(ContentCoding.GZIP, gzip);
    }
    if (brotli.isPresent()) {
      byte[] br = brotli.get().apply(body);
      if (worthKeeping(br, body)) {
        forms.put(ContentCoding.BR, br);
      }
    }
    return forms;
  }

  private static boolean worthKeeping(byte[] compressed, byte[] body) {
    return compressed.length <= body.length * MAX_RATIO;
  }

  static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192) {
      {
        def.setLevel(GZIP_LEVEL);
      }
    }) {
      gzip.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException("in memory", e);
    }
    return out.toByteArray();
  }

}
