package dev.pagecache.internal.policy;

import dev.pagecache.internal.http.EntityTag;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.internal.store.Representation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates {@code If-None-Match} and {@code If-Modified-Since} against a stored page
 * (RFC 9110 §13.2.2, with the cache's view of RFC 9111 §4.3.2). {@code If-Match} and
 * {@code If-Unmodified-Since} never get here: {@link RequestPolicy} sends them to the origin.
 */
public final class ConditionalRequests {
  private ConditionalRequests() {}

  /** Whether a {@code GET} or {@code HEAD} for {@code page}'s body as the origin sent it is answered with 304. */
  public static boolean notModified(RequestView request, CachedPage page) {
    return notModified(request, page, page.originRepresentation());
  }

  /**
   * Whether a {@code GET} or {@code HEAD} answered with {@code chosen}, one of {@code page}'s
   * forms, is answered with 304 Not Modified: {@code If-None-Match} is compared with that form's
   * own tag, so a client holding the gzip body does not get a 304 for the identity one.
   */
  public static boolean notModified(RequestView request, CachedPage page, Representation chosen) {
    // RFC 9110 §13.2.1: preconditions apply only when the response would otherwise be 2xx.
    if (page.status() < 200 || page.status() >= 300 || page.isErrorReplay()) {
      return false;
    }
    // Step 3: If-None-Match, when present, decides alone (weak comparison, §13.1.2).
    List<String> ifNoneMatch = request.headers("If-None-Match");
    if (!ifNoneMatch.isEmpty()) {
      if (EntityTag.isWildcard(ifNoneMatch)) {
        return true;
      }
      Optional<EntityTag> current = chosen.etag();
      if (current.isEmpty()) {
        return false;
      }
      for (EntityTag candidate : EntityTag.parseList(ifNoneMatch)) {
        if (candidate.weaklyMatches(current.get())) {
          return true;
        }
      }
      return false;
    }
    // Step 4: If-Modified-Since, against Last-Modified, else the stored Date (RFC 9111 §4.3.2).
    Optional<String> ifModifiedSince = request.header("If-Modified-Since");
    if (ifModifiedSince.isEmpty()) {
      return false;
    }
    // Browsers send back the very text they were given: answer that without parsing a date.
    String validator = page.lastModified().isPresent() ? page.headers().first("Last-Modified").orElse(null)
        : page.dateHeader();
    if (ifModifiedSince.get().equals(validator)) {
      return true;
    }
    Optional<Instant> since = HttpDates.parse(ifModifiedSince.get());
    if (since.isEmpty()) {
      return false;
    }
    Instant lastModified = page.lastModified().orElse(page.date());
    return !lastModified.isAfter(since.get());
  }
}
