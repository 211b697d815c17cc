package dev.pagecache.internal.policy;

import dev.pagecache.internal.http.EntityTag;
import dev.pagecache.internal.http.HeaderNames;
import dev.pagecache.internal.http.Headers;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.internal.store.CachedPage;
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

  /** What a {@code HEAD} answered by the origin does to the stored {@code GET} page (RFC 9111 §4.3.5). */
  public enum HeadOutcome {
    /** Its validators and length are the stored page's: freshen it, as a 304 would. */
    FRESHEN,
    /** An {@code ETag}, {@code Last-Modified} or {@code Content-Length} differs: the stored page is out of date. */
    INVALIDATE,
    /** It carries nothing to compare: leave the stored page alone. */
    NOTHING
  }

  /**
   * @param head the fields of the origin's 200 answer to a {@code HEAD}, {@code Content-Length} included
   */
  public static HeadOutcome afterHead(CachedPage stored, Headers head) {
    Optional<EntityTag> etag = head.first("ETag").flatMap(EntityTag::parse);
    Optional<Instant> lastModified = head.first("Last-Modified").flatMap(HttpDates::parse);
    Optional<Long> length = head.first("Content-Length").flatMap(Freshening::length);
    if (etag.isEmpty() && lastModified.isEmpty() && length.isEmpty()) {
      return HeadOutcome.NOTHING;
    }
    boolean differs = etag.isPresent() && !stored.originEtag().equals(etag)
        || lastModified.isPresent() && !lastModified.equals(stored.lastModified())
        || length.isPresent() && length.get() != stored.bodyLength();
    return differs ? HeadOutcome.INVALIDATE : HeadOutcome.FRESHEN;
  }

  private static Optional<Long> length(String value) {
    try {
      long parsed = Long.parseLong(value.trim());
      return parsed < 0 ? Optional.empty() : Optional.of(parsed);
    } catch (NumberFormatException notANumber) {
      return Optional.empty();
    }
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
    // The stored page answers GETs, whichever request brought the update (a HEAD, RFC 9111 §4.3.5).
    Storability decided = StoragePolicy.storability(asGet(request), asStored, rule, receivedAt);
    Storability.Store times = decided instanceof Storability.Store store
        ? store : new Storability.Store(receivedAt, java.time.Duration.ZERO);
    byte[] body = new byte[stored.bodyLength()];
    stored.body().get(body);
    CachedPage page = Snapshots.create(asStored, rule, body, times, Staleness.windows(merged, rule), receivedAt, sentAt,
        false, null);
    // Same body, same compressed forms: unless the origin now says no-transform.
    if (Compression.applies(page, rule)) {
      page = page.withEncodedFrom(stored);
    }
    return new Freshened(page, decided);
  }

  private static RequestView asGet(RequestView request) {
    if (request.method().equals("GET")) {
      return request;
    }
    return new RequestView() {
      @Override
      public String method() {
        return "GET";
      }

      @Override
      public String scheme() {
        return request.scheme();
      }

      @Override
      public String host() {
        return request.host();
      }

      @Override
      public int port() {
        return request.port();
      }

      @Override
      public String path() {
        return request.path();
      }

      @Override
      public String rawPath() {
        return request.rawPath();
      }

      @Override
      public Optional<String> query() {
        return request.query();
      }

      @Override
      public java.util.List<String> headers(String name) {
        return request.headers(name);
      }

      @Override
      public Optional<String> cookie(String name) {
        return request.cookie(name);
      }

      @Override
      public boolean authenticated() {
        return request.authenticated();
      }

      @Override
      public SessionId sessionId() {
        return request.sessionId();
      }
    };
  }
}
