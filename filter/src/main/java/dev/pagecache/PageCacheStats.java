package dev.pagecache;

import dev.pagecache.store.Latency;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of what the cache has done since it started and what it holds now.
 *
 * @param hits requests answered from the cache (304s included)
 * @param sharedHits of those, hits on pages found in the shared layer (memcached), rendered by another JVM
 * @param notModified hits answered with 304 Not Modified
 * @param misses requests that matched a rule, found nothing fresh, and went to the origin
 * @param stores responses stored
 * @param bypassed requests that skipped the cache, by reason ({@code no-rule}, {@code authorization}...)
 * @param notStored misses whose response was not stored, by reason ({@code set-cookie}, {@code too-large}...)
 * @param storeErrors store calls that failed and fell back to the origin
 * @param invalidations URLs purged, by unsafe requests or by {@link PageCache#purge}
 * @param entries entries held now (pages and variant indexes)
 * @param bytes the weighed size of those entries
 * @param maxBytes the bound on {@code bytes}
 * @param evictedForSize entries dropped from this JVM's memory to make room for others
 * @param expired entries dropped from this JVM's memory because they could no longer be served nor
 *     revalidated (purged and replaced entries are neither)
 * @param sharedLayer the shared layer's counters (hits, misses, errors, timeouts, oversize, chunked
 *     reads and writes, decode failures, breaker state...); empty without memcached
 * @param sharedLatency how long calls to the shared layer took, by operation ({@code get}, {@code put},
 *     {@code remove}, {@code clear}, {@code lease}, {@code release}, {@code lease-check}); empty without one
 * @param coalescedWaits misses that waited for another request's render of the same page
 * @param coalescedHits of those, the ones answered from that render (counted in {@code hits} too)
 * @param coalesceTimeouts waits for another render that took longer than the rule allows
 * @param staleServed expired pages served while one request rendered their successor (hits too)
 * @param staleIfErrorServed expired pages served because rendering their successor failed (hits too)
 * @param refreshes renders of a successor started after serving a stale page
 * @param refreshFailures of those, the ones that threw or produced nothing storable
 * @param steeringKeyed requests whose key held a steering header ({@code X-Forwarded-Host}...), by header name
 * @param purges purges published and received across the fleet, pages found purged, and whether
 *     this JVM is in step with the fleet's purge log ({@code inSync})
 * @param purgeRequests requests the purge endpoint answered ({@code PURGE}, and every method on its path)
 * @param purgeRefused of those, the ones refused for their token (401) or address (403)
 * @param revalidations expired pages the origin was asked about ({@code If-None-Match} /
 *     {@code If-Modified-Since}), and what it answered
 * @param encodings stored compression: pages compressed ({@code compressions}) and the time it took
 *     ({@code compressionMicros}), {@code gzipForms} and {@code brotliForms} made, {@code bytesSavedPerHit}
 *     summed over those pages (identity minus the smallest form), failures, and hits sent compressed
 *     ({@code encodedHits})
 * @param rules figures per rule, in the order of the rule set, for each of its rules (requests that
 *     match no rule are in no rule's figures). A rule's name is its path pattern as written
 *     ({@code /wiki/*}); when an earlier rule has the same pattern (a rule for other methods), it is
 *     followed by {@code " (line N)"}, its line in the rules file, or {@code " #N"}, its position in
 *     the set, for a rule made in code
 */
public record PageCacheStats(
    long hits,
    long sharedHits,
    long notModified,
    long misses,
    long stores,
    Map<String, Long> bypassed,
    Map<String, Long> notStored,
    long storeErrors,
    long invalidations,
    long entries,
    long bytes,
    long maxBytes,
    long evictedForSize,
    long expired,
    Map<String, Long> sharedLayer,
    Map<String, Latency> sharedLatency,
    long coalescedWaits,
    long coalescedHits,
    long coalesceTimeouts,
    long staleServed,
    long staleIfErrorServed,
    long refreshes,
    long refreshFailures,
    Map<String, Long> steeringKeyed,
    Map<String, Long> purges,
    long purgeRequests,
    long purgeRefused,
    Revalidations revalidations,
    Map<String, Long> encodings,
    Map<String, RuleStats> rules) {

  /**
   * @param started revalidations sent to the origin (for a client, or in the background)
   * @param notModified of those, answered 304: the stored page freshened, its body kept
   * @param replaced answered with a new page, which replaced the stored one
   * @param failed neither: an error, an exception, or an answer that could not be stored
   */
  public record Revalidations(long started, long notModified, long replaced, long failed) {
    String toJson() {
      return "{\"started\":" + started + ",\"notModified\":" + notModified + ",\"replaced\":" + replaced
          + ",\"failed\":" + failed + "}";
    }
  }

  /**
   * What the requests one rule matched came to. A request counts under the first rule that matches
   * it, the one that decided for it.
   *
   * @param hits requests answered from the cache (304s and stale pages included)
   * @param misses requests that found nothing fresh and went to the origin
   * @param stores responses stored
   * @param staleServed expired pages served while one request rendered their successor (hits too)
   * @param notStored responses not stored, for any reason
   * @param bypassed requests that skipped the cache (the rule excludes them, an {@code Authorization}
   *     header, a session...)
   */
  public record RuleStats(long hits, long misses, long stores, long staleServed, long notStored, long bypassed) {
    String toJson() {
      return "{\"hits\":" + hits + ",\"misses\":" + misses + ",\"stores\":" + stores + ",\"staleServed\":"
          + staleServed + ",\"notStored\":" + notStored + ",\"bypassed\":" + bypassed + "}";
    }
  }

  /**
   * Makes a snapshot; the maps are copied, so it stays as it was taken. Each value means what the
   * record's description says.
   *
   * @param hits see {@link #hits()}
   * @param sharedHits see {@link #sharedHits()}
   * @param notModified see {@link #notModified()}
   * @param misses see {@link #misses()}
   * @param stores see {@link #stores()}
   * @param bypassed see {@link #bypassed()}
   * @param notStored see {@link #notStored()}
   * @param storeErrors see {@link #storeErrors()}
   * @param invalidations see {@link #invalidations()}
   * @param entries see {@link #entries()}
   * @param bytes see {@link #bytes()}
   * @param maxBytes see {@link #maxBytes()}
   * @param evictedForSize see {@link #evictedForSize()}
   * @param expired see {@link #expired()}
   * @param sharedLayer see {@link #sharedLayer()}
   * @param sharedLatency see {@link #sharedLatency()}
   * @param coalescedWaits see {@link #coalescedWaits()}
   * @param coalescedHits see {@link #coalescedHits()}
   * @param coalesceTimeouts see {@link #coalesceTimeouts()}
   * @param staleServed see {@link #staleServed()}
   * @param staleIfErrorServed see {@link #staleIfErrorServed()}
   * @param refreshes see {@link #refreshes()}
   * @param refreshFailures see {@link #refreshFailures()}
   * @param steeringKeyed see {@link #steeringKeyed()}
   * @param purges see {@link #purges()}
   * @param purgeRequests see {@link #purgeRequests()}
   * @param purgeRefused see {@link #purgeRefused()}
   * @param revalidations see {@link #revalidations()}
   * @param encodings see {@link #encodings()}
   * @param rules see {@link #rules()}
   */
  public PageCacheStats {
    rules = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rules));
    sharedLatency = Map.copyOf(sharedLatency);
    purges = Map.copyOf(purges);
    steeringKeyed = Map.copyOf(steeringKeyed);
    bypassed = Map.copyOf(bypassed);
    notStored = Map.copyOf(notStored);
    sharedLayer = Map.copyOf(sharedLayer);
    encodings = Map.copyOf(encodings);
  }

  /**
   * Entries dropped from this JVM's memory on the cache's own account, for either cause.
   *
   * @return {@code evictedForSize + expired}
   */
  public long evictions() {
    return evictedForSize + expired;
  }

  /**
   * Hits over requests that matched a rule and looked in the cache.
   *
   * @return the ratio, 0 before the first such request
   */
  public double hitRatio() {
    long lookups = hits + misses;
    return lookups == 0 ? 0 : (double) hits / lookups;
  }

  /**
   * The stats as a JSON object. Rule names are the application's own path patterns, escaped.
   *
   * @return the JSON text
   */
  public String toJson() {
    return "{\"hits\":" + hits + ",\"sharedHits\":" + sharedHits + ",\"notModified\":" + notModified + ",\"misses\":" + misses
        + ",\"hitRatio\":" + String.format(java.util.Locale.ROOT, "%.4f", hitRatio())
        + ",\"stores\":" + stores + ",\"bypassed\":" + json(bypassed) + ",\"notStored\":" + json(notStored)
        + ",\"storeErrors\":" + storeErrors + ",\"invalidations\":" + invalidations
        + ",\"entries\":" + entries + ",\"bytes\":" + bytes + ",\"maxBytes\":" + maxBytes
        + ",\"evictions\":" + evictions() + ",\"evictedForSize\":" + evictedForSize + ",\"expired\":" + expired
        + ",\"sharedLayer\":" + json(sharedLayer) + ",\"sharedLatency\":" + latencyJson()
        + ",\"coalescedWaits\":" + coalescedWaits + ",\"coalescedHits\":" + coalescedHits
        + ",\"coalesceTimeouts\":" + coalesceTimeouts + ",\"staleServed\":" + staleServed
        + ",\"staleIfErrorServed\":" + staleIfErrorServed + ",\"refreshes\":" + refreshes
        + ",\"refreshFailures\":" + refreshFailures + ",\"steeringKeyed\":" + json(steeringKeyed)
        + ",\"purges\":" + json(purges) + ",\"purgeRequests\":" + purgeRequests
        + ",\"purgeRefused\":" + purgeRefused + ",\"revalidations\":" + revalidations.toJson()
        + ",\"encodings\":" + json(encodings) + ",\"rules\":" + rulesJson() + "}";
  }

  private String latencyJson() {
    StringBuilder json = new StringBuilder("{");
    for (Map.Entry<String, Latency> entry : new TreeMap<>(sharedLatency).entrySet()) {
      if (json.length() > 1) {
        json.append(',');
      }
      Latency latency = entry.getValue();
      json.append('"').append(entry.getKey()).append("\":{\"count\":").append(latency.count())
          .append(",\"totalNanos\":").append(latency.totalNanos()).append(",\"maxNanos\":").append(latency.maxNanos())
          .append('}');
    }
    return json.append('}').toString();
  }

  private String rulesJson() {
    StringBuilder json = new StringBuilder("{");
    for (Map.Entry<String, RuleStats> entry : rules.entrySet()) {
      if (json.length() > 1) {
        json.append(',');
      }
      json.append(jsonString(entry.getKey())).append(':').append(entry.getValue().toJson());
    }
    return json.append('}').toString();
  }

  private static String jsonString(String text) {
    StringBuilder json = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
        json.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"').toString();
  }

  private static String json(Map<String, Long> counts) {
    StringBuilder json = new StringBuilder("{");
    for (Map.Entry<String, Long> entry : new TreeMap<>(counts).entrySet()) {
      if (json.length() > 1) {
        json.append(',');
      }
      json.append('"').append(entry.getKey()).append("\":").append(entry.getValue());
    }
    return json.append('}').toString();
  }
}
