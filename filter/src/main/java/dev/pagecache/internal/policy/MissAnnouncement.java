package dev.pagecache.internal.policy;

import dev.pagecache.internal.http.Headers;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.DownstreamCacheControl;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a miss tells the client about caching, decided once the cache knows what becomes of the
 * response: its {@code Cache-Status}, and the {@code Cache-Control} it carries. Only a response
 * decided storable is given the rule's downstream {@code Cache-Control} (typically {@code public}):
 * anything else keeps the origin's, so that no shared cache further down keeps what this one would
 * not.
 *
 * @param cacheStatus the {@code Cache-Status} value, after any the origin (an upstream cache) sent
 * @param cacheControl the {@code Cache-Control} field values to send; empty means none
 */
public record MissAnnouncement(String cacheStatus, List<String> cacheControl) {

  /**
   * @param decided whether the response is stored, or why not
   * @param fwd why the request went forward: nothing stored, another variant stored, or a purged page
   * @param origin the fields the origin set
   */
  public static MissAnnouncement decide(Storability decided, CacheStatus.Fwd fwd, CacheRule rule, Headers origin,
      Instant now) {
    List<String> cacheControl = origin.all("Cache-Control");
    String ours;
    if (decided instanceof Storability.Store store) {
      ours = CacheStatus.miss(fwd, null);
      Optional<DownstreamCacheControl> downstream = rule.downstreamCacheControl();
      if (downstream.isPresent()) {
        cacheControl = List.of(downstream.get().render(Duration.between(now, store.expiresAt()).getSeconds()));
      }
    } else {
      ours = CacheStatus.miss(fwd, ((Storability.DontStore) decided).reason());
    }
    return new MissAnnouncement(afterUpstream(origin, ours), cacheControl);
  }

  /** A response that is not stored, for a reason known before or while it is rendered. */
  public static MissAnnouncement notStored(Reason reason, CacheStatus.Fwd fwd, Headers origin) {
    return new MissAnnouncement(afterUpstream(origin, CacheStatus.miss(fwd, reason)),
        origin.all("Cache-Control"));
  }

  /** RFC 9211 §2: a cache adds its entry after those of the caches nearer the origin. */
  static String afterUpstream(Headers origin, String ours) {
    return CacheStatus.afterUpstream(origin.all(CacheStatus.HEADER), ours);
  }
}
