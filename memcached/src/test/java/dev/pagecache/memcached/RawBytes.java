package dev.pagecache.memcached;

import net.spy.memcached.transcoders.Transcoder;

/** Raw bytes for tests outside this package (BytesTranscoder is package-private). */
public final class RawBytes {
  private RawBytes() {}

  public static Transcoder<byte[]> bytes() {
    return new BytesTranscoder(1 << 20);
  }
}
