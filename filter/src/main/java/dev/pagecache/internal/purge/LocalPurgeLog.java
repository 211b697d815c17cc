package dev.pagecache.internal.purge;

import dev.pagecache.store.PurgeLog;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** The purge log of a JVM that shares its cache with no one: a counter; nothing to read back. */
public final class LocalPurgeLog implements PurgeLog {
  private final AtomicLong sequence = new AtomicLong();

  @Override
  public boolean shared() {
    return false;
  }

  @Override
  public long publish(String group) {
    return sequence.incrementAndGet();
  }

  @Override
  public long latest() {
    return sequence.get();
  }

  @Override
  public Map<Long, String> entries(long after, long upTo) {
    return Map.of(); // nobody else publishes
  }

  @Override
  public Map<String, Long> lastPurges(Collection<String> groups) {
    throw new IllegalStateException("a JVM-local log has no record beyond its memory");
  }
}
