package dev.pagecache.memcached;

import dev.pagecache.store.PurgeLog;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.internal.OperationFuture;

/**
 * The fleet's purge log in memcached, outside the namespace version (a purge of everything must not
 * lose it):
 * <ul>
 *   <li>{@code <ns>:purges:seq}, a counter every purge increments to take its number;</li>
 *   <li>{@code <ns>:purges:<n>}, what purge {@code n} purged (a version group), kept an hour;</li>
 *   <li>{@code <ns>:group:<group>}, the number of the group's last purge ({@code 0}: never), raised
 *       with compare-and-swap so that it only grows.</li>
 * </ul>
 * A group record is created before any page of the group is shared, so a missing one was lost
 * (evicted), not never written: it is then purged anew, so no page older than the loss counts as
 * current. The counter starts (and restarts, if lost) at the clock's microseconds, so numbers given
 * after a loss are higher than those before it. With a secret, records carry an HMAC-SHA256 of
 * their key and text, and a record that does not verify is lost.
 */
final class MemcachedPurgeLog implements PurgeLog {
  /** How long a record of one purge is kept: a JVM behind by more than that starts afresh anyway. */
  static final int ENTRY_SECONDS = 3600;
  private static final int MAX_GROUP_BYTES = 8192;
  private static final int CAS_ATTEMPTS = 8;

  private final MemcachedPageStore store;
  private final MemcachedClient client;
  private final BytesTranscoder bytes = new BytesTranscoder(Integer.MAX_VALUE);
  private final String sequenceKey;
  private final String entryPrefix;
  private final String groupPrefix;
  private final byte[] secret;
  private final InstantSource clock;
  /**
   * Groups this JVM made sure of lately: not sent again for a while. One evicted meanwhile counts
   * as lost when next looked up, which costs its pages one miss, never a stale answer.
   */
  private final com.github.benmanes.caffeine.cache.Cache<String, Boolean> recorded =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
          .expireAfterWrite(java.time.Duration.ofMinutes(5))
          .maximumSize(100_000)
          .executor(Runnable::run)
          .build();

  MemcachedPurgeLog(MemcachedPageStore store, MemcachedClient client, String namespace, byte[] secret, InstantSource clock) {
    this.store = store;
    this.client = client;
    this.sequenceKey = namespace + ":purges:seq";
    this.entryPrefix = namespace + ":purges:";
    this.groupPrefix = namespace + ":group:";
    this.secret = secret;
    this.clock = clock;
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public long publish(String group) {
    return publish(group, 0);
  }

  @Override
  public long publish(String group, long floor) {
    long sequence = store.call(() -> client.asyncIncr(sequenceKey, 1, firstNumber(), 0), store.timeoutMillis());
    if (sequence <= 0) {
      throw new MemcachedPageStore.SharedLayerUnavailable("purge counter refused");
    }
    if (sequence <= floor) {
      // Set back: take a number above every one this JVM has seen (the skipped ones are a gap).
      long by = floor - sequence + 1;
      sequence = store.call(() -> client.asyncIncr(sequenceKey, by, firstNumber(), 0), store.timeoutMillis());
      if (sequence <= floor) {
        throw new MemcachedPageStore.SharedLayerUnavailable("purge counter kept going back");
      }
    }
    long number = sequence;
    String entryKey = entryPrefix + number;
    store.call(() -> client.set(entryKey, ENTRY_SECONDS, sign(entryKey, group), bytes), store.timeoutMillis());
    raise(group, number);
    return number;
  }

  /** Sets the group's record to {@code sequence} unless it holds a higher number already. */
  private void raise(String group, long sequence) {
    String key = groupKey(group);
    byte[] value = sign(key, Long.toString(sequence));
    for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      CASValue<byte[]> current = store.call(() -> client.asyncGets(key, bytes), store.timeoutMillis());
      if (current == null) {
        if (Boolean.TRUE.equals(store.call(() -> client.add(key, 0, value, bytes), store.timeoutMillis()))) {
          return;
        }
        continue;
      }
      Long known = verifiedNumber(key, current.getValue());
      if (known != null && known >= sequence) {
        return;
      }
      Future<CASResponse> swapped = client.asyncCAS(key, current.getCas(), 0, value, bytes);
      if (store.call(() -> swapped, store.timeoutMillis()) == CASResponse.OK) {
        return;
      }
    }
    throw new MemcachedPageStore.SharedLayerUnavailable("group record of " + group + " kept changing");
  }

  @Override
  public boolean answeredAtStartUp() {
    return store.answeredAtStartUp();
  }

  @Override
  public long latest() {
    byte[] value = store.call(() -> client.asyncGet(sequenceKey, bytes), store.timeoutMillis());
    if (value == null) {
      // Never created, or lost: created now, above every number given before, so that JVMs reading
      // it next see no jump (a jump from a lost counter makes each of them start afresh, as it should).
      byte[] first = Long.toString(firstNumber()).getBytes(StandardCharsets.US_ASCII);
      store.call(() -> client.add(sequenceKey, 0, first, bytes), store.timeoutMillis());
      value = store.call(() -> client.asyncGet(sequenceKey, bytes), store.timeoutMillis());
      if (value == null) {
        throw new MemcachedPageStore.SharedLayerUnavailable("purge counter lost again at once");
      }
    }
    return parseNumber(value);
  }

