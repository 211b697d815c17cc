package dev.pagecache.internal.policy;

import dev.pagecache.internal.http.EntityTag;
import dev.pagecache.internal.http.Headers;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.internal.store.CachedPage;
import java.util.LinkedHashMap;
import java.util.Map;

/** Asking the origin whether a stale page is still good (RFC 9111 §4.3.1), rather than rendering it again. */
public final class Revalidation {
  private Revalidation() {}

  /** Whether a response carries a validator of the origin's own: an {@code ETag} or a {@code Last-Modified}. */
  public static boolean hasValidator(Headers response) {
    return response.first("ETag").flatMap(EntityTag::parse).isPresent()
        || response.first("Last-Modified").flatMap(HttpDates::parse).isPresent();
  }

  /**
   * The conditional fields a revalidation of {@code stale} presents to the origin in place of
   * whatever the client sent: {@code If-None-Match} with the origin's own ETag (never the content
   * hash this cache made up: the origin has never heard of it) and {@code If-Modified-Since} with
   * its {@code Last-Modified}. Empty when the page has neither.
   */
  public static Map<String, String> conditionals(CachedPage stale) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (!stale.revalidatable()) {
      return fields;
    }
    stale.originEtag().ifPresent(etag -> fields.put("If-None-Match", etag.headerValue()));
    stale.lastModified().ifPresent(date -> fields.put("If-Modified-Since", HttpDates.format(date)));
    return fields;
  }
}
