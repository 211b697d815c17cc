package dev.pagecache;

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
 * @param evictions entries dropped for space or expiry
 * @param sharedLayer the shared layer's counters (hits, misses, errors, timeouts, oversize, chunked
 *     reads and writes, decode failures, breaker state...); empty without memcached
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
    long evictions,
    Map<String, Long> sharedLayer,
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
    Map<String, Long> encodings) {

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

  public PageCacheStats {
    purges = Map.copyOf(purges);
    steeringKeyed = Map.copyOf(steeringKeyed);
    bypassed = Map.copyOf(bypassed);
    notStored = Map.copyOf(notStored);
    sharedLayer = Map.copyOf(sharedLayer);
    encodings = Map.copyOf(encodings);
  }

  /** Hits over requests that matched a rule and looked in the cache; 0 before the first. */
  public double hitRatio() {
    long lookups = hits + misses;
    return lookups == 0 ? 0 : (double) hits / lookups;
  }

  /** The stats as a JSON object (numbers and reason names only, so no escaping is needed). */
  public String toJson() {
    return "{\"hits\":" + hits + ",\"sharedHits\":" + sharedHits + ",\"notModified\":" + notModified + ",\"misses\":" + misses
        + ",\"hitRatio\":" + String.format(java.util.Locale.ROOT, "%.4f", hitRatio())
        + ",\"stores\":" + stores + ",\"bypassed\":" + json(bypassed) + ",\"notStored\":" + json(notStored)
        + ",\"storeErrors\":" + storeErrors + ",\"invalidations\":" + invalidations
        + ",\"entries\":" + entries + ",\"bytes\":" + bytes + ",\"maxBytes\":" + maxBytes
        + ",\"evictions\":" + evictions + ",\"sharedLayer\":" + json(sharedLayer)
        + ",\"coalescedWaits\":" + coalescedWaits + ",\"coalescedHits\":" + coalescedHits
        + ",\"coalesceTimeouts\":" + coalesceTimeouts + ",\"staleServed\":" + staleServed
        + ",\"staleIfErrorServed\":" + staleIfErrorServed + ",\"refreshes\":" + refreshes
        + ",\"refreshFailures\":" + refreshFailures + ",\"steeringKeyed\":" + json(steeringKeyed)
        + ",\"purges\":" + json(purges) + ",\"purgeRequests\":" + purgeRequests
        + ",\"purgeRefused\":" + purgeRefused + ",\"revalidations\":" + revalidations.toJson()
        + ",\"encodings\":" + json(encodings) + "}";
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
