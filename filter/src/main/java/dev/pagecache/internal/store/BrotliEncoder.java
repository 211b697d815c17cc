package dev.pagecache.internal.store;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Brotli through brotli4j, when the application has it on its classpath: an optional dependency,
 * because it is a native library (JNI) that exists only for some platforms. Without it, or when
 * its native part fails to load, the cache makes gzip only, and says so once in the log.
 *
 * <p>Nothing outside {@link Native} names a brotli4j class: this class loads without it.
 */
final class BrotliEncoder {
  private static final Logger LOG = System.getLogger(BrotliEncoder.class.getName());
  /**
   * Brotli's quality 5: about gzip -9's size or smaller on HTML, at a small fraction of quality 11's
   * time (which would hold a 20 KB page's waiters for tens of milliseconds).
   */
  static final int QUALITY = 5;
  private static final Optional<UnaryOperator<byte[]>> ENCODER = load();

  private BrotliEncoder() {}

  /** The encoder, loaded once; empty without brotli4j or its native library. */
  static Optional<UnaryOperator<byte[]>> encoder() {
    return ENCODER;
  }

  private static Optional<UnaryOperator<byte[]>> load() {
    try {
      Class.forName("com.aayushatharva.brotli4j.Brotli4jLoader", false, BrotliEncoder.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError absent) {
      LOG.log(Level.INFO, "pagecache: brotli4j is not on the classpath; stored pages are compressed with gzip only");
      return Optional.empty();
    }
    try {
      UnaryOperator<byte[]> encoder = Native.encoder();
      encoder.apply(new byte[] {'o', 'k'}); // the native part loads, and works, before the first page needs it
      LOG.log(Level.DEBUG, "pagecache: brotli4j loaded; stored pages are compressed with brotli and gzip");
      return Optional.of(encoder);
    } catch (RuntimeException | LinkageError broken) {
      LOG.log(Level.WARNING, "pagecache: brotli4j is on the classpath but does not load (" + broken
          + "); stored pages are compressed with gzip only");
      return Optional.empty();
    }
  }

  /** The only code that touches brotli4j: loaded only once its classes are known to be there. */
  private static final class Native {
    static UnaryOperator<byte[]> encoder() {
      com.aayushatharva.brotli4j.Brotli4jLoader.ensureAvailability();
      com.aayushatharva.brotli4j.encoder.Encoder.Parameters parameters =
          new com.aayushatharva.brotli4j.encoder.Encoder.Parameters().setQuality(QUALITY);
      return body -> {
        try {
          return com.aayushatharva.brotli4j.encoder.Encoder.compress(body, parameters);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      };
    }
  }
}