  @Override
  public void raiseTo(long floor) {
    long now = latest();
    if (now < floor) {
      store.call(() -> client.asyncIncr(sequenceKey, floor - now, Math.max(floor, firstNumber()), 0),
          store.timeoutMillis());
    }
  }

  @Override
  public Map<Long, String> entries(long after, long upTo) {
    List<String> keys = new ArrayList<>((int) Math.min(upTo - after, 1024));
    for (long n = after + 1; n <= upTo; n++) {
      keys.add(entryPrefix + n);
    }
    Map<String, byte[]> found = store.call(() -> client.asyncGetBulk(keys, bytes), store.timeoutMillis());
    Map<Long, String> entries = new HashMap<>();
    for (long n = after + 1; n <= upTo; n++) {
      String key = entryPrefix + n;
      byte[] value = found.get(key);
      String group = value == null || value.length > MAX_GROUP_BYTES + 64 ? null : verified(key, value);
      if (group != null) {
        entries.put(n, group);
      }
    }
    return entries;
  }

  @Override
  public Map<String, Long> lastPurges(Collection<String> groups) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String group : groups) {
      keys.put(groupKey(group), group);
    }
    Map<String, byte[]> found = store.call(() -> client.asyncGetBulk(keys.keySet(), bytes), store.timeoutMillis());
    Map<String, Long> last = new HashMap<>();
    for (Map.Entry<String, String> key : keys.entrySet()) {
      byte[] value = found.get(key.getKey());
      Long number = value == null ? null : verifiedNumber(key.getKey(), value);
      last.put(key.getValue(), number != null ? number : lost(key.getKey()));
    }
    return last;
  }

  /**
   * A record missing (evicted) or damaged or forged, though it was made before any page of its group
   * was shared: its group counts as purged now, for whoever looks it up from now on (the record says
   * so). Not published as a purge: JVMs that know the group know its purges already.
   */
  private long lost(String key) {
    long now = latest();
    byte[] value = sign(key, Long.toString(now));
    if (Boolean.TRUE.equals(store.call(() -> client.add(key, 0, value, bytes), store.timeoutMillis()))) {
      return now;
    }
    byte[] theirs = store.call(() -> client.asyncGet(key, bytes), store.timeoutMillis());
    Long number = theirs == null ? null : verifiedNumber(key, theirs);
    if (number == null) {
      // Still not readable (forged again, or lost again): say so for this lookup, and overwrite it.
      store.call(() -> client.set(key, 0, value, bytes), store.timeoutMillis());
      return now;
    }
    return number;
  }

  @Override
  public void ensureRecorded(Collection<String> groups, long pageSequence) {
    if (pageSequence <= 0) {
      // Rendered before this JVM first read the log: its number says nothing; it stays in this JVM.
      throw new MemcachedPageStore.SharedLayerUnavailable("rendered before the purge log was read");
    }
    List<OperationFuture<Boolean>> adds = new ArrayList<>(groups.size());
    List<String> sent = new ArrayList<>(groups.size());
    for (String group : groups) {
      if (recorded.getIfPresent(group) != null) {
        continue;
      }
      sent.add(group);
      String key = groupKey(group);
      // Missing now may mean lost after a purge: purged as of this page, so only older pages pay.
      byte[] asOfThisPage = sign(key, Long.toString(pageSequence));
      adds.add(store.send(() -> client.add(key, 0, asOfThisPage, bytes)));
    }
    for (OperationFuture<Boolean> add : adds) {
      store.call(() -> add, store.timeoutMillis()); // false: it exists, as it should
    }
    for (String group : sent) {
      recorded.put(group, Boolean.TRUE);
    }
  }

  /** The counter's first value: microseconds since the epoch, above any number a lost counter gave. */
  private long firstNumber() {
    return clock.millis() * 1000;
  }

  private String groupKey(String group) {
    return SafeKeys.of(groupPrefix, group);
  }

  private Long verifiedNumber(String key, byte[] value) {
    String text = verified(key, value);
    if (text == null) {
      return null;
    }
    try {
      long number = Long.parseLong(text);
      return number < 0 ? null : number;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long parseNumber(byte[] value) {
    try {
      return Long.parseLong(new String(value, StandardCharsets.US_ASCII).trim());
    } catch (NumberFormatException e) {
      throw new MemcachedPageStore.SharedLayerUnavailable("purge counter is not a number");
    }
  }

  /** The text, with its signature when there is a secret: {@code text} or {@code text|mac}. */
  private byte[] sign(String key, String text) {
    if (secret == null) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    return (text + "|" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(key, text)))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The text of a record that verifies, or null. */
  private String verified(String key, byte[] value) {
    String stored = new String(value, StandardCharsets.UTF_8);
    if (secret == null) {
      return stored.isEmpty() ? null : stored;
    }
    int bar = stored.lastIndexOf('|');
    if (bar <= 0) {
      return null;
    }
    String text = stored.substring(0, bar);
    byte[] claimed;
    try {
      claimed = Base64.getUrlDecoder().decode(stored.substring(bar + 1));
    } catch (IllegalArgumentException e) {
      return null;
    }
    return MessageDigest.isEqual(claimed, mac(key, text)) ? text : null;
  }

  private byte[] mac(String key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(key.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) '\n');
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }

  @Override
  public String toString() {
    return "memcached purge log " + sequenceKey + (secret == null ? "" : " (signed)");
  }
}
