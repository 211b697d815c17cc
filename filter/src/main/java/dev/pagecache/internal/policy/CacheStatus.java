package dev.pagecache.internal.policy;

import java.util.EnumMap;

/** RFC 9211 {@code Cache-Status} values, built once so a hit formats nothing. */
public final class CacheStatus {
  public static final String HEADER = "Cache-Status";
  public static final String HIT = "pagecache; hit";
  /** A hit on a page another JVM rendered, found in the shared layer. */
  public static final String HIT_SHARED = "pagecache; hit; detail=shared";
  /** A hit on the page another request was rendering when this one arrived (RFC 9211 collapsed). */
  public static final String HIT_COLLAPSED = "pagecache; hit; collapsed";
  /** A hit on the page another JVM of the fleet was rendering, found in the shared layer. */
  public static final String HIT_COLLAPSED_SHARED = "pagecache; hit; collapsed; detail=shared";
  /** An expired page served while one request renders its successor. */
  public static final String HIT_STALE = "pagecache; hit; detail=stale";
  /** An expired page served because rendering its successor failed. */
  public static final String HIT_STALE_IF_ERROR = "pagecache; hit; detail=stale-if-error";
  public static final String URI_MISS_STORED = "pagecache; fwd=uri-miss; stored";
  public static final String VARY_MISS_STORED = "pagecache; fwd=vary-miss; stored";
  /** A stored page stopped by a purge since its render, and its successor stored. */
  public static final String PURGED_STORED = "pagecache; fwd=stale; stored; detail=purged";
  public static final String METHOD = "pagecache; fwd=method";
  /** An expired page the origin said was not modified: freshened, stored and served (RFC 9211 fwd-status). */
  public static final String REVALIDATED_STORED = "pagecache; fwd=stale; fwd-status=304; stored";
  /** An expired page replaced by the origin's new answer to its revalidation. */
  public static final String STALE_STORED = "pagecache; fwd=stale; stored";

  /** Why a request went forward (RFC 9211 {@code fwd}) when it was not answered from the cache. */
  public enum Fwd {
    /** Nothing stored for the URL. */
    URI_MISS,
    /** The URL is stored, but not this request's variant. */
    VARY_MISS,
    /** A page was stored, but a purge since its render stopped it. */
    PURGED,
    /** An expired page was stored, and the origin was asked whether it changed. */
    STALE
  }

  private static final EnumMap<Reason, String> BYPASS = new EnumMap<>(Reason.class);
  private static final EnumMap<Reason, String> URI_MISS_NOT_STORED = new EnumMap<>(Reason.class);
  private static final EnumMap<Reason, String> VARY_MISS_NOT_STORED = new EnumMap<>(Reason.class);
  private static final EnumMap<Reason, String> PURGED_NOT_STORED = new EnumMap<>(Reason.class);

  static {
    for (Reason reason : Reason.values()) {
      BYPASS.put(reason, "pagecache; fwd=bypass; detail=" + reason.detail());
      URI_MISS_NOT_STORED.put(reason, "pagecache; fwd=uri-miss; detail=" + reason.detail());
      VARY_MISS_NOT_STORED.put(reason, "pagecache; fwd=vary-miss; detail=" + reason.detail());
      PURGED_NOT_STORED.put(reason, "pagecache; fwd=stale; detail=" + reason.detail());
    }
  }

  private CacheStatus() {}

  public static String bypass(Reason reason) {
    return BYPASS.get(reason);
  }

  /** RFC 9211 §2: a cache adds its entry after those of the caches nearer the origin. */
  public static String afterUpstream(java.util.Collection<String> upstream, String ours) {
    return upstream.isEmpty() ? ours : String.join(", ", upstream) + ", " + ours;
  }

  /** A miss that was stored ({@code notStoredBecause} null) or not, and why. */
  public static String miss(Fwd fwd, Reason notStoredBecause) {
    if (notStoredBecause == null) {
      return switch (fwd) {
        case URI_MISS -> URI_MISS_STORED;
        case VARY_MISS -> VARY_MISS_STORED;
        case PURGED -> PURGED_STORED;
        case STALE -> STALE_STORED;
      };
    }
    return (switch (fwd) {
      case URI_MISS -> URI_MISS_NOT_STORED;
      case VARY_MISS -> VARY_MISS_NOT_STORED;
      case PURGED, STALE -> PURGED_NOT_STORED;
    }).get(notStoredBecause);
  }

  /** A revalidation the origin answered 304: the freshened page stored ({@code notStoredBecause} null) or not. */
  public static String revalidated(Reason notStoredBecause) {
    return notStoredBecause == null ? REVALIDATED_STORED
        : "pagecache; fwd=stale; fwd-status=304; detail=" + notStoredBecause.detail();
  }
}
