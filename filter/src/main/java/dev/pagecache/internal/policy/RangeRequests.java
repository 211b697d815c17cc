package dev.pagecache.internal.policy;

import dev.pagecache.internal.http.ByteRange;
import dev.pagecache.internal.http.EntityTag;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.internal.store.CachedPage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates {@code Range} and {@code If-Range} (RFC 9110 §14 and §13.1.5) against one complete
 * representation the cache holds: the whole of it, one slice, or 416. Only a single byte range is
 * honoured; several ranges get the whole representation, as §14.2 allows.
 *
 * <p>It works on a {@link Representation}, not a stored page: the body the client would get (in
 * the encoding chosen for it) and that body's validators, since a range is a range of those bytes.
 * The caller evaluates {@code If-None-Match} / {@code If-Modified-Since} first (§13.2.2: a 304
 * comes before any range).
 */
public final class RangeRequests {
  /** Longer {@code If-Range} values are neither an entity tag nor a date we would have sent. */
  private static final int MAX_IF_RANGE_LENGTH = 256;

  private RangeRequests() {}

  /**
   * The representation a range is taken from, as the client would get it whole.
   *
   * @param length its body length in bytes
   * @param etag its entity tag, if it has one
   * @param lastModified its {@code Last-Modified}, if it has one
   * @param date its {@code Date}: a {@code Last-Modified} is a strong validator only when at
   *     least a second earlier (RFC 9110 §8.8.2.2)
   */
  public record Representation(long length, Optional<EntityTag> etag, Optional<Instant> lastModified, Instant date) {}

  /**
   * Whether a range may be taken from a stored page: a 200 the origin answered itself (an error
   * page the container renders again has no stored body to slice).
   */
  public static boolean rangeable(CachedPage page) {
    return page.status() == 200 && !page.isErrorReplay();
  }

  /** The identity representation of a stored page, when it is {@link #rangeable}. */
  public static Optional<Representation> of(CachedPage page) {
    return rangeable(page) ? Optional.of(of(page, page.originRepresentation())) : Optional.empty();
  }

  /**
   * The form {@code chosen} of a {@link #rangeable} page (one of its {@link CachedPage#representations()}):
   * offsets count bytes of that form, and {@code If-Range} compares that form's own entity tag.
   */
  public static Representation of(CachedPage page, dev.pagecache.internal.store.Representation chosen) {
    return new Representation(chosen.length(), chosen.etag(), page.lastModified(), page.date());
  }

  /** How {@code request} is answered from {@code representation}. */
  public static RangeAnswer answer(RequestView request, Representation representation) {
    // §14.2: Range applies to GET only; HEAD and everything else get the whole answer.
    if (!request.method().equals("GET")) {
      return RangeAnswer.WHOLE;
    }
    List<String> rangeLines = request.headers("Range");
    if (rangeLines.isEmpty()) {
      return RangeAnswer.WHOLE;
    }
    Optional<ByteRange> range = ByteRange.parse(rangeLines);
    if (range.isEmpty()) {
      return RangeAnswer.WHOLE;
    }
    List<String> ifRange = request.headers("If-Range");
    if (!ifRange.isEmpty() && !ifRangeHolds(ifRange, representation)) {
      return RangeAnswer.WHOLE; // §13.1.5: the client's copy is not this one: send it whole
    }
    long length = representation.length();
    if (length == 0) {
      return RangeAnswer.WHOLE; // nothing to slice; a suffix would be "satisfiable" with no bytes to send
    }
    Optional<ByteRange.Slice> slice = range.get().within(length);
    if (slice.isEmpty()) {
      return new RangeAnswer.Unsatisfiable(length);
    }
    return new RangeAnswer.Partial(slice.get().first(), slice.get().last(), length);
  }

  /**
   * RFC 9110 §13.1.5: an entity tag must match the current one by the strong comparison; a date
   * must equal {@code Last-Modified} exactly, and that must be a strong validator.
   */
  static boolean ifRangeHolds(List<String> fieldLines, Representation representation) {
    if (fieldLines.size() != 1) {
      return false;
    }
    String value = fieldLines.get(0);
    if (value == null || value.length() > MAX_IF_RANGE_LENGTH) {
      return false;
    }
    String trimmed = value.trim();
    if (trimmed.startsWith("\"") || trimmed.startsWith("W/")) {
      Optional<EntityTag> sent = EntityTag.parse(trimmed);
      return sent.isPresent() && representation.etag().isPresent()
          && sent.get().stronglyMatches(representation.etag().get());
    }
    Optional<Instant> sent = HttpDates.parse(trimmed);
    if (sent.isEmpty() || representation.lastModified().isEmpty()) {
      return false;
    }
    Instant lastModified = representation.lastModified().get();
    return sent.get().equals(lastModified) && !lastModified.isAfter(representation.date().minusSeconds(1));
  }
}
