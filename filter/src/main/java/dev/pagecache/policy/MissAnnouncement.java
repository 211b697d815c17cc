package dev.pagecache.policy;

import dev.pagecache.http.Headers;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.DownstreamCacheControl;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a miss tells the client about caching, decided on what is known when the response is about
 * to go out: its {@code Cache-Status}, and the {@code Cache-Control} it carries.
 *
 * @param cacheStatus the {@code Cache-Status} value, after any the origin (an upstream cache) sent
 * @param cacheControl the {@code Cache-Control} field values to send; empty means none
 */
public record MissAnnouncement(String cacheStatus, List<String> cacheControl) {

  /**
   * @param outlook whether the response will be stored, as far as is known
   * @param complete whether the origin has finished, so {@code outlook} is final
   * @param varyMiss whether the URL was known but not this variant
   * @param origin the fields the origin set
   */
  public static MissAnnouncement decide(Storability outlook, boolean complete, boolean varyMiss,
      CacheRule rule, Headers origin, Instant now) {
    String ours;
    List<String> cacheControl = origin.all("Cache-Control");
    if (outlook instanceof Storability.DontStore dontStore) {
      // Nothing rule-made on a response we do not keep: the origin's Cache-Control stands.
      ours = CacheStatus.miss(varyMiss, dontStore.reason());
    } else {
      // A response sent before it is whole may still grow too large or fail: promise "stored"
      // only when the origin has finished. The next request shows whether it was.
      ours = complete ? CacheStatus.miss(varyMiss, null) : CacheStatus.missUndecided(varyMiss);
      Optional<DownstreamCacheControl> downstream = rule.downstreamCacheControl();
      if (downstream.isPresent()) {
        Instant expiresAt = ((Storability.Store) outlook).expiresAt();
        cacheControl = List.of(downstream.get().render(Duration.between(now, expiresAt).getSeconds()));
      }
    }
    return new MissAnnouncement(afterUpstream(origin, ours), cacheControl);
  }

  /** RFC 9211 §2: a cache adds its entry after those of the caches nearer the origin. */
  static String afterUpstream(Headers origin, String ours) {
    List<String> upstream = origin.all(CacheStatus.HEADER);
    return upstream.isEmpty() ? ours : String.join(", ", upstream) + ", " + ours;
  }
}
