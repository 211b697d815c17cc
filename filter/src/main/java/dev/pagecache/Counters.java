package dev.pagecache;

import dev.pagecache.internal.policy.Reason;
import dev.pagecache.internal.policy.SteeringHeaders;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.RuleSet;
import dev.pagecache.store.StoreStats;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/** Contention-free counters behind {@link PageCacheStats}. */
final class Counters {
  /**
   * The counters of one rule, made at start-up for each rule of the set (which never changes), so
   * that counting costs a hit one more uncontended add, and no lookup by name.
   */
  static final class RuleCounters {
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder stores = new LongAdder();
    final LongAdder staleServed = new LongAdder();
    final LongAdder notStored = new LongAdder();
    final LongAdder bypassed = new LongAdder();

    PageCacheStats.RuleStats snapshot() {
      return new PageCacheStats.RuleStats(hits.sum(), misses.sum(), stores.sum(), staleServed.sum(), notStored.sum(),
          bypassed.sum());
    }
  }

  /** For a rule of no set this cache knows (none in practice): counted, and reported nowhere. */
  private static final RuleCounters UNLISTED = new RuleCounters();

  /** By rule object: rules do not define equality, and two rules may share a pattern. Never written after construction. */
  private final IdentityHashMap<CacheRule, RuleCounters> byRule = new IdentityHashMap<>();
  private final Map<String, RuleCounters> byName = new LinkedHashMap<>();

  final LongAdder hits = new LongAdder();
  final LongAdder sharedHits = new LongAdder();
  final LongAdder notModified = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder stores = new LongAdder();
  final LongAdder storeErrors = new LongAdder();
  final LongAdder invalidations = new LongAdder();
  final LongAdder coalescedWaits = new LongAdder();
  final LongAdder coalescedHits = new LongAdder();
  final LongAdder coalesceTimeouts = new LongAdder();
  final LongAdder staleServed = new LongAdder();
  final LongAdder staleIfErrorServed = new LongAdder();
  final LongAdder refreshes = new LongAdder();
  final LongAdder refreshFailures = new LongAdder();
  final LongAdder revalidations = new LongAdder();
  final LongAdder revalidationsNotModified = new LongAdder();
  final LongAdder revalidationsReplaced = new LongAdder();
  final LongAdder revalidationFailures = new LongAdder();
  final LongAdder purgeRequests = new LongAdder();
  final LongAdder purgeRefused = new LongAdder();
  final LongAdder compressions = new LongAdder();
  final LongAdder compressionNanos = new LongAdder();
  final LongAdder compressionFailures = new LongAdder();
  final LongAdder compressedBytesSaved = new LongAdder();
  final LongAdder gzipForms = new LongAdder();
  final LongAdder brotliForms = new LongAdder();
  final LongAdder encodedHits = new LongAdder();
  private final EnumMap<Reason, LongAdder> reasons = new EnumMap<>(Reason.class);
  /** By position in {@link SteeringHeaders#DEFAULT}. */
  private final LongAdder[] steeringKeyed = new LongAdder[SteeringHeaders.DEFAULT.size()];

  Counters(RuleSet rules) {
    Set<String> patterns = new HashSet<>();
    List<CacheRule> list = rules.rules();
    for (int i = 0; i < list.size(); i++) {
      CacheRule rule = list.get(i);
      RuleCounters counters = new RuleCounters();
      byRule.put(rule, counters);
      String pattern = rule.path().source();
      byName.put(patterns.add(pattern) ? pattern
          : pattern + (rule.line() > 0 ? " (line " + rule.line() + ")" : " #" + (i + 1)), counters);
    }
    for (Reason reason : Reason.values()) {
      reasons.put(reason, new LongAdder());
    }
    for (int i = 0; i < steeringKeyed.length; i++) {
      steeringKeyed[i] = new LongAdder();
    }
  }

