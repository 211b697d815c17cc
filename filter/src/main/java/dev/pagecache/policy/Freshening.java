package dev.pagecache.policy;

import dev.pagecache.http.EntityTag;
import dev.pagecache.http.HeaderNames;
import dev.pagecache.http.Headers;
import dev.pagecache.http.HttpDates;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.store.CachedPage;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A stored page brought up to date by the origin's {@code 304 Not Modified} (RFC 9111 §4.3.4):
 * the fields the 304 carries replace the stored ones, the body stays, and the lifetime is worked
 * out again as for a new response, from the merged fields and the time the 304 arrived.
 */
public final class Freshening {
  /**
   * Fields a 304 never changes in a stored copy (RFC 9111 §3.2): they describe the stored body,
   * which the 304 does not carry, or this one transfer.
   */
  private static final Set<String> NOT_UPDATED = HeaderNames.setOf(
      "Content-Length", "Content-Type", "Content-Encoding", "Content-Range", "Transfer-Encoding");

  private Freshening() {}

  /**
   * The freshened page, and whether it may be stored. When it may not (the 304 set a cookie, now
   * says {@code no-store}...), {@code page} is still what the client of the revalidation gets.
   */
  public record Freshened(CachedPage page, Storability decided) {}

  /**
   * Whether the 304 vouches for the stored page (RFC 9111 §4.3.4): the validators it carries, if
   * any, are the stored page's. An origin whose page changed validators meanwhile may answer a
   * 304 about another representation than the one stored.
   */
  public static boolean vouchesFor(CachedPage stored, Headers notModified) {
    Optional<EntityTag> etag = notModified.first("ETag").flatMap(EntityTag::parse);
    if (etag.isPresent() && stored.originEtag().map(ours -> !ours.weaklyMatches(etag.get())).orElse(true)) {
      return false;
    }
    Optional<Instant> lastModified = notModified.first("Last-Modified").flatMap(HttpDates::parse);
    return lastModified.isEmpty() || stored.lastModified().map(lastModified.get()::equals).orElse(true);
  }

  /** The stored fields with those of the 304 in place of theirs, as RFC 9111 §3.2 says. */
  public static Headers mergedFields(CachedPage stored, Headers notModified) {
    Headers.Builder merged = stored.headers().toBuilder();
    if (stored.originEtag().isEmpty()) {
      merged.remove("ETag"); // the content hash this cache made: worked out again from the same body
    }
    Set<String> replaced = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (Headers.Field field : notModified.fields()) {
      if (NOT_UPDATED.contains(field.name())) {
        continue;
      }
      if (replaced.add(field.name())) {
        merged.remove(field.name());
      }
      for (String value : field.values()) {
        merged.add(field.name(), value);
      }
    }
    return merged.build();
  }

  /**
   * @param request the request whose revalidation this was
   * @param stored the stale page the revalidation asked about
   * @param notModified the origin's 304, as {@link #vouchesFor} accepted it
   * @param receivedAt when the 304 arrived
   * @param sentAt the {@code Date} of the 304, unless it carries its own
   */
  public static Freshened freshen(RequestView request, CachedPage stored, ResponseView notModified, CacheRule rule,
      Instant receivedAt, Instant sentAt) {
    Headers merged = mergedFields(stored, notModified.headers());
    ResponseView asStored = new ResponseView(stored.status(), merged, stored.contentType(), notModified.setsCookie(),
        notModified.usedSession(), false);
    Storability decided = StoragePolicy.storability(request, asStored, rule, receivedAt);
    Storability.Store times = decided instanceof Storability.Store store
        ? store : new Storability.Store(receivedAt, java.time.Duration.ZERO);
    byte[] body = new byte[stored.bodyLength()];
    stored.body().get(body);
    CachedPage page = Snapshots.create(asStored, rule, body, times, Staleness.windows(merged, rule), receivedAt, sentAt,
        false, null);
    return new Freshened(page, decided);
  }
}
