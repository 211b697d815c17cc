package dev.pagecache.internal.servlet;

import dev.pagecache.internal.http.HeaderNames;
import dev.pagecache.internal.http.Headers;
import dev.pagecache.internal.policy.CacheStatus;
import dev.pagecache.internal.policy.RangeAnswer;
import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.internal.store.Representation;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a stored page as a full response, a {@code HEAD} answer, a 304 or a byte range, from
 * the snapshot's values and never into them. Everything a hit sends that depends on the moment
 * (the age, the downstream {@code Cache-Control}) is passed in; everything else was formatted at
 * store time.
 */
public final class PageResponder {
  /** RFC 9110 §15.4.5: what a 304 carries when the 200 would have carried it. */
  private static final Set<String> NOT_MODIFIED_FIELDS =
      HeaderNames.setOf("ETag", "Cache-Control", "Expires", "Vary", "Content-Location");

  /**
   * Output streams known not to write into the arrays they are given: the containers' own. Any
   * other (one a user's filter put in front) gets a copy of the body.
   */
  private static final Set<String> TRUSTED_STREAMS = Set.of(
      "org.eclipse.jetty.ee10.servlet.HttpOutput",
      "org.eclipse.jetty.ee11.servlet.HttpOutput",
      "org.apache.catalina.connector.CoyoteOutputStream");