  /** One page compressed (once, at store time) into {@code forms}; bytes saved are the best form's. */
  void compressed(Map<dev.pagecache.internal.http.ContentCoding, byte[]> forms, int identityLength, long nanos) {
    compressions.increment();
    compressionNanos.add(nanos);
    int smallest = identityLength;
    for (Map.Entry<dev.pagecache.internal.http.ContentCoding, byte[]> form : forms.entrySet()) {
      (form.getKey() == dev.pagecache.internal.http.ContentCoding.GZIP ? gzipForms : brotliForms).increment();
      smallest = Math.min(smallest, form.getValue().length);
    }
    compressedBytesSaved.add(identityLength - smallest);
  }

  private Map<String, Long> encodings() {
    Map<String, Long> encodings = new HashMap<>();
    encodings.put("compressions", compressions.sum());
    encodings.put("compressionMicros", compressionNanos.sum() / 1000);
    encodings.put("compressionFailures", compressionFailures.sum());
    encodings.put("gzipForms", gzipForms.sum());
    encodings.put("brotliForms", brotliForms.sum());
    encodings.put("bytesSavedPerHit", compressedBytesSaved.sum());
    encodings.put("encodedHits", encodedHits.sum());
    return encodings;
  }

  void count(Reason reason) {
    reasons.get(reason).increment();
  }

  /** Counts {@code reason}, and the request or response under its rule. */
  void count(Reason reason, RuleCounters rule) {
    count(reason);
    (reason.isBypass() ? rule.bypassed : rule.notStored).increment();
  }

  /** The counters of {@code rule}, one of the set this cache was made with. */
  RuleCounters of(CacheRule rule) {
    RuleCounters counters = byRule.get(rule);
    return counters == null ? UNLISTED : counters;
  }

  /**
   * Counts a request keyed by the steering headers it carries ({@code name=value} pairs). Behind a
   * balancer that is every request, hits included: nothing is allocated.
   */
  void steeringKeyed(List<String> pairs) {
    for (String pair : pairs) {
      for (int i = 0; i < steeringKeyed.length; i++) {
        String name = SteeringHeaders.DEFAULT.get(i);
        if (pair.startsWith(name) && pair.length() > name.length() && pair.charAt(name.length()) == '=') {
          steeringKeyed[i].increment();
          break;
        }
      }
    }
  }

  PageCacheStats snapshot(StoreStats store, Map<String, Long> purges) {
    Map<String, Long> steered = new HashMap<>();
    for (int i = 0; i < steeringKeyed.length; i++) {
      long count = steeringKeyed[i].sum();
      if (count > 0) {
        steered.put(SteeringHeaders.DEFAULT.get(i), count);
      }
    }
    Map<String, Long> bypassed = new HashMap<>();
    Map<String, Long> notStored = new HashMap<>();
    reasons.forEach((reason, count) -> {
      long value = count.sum();
      if (value > 0) {
        (reason.isBypass() ? bypassed : notStored).put(reason.detail(), value);
      }
    });
    Map<String, PageCacheStats.RuleStats> perRule = new LinkedHashMap<>();
    byName.forEach((name, counters) -> perRule.put(name, counters.snapshot()));
    return new PageCacheStats(hits.sum(), sharedHits.sum(), notModified.sum(), misses.sum(), stores.sum(), bypassed,
        notStored, storeErrors.sum(), invalidations.sum(), store.entries(), store.weightedBytes(),
        store.maxBytes(), store.evictedForSize(), store.expired(), store.sharedLayer(), store.sharedLatency(),
        coalescedWaits.sum(), coalescedHits.sum(), coalesceTimeouts.sum(),
        staleServed.sum(), staleIfErrorServed.sum(), refreshes.sum(), refreshFailures.sum(), steered, purges,
        purgeRequests.sum(), purgeRefused.sum(), new PageCacheStats.Revalidations(revalidations.sum(),
            revalidationsNotModified.sum(), revalidationsReplaced.sum(), revalidationFailures.sum()), encodings(),
        perRule);
  }
}
