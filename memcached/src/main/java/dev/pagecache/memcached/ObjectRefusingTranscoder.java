package dev.pagecache.memcached;

import net.spy.memcached.CachedData;
import net.spy.memcached.transcoders.Transcoder;

/**
 * The client's default transcoder, set so that nothing can fall back to spymemcached's own,
 * which Java-deserialises whatever memcached returns. Every call of ours names its transcoder.
 */
final class ObjectRefusingTranscoder implements Transcoder<Object> {
  @Override
  public boolean asyncDecode(CachedData data) {
    return false;
  }

  @Override
  public CachedData encode(Object value) {
    throw new UnsupportedOperationException("pagecache stores bytes only");
  }

  @Override
  public Object decode(CachedData data) {
    throw new UnsupportedOperationException("pagecache never deserialises objects from memcached");
  }

  @Override
  public int getMaxSize() {
    return CachedData.MAX_SIZE;
  }
}
