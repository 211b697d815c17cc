package dev.pagecache.memcached;

import net.spy.memcached.CachedData;
import net.spy.memcached.transcoders.Transcoder;

/**
 * Passes bytes through untouched: no Java serialization, no silent gzip (spymemcached's default
 * transcoder does both). Our {@code PageCodec} decides what the bytes are.
 */
final class BytesTranscoder implements Transcoder<byte[]> {
  private final int maxSize;

  BytesTranscoder(int maxSize) {
    this.maxSize = maxSize;
  }

  @Override
  public boolean asyncDecode(CachedData data) {
    return false;
  }

  @Override
  public CachedData encode(byte[] value) {
    return new CachedData(0, value, maxSize);
  }

  @Override
  public byte[] decode(CachedData data) {
    return data.getData();
  }

  @Override
  public int getMaxSize() {
    return maxSize;
  }
}
