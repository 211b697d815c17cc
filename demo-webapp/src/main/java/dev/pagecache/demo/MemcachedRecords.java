package dev.pagecache.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;
import net.spy.memcached.CachedData;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.transcoders.Transcoder;

/**
 * {@link Records} in memcached, under keys {@code pagecache-demo:<prefix><key>} (apart from the
 * cache's own), never expiring; {@link #update} is a {@code gets} and a {@code cas} (or an
 * {@code add} for a new record), tried again when another process changed the record between
 * the two. Values are UTF-8 text, stored with flags 0; anything else is read as absent.
 *
 * <p>memcached forgets what it has no room for: the demo stands it in for a fleet's database only
 * because it is the one server all demo processes already share.
 */
final class MemcachedRecords implements Records {
  static final String NAMESPACE = "pagecache-demo:";
  private static final int MAX_ATTEMPTS = 10;
  private static final Transcoder<String> TEXT = new Utf8();

  private final MemcachedClient client;
  private final String prefix;
  private final long timeoutMillis;

  /** @param client shared by several prefixes; opened and closed by {@link DemoData} */
  MemcachedRecords(MemcachedClient client, String prefix, long timeoutMillis) {
    this.client = client;
    this.prefix = NAMESPACE + prefix;
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Optional<String> get(String key) {
    try {
      return Optional.ofNullable(client.get(prefix + key, TEXT));
    } catch (RuntimeException e) {
      throw unavailable("read " + key, e);
    }
  }

  @Override
  public Map<String, String> getAll(Collection<String> keys) {
    List<String> prefixed = new ArrayList<>(keys.size());
    keys.forEach(key -> prefixed.add(prefix + key));
    Map<String, String> stored;
    try {
      stored = client.getBulk(prefixed, TEXT);
    } catch (RuntimeException e) {
      throw unavailable("read " + keys.size() + " records", e);
    }
    Map<String, String> found = new LinkedHashMap<>();
    for (String key : keys) {
      String value = stored.get(prefix + key);
      if (value != null) {
        found.put(key, value);
      }
    }
    return found;
  }

  @Override
  public Optional<String> update(String key, UnaryOperator<Optional<String>> change) {
    String stored = prefix + key;
    try {
      for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        CASValue<String> current = client.gets(stored, TEXT);
        Optional<String> old = current == null ? Optional.empty() : Optional.ofNullable(current.getValue());
        Optional<String> next = change.apply(old);
        if (next.isEmpty() || next.equals(old)) {
          return old;
        }
        boolean written = current == null
            ? client.add(stored, 0, next.get(), TEXT).get(timeoutMillis, TimeUnit.MILLISECONDS)
            : client.cas(stored, current.getCas(), next.get(), TEXT) == CASResponse.OK;
        if (written) {
          return next;
        }
      }
    } catch (RuntimeException | ExecutionException | TimeoutException e) {
      throw unavailable("write " + key, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("write " + key, e);
    }
    throw new Unavailable("memcached: " + key + " changed under " + MAX_ATTEMPTS + " attempts in a row", null);
  }

  private static Unavailable unavailable(String what, Exception e) {
    return new Unavailable("memcached: cannot " + what + ": " + e, e);
  }

  /** UTF-8 text with flags 0; a value with other flags is not one of these records, and reads as absent. */
  private static final class Utf8 implements Transcoder<String> {
    @Override
    public boolean asyncDecode(CachedData data) {
      return false;
    }

    @Override
    public CachedData encode(String text) {
      return new CachedData(0, text.getBytes(StandardCharsets.UTF_8), getMaxSize());
    }

    @Override
    public String decode(CachedData data) {
      return data.getFlags() == 0 ? new String(data.getData(), StandardCharsets.UTF_8) : null;
    }

    @Override
    public int getMaxSize() {
      return CachedData.MAX_SIZE;
    }
  }
}
