package dev.pagecache.servlet;

import dev.pagecache.http.Headers;
import dev.pagecache.store.CachedPage;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes a stored page as a full response, a {@code HEAD} answer or a 304, from the snapshot's
 * values and never into them. Everything a hit sends that depends on the moment (the age, the
 * downstream {@code Cache-Control}) is passed in; everything else was formatted at store time.
 */
public final class PageResponder {
  /** RFC 9110 §15.4.5: what a 304 carries when the 200 would have carried it. */
  private static final Set<String> NOT_MODIFIED_FIELDS = caseInsensitive(
      List.of("ETag", "Cache-Control", "Expires", "Vary", "Content-Location"));

  private PageResponder() {}

  /**
   * @param cacheControl the {@code Cache-Control} to send instead of the stored one, or {@code null}
   * @param cacheStatus the {@code Cache-Status} value
   */
  public static void respond(HttpServletResponse response, CachedPage page, boolean head,
      boolean notModified, long ageSeconds, String cacheControl, String cacheStatus) throws IOException {
    if (notModified) {
      response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      writeFields(response, page.headers(), cacheControl, true);
      writeCacheFields(response, page, ageSeconds, cacheStatus);
      return;
    }
    writeFields(response, page.headers(), cacheControl, false);
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
    response.setStatus(page.status());
    if (page.contentType().isPresent()) {
      response.setContentType(page.contentType().get());
    }
    response.setContentLength(page.bodyLength());
    if (!head && page.bodyLength() > 0) {
      // A user's filter in front of us may have wrapped the stream; only the container's is trusted
      // not to write into the array it is given.
      page.writeBodyTo(response.getOutputStream(), !(response instanceof ServletResponseWrapper));
    }
  }

  private static void writeFields(HttpServletResponse response, Headers headers, String cacheControl,
      boolean notModified) {
    for (Headers.Field field : headers.fields()) {
      String name = field.name();
      if (notModified && !NOT_MODIFIED_FIELDS.contains(name)) {
        continue;
      }
      if (cacheControl != null && name.equalsIgnoreCase("Cache-Control")) {
        continue;
      }
      List<String> values = field.values();
      // set, then add: a filter in front of us may already have set the same field
      response.setHeader(name, values.get(0));
      for (int i = 1; i < values.size(); i++) {
        response.addHeader(name, values.get(i));
      }
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
    response.setHeader("Cache-Status", cacheStatus);
  }

  private static Set<String> caseInsensitive(List<String> names) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(names);
    return set;
  }
}
