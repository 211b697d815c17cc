package dev.pagecache.store.memcached;

import net.spy.memcached.transcoders.Transcoder;

/** Raw bytes for the review test (BytesTranscoder is package-private). */
public final class ReviewRaw {
  private ReviewRaw() {}

  public static Transcoder<byte[]> bytes() {
    return new BytesTranscoder(1 << 20);
  }
}
