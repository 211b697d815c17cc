package dev.pagecache;

import dev.pagecache.policy.Reason;
import dev.pagecache.store.StoreStats;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Contention-free counters behind {@link PageCacheStats}. */
final class Counters {
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
  private final EnumMap<Reason, LongAdder> reasons = new EnumMap<>(Reason.class);
  private final ConcurrentHashMap<String, LongAdder> steeringKeyed = new ConcurrentHashMap<>();

  Counters() {
    for (Reason reason : Reason.values()) {
      reasons.put(reason, new LongAdder());
    }
  }

  void count(Reason reason) {
    reasons.get(reason).increment();
  }

  /** Counts a request keyed by the steering headers it carries, by name ({@code name=value} pairs). */
  void steeringKeyed(List<String> pairs) {
    for (String pair : pairs) {
      String name = pair.substring(0, pair.indexOf('='));
      steeringKeyed.computeIfAbsent(name, n -> new LongAdder()).increment();
    }
  }

  PageCacheStats snapshot(StoreStats store) {
    Map<String, Long> steered = new HashMap<>();
    steeringKeyed.forEach((name, count) -> steered.put(name, count.sum()));
    Map<String, Long> bypassed = new HashMap<>();
    Map<String, Long> notStored = new HashMap<>();
    reasons.forEach((reason, count) -> {
      long value = count.sum();
      if (value > 0) {
        (reason.isBypass() ? bypassed : notStored).put(reason.detail(), value);
      }
    });
    return new PageCacheStats(hits.sum(), sharedHits.sum(), notModified.sum(), misses.sum(), stores.sum(), bypassed,
        notStored, storeErrors.sum(), invalidations.sum(), store.entries(), store.weightedBytes(),
        store.maxBytes(), store.evictions(), store.sharedLayer(), coalescedWaits.sum(), coalescedHits.sum(), coalesceTimeouts.sum(),
        staleServed.sum(), staleIfErrorServed.sum(), refreshes.sum(), refreshFailures.sum(), steered);
  }
}