  private static final ClassValue<Boolean> CONTAINER_STREAMS = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      return TRUSTED_STREAMS.contains(type.getName());
    }
  };

  private static final String ACCEPT_RANGES = "Accept-Ranges";
  private static final String CONTENT_RANGE = "Content-Range";
  /** Fields a hit writes from the chosen {@link Representation} (and the page's merged Vary), not from the stored list. */
  private static final Set<String> PER_REPRESENTATION_FIELDS = HeaderNames.setOf("ETag", "Vary", "Content-Encoding");

  private PageResponder() {}

  /**
   * @param cacheControl the {@code Cache-Control} to send instead of the stored one, or {@code null}
   * @param cacheStatus the {@code Cache-Status} value
   * @param withheld stored fields not to send (a page stored by another version, or under a rule
   *     that then kept its tag fields, may hold them)
   */
  public static void respond(HttpServletResponse response, CachedPage page, boolean head,
      boolean notModified, long ageSeconds, String cacheControl, String cacheStatus, Set<String> withheld)
      throws IOException {
    respond(response, page, page.originRepresentation(), head, notModified, ageSeconds, cacheControl, cacheStatus,
        withheld);
  }

  /**
   * Like the other, sending {@code chosen} (one of the page's {@link CachedPage#representations()}):
   * its bytes, length, {@code ETag} and {@code Content-Encoding}, with the page's {@code Vary}
   * merged with {@code Accept-Encoding} when the page has more than one form.
   */
  public static void respond(HttpServletResponse response, CachedPage page, Representation chosen, boolean head,
      boolean notModified, long ageSeconds, String cacheControl, String cacheStatus, Set<String> withheld)
      throws IOException {
    respond(response, page, chosen, head, notModified, ageSeconds, cacheControl, cacheStatus, withheld, false);
  }

  private static void respond(HttpServletResponse response, CachedPage page, Representation chosen, boolean head,
      boolean notModified, long ageSeconds, String cacheControl, String cacheStatus, Set<String> withheld,
      boolean acceptsRanges) throws IOException {
    if (notModified) {
      response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      writeFields(response, page.headers(), cacheControl, true, withheld);
      writeRepresentationFields(response, page, chosen, true);
      writeCacheFields(response, page, ageSeconds, cacheStatus);
      return;
    }
    writeFields(response, page.headers(), cacheControl, false, withheld);
    writeRepresentationFields(response, page, chosen, false);
    writeCacheFields(response, page, ageSeconds, cacheStatus);
    if (page.isErrorReplay()) {
      // The container renders its error page for this status, as it did for the origin's answer.
      if (page.errorMessage().isPresent()) {
        response.sendError(page.status(), page.errorMessage().get());
      } else {
        response.sendError(page.status());
      }
      return;
    }
    if (acceptsRanges) {
      response.setHeader(ACCEPT_RANGES, "bytes");
    }
    response.setStatus(page.status());
    if (page.contentType().isPresent()) {
      response.setContentType(page.contentType().get());
    }
    response.setContentLength(chosen.length());
    if (!head && chosen.length() > 0) {
      ServletOutputStream out = response.getOutputStream();
      chosen.writeTo(out, CONTAINER_STREAMS.get(out.getClass()));
    }
  }

  /** {@code ETag}, {@code Vary} and {@code Content-Encoding} as the chosen form has them (a 304 carries no Content-Encoding). */
  private static void writeRepresentationFields(HttpServletResponse response, CachedPage page, Representation chosen,
      boolean notModified) {
    if (chosen.etagHeader() != null) {
      response.setHeader("ETag", chosen.etagHeader());
    }
    if (page.varyHeader().isPresent()) {
      response.setHeader("Vary", page.varyHeader().get());
    } else {
      List<String> vary = page.headers().all("Vary");
      if (!vary.isEmpty()) {
        ResponseFields.replace(response, "Vary", vary);
      }
    }
    if (notModified) {
      return;
    }
    Optional<String> added = chosen.addedContentEncoding();
    if (added.isPresent()) {
      response.setHeader("Content-Encoding", added.get());
    } else {
      List<String> own = page.headers().all("Content-Encoding");
      if (!own.isEmpty()) {
        ResponseFields.replace(response, "Content-Encoding", own);
      }
    }
  }

  // ---- ranges (RFC 9110 §14) ----

  /**
   * Answers a request for a page a range may be taken from ({@code RangeRequests.of}), once
   * {@code If-None-Match} / {@code If-Modified-Since} have not made it a 304: the whole form
   * {@code chosen} with {@code Accept-Ranges: bytes}, one slice of it as a 206, or a 416. Offsets
   * count bytes of the chosen form (RFC 9110 §14.1.2: a range is of the selected representation).
   * The parameters are those of {@link #respond}.
   */
  public static void respondRanged(HttpServletResponse response, CachedPage page, Representation chosen,
      RangeAnswer answer, boolean head, long ageSeconds, String cacheControl, String cacheStatus, Set<String> withheld)
      throws IOException {
    if (answer instanceof RangeAnswer.Partial partial) {
      respondPartial(response, page, chosen, partial, ageSeconds, cacheControl, cacheStatus, withheld);
    } else if (answer instanceof RangeAnswer.Unsatisfiable unsatisfiable) {
      respondUnsatisfiable(response, page, unsatisfiable, ageSeconds, cacheStatus);
    } else {
      respond(response, page, chosen, head, false, ageSeconds, cacheControl, cacheStatus, withheld, true);
    }
  }

  /** RFC 9110 §15.3.7: a 206 carries the fields the 200 would have, and its slice of the body. */
  private static void respondPartial(HttpServletResponse response, CachedPage page, Representation chosen,
      RangeAnswer.Partial partial, long ageSeconds, String cacheControl, String cacheStatus, Set<String> withheld)
      throws IOException {
    writeFields(response, page.headers(), cacheControl, false, withheld);
    writeRepresentationFields(response, page, chosen, false);
    writeCacheFields(response, page, ageSeconds, cacheStatus);
    response.setHeader(ACCEPT_RANGES, "bytes");
    response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
    if (page.contentType().isPresent()) {
      response.setContentType(page.contentType().get());
    }
    response.setHeader(CONTENT_RANGE, partial.contentRange());
    response.setContentLengthLong(partial.length());
    ServletOutputStream out = response.getOutputStream();
    chosen.writeTo(out, CONTAINER_STREAMS.get(out.getClass()), Math.toIntExact(partial.first()),
        Math.toIntExact(partial.length()));
  }

  /**
   * RFC 9110 §15.5.17: a 416 says how long the page is, and nothing else of it: its
   * {@code Cache-Control} would let a shared cache further down keep the error for the page.
   */
  private static void respondUnsatisfiable(HttpServletResponse response, CachedPage page,
      RangeAnswer.Unsatisfiable unsatisfiable, long ageSeconds, String cacheStatus) {
    writeCacheFields(response, page, ageSeconds, cacheStatus);
    response.setHeader(ACCEPT_RANGES, "bytes");
    response.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
    response.setHeader(CONTENT_RANGE, unsatisfiable.contentRange());
    response.setContentLength(0);
  }

  private static void writeFields(HttpServletResponse response, Headers headers, String cacheControl,
      boolean notModified, Set<String> withheld) {
    for (Headers.Field field : headers.fields()) {
      String name = field.name();
      if (notModified && !NOT_MODIFIED_FIELDS.contains(name) || withheld.contains(name)
          || PER_REPRESENTATION_FIELDS.contains(name)) {
        continue;
      }
      if (cacheControl != null && name.equalsIgnoreCase("Cache-Control")) {
        continue;
      }
      ResponseFields.replace(response, name, field.values());
    }
    if (cacheControl != null) {
      response.setHeader("Cache-Control", cacheControl);
    }
  }

  private static void writeCacheFields(HttpServletResponse response, CachedPage page, long ageSeconds,
      String cacheStatus) {
    // The stored Date, not the container's clock: the page is as old as Age says.
    response.setHeader("Date", page.dateHeader());
    response.setHeader("Age", Long.toString(ageSeconds));
    response.setHeader(CacheStatus.HEADER, cacheStatus);
  }

}
