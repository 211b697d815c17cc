package dev.pagecache.bench;

import dev.pagecache.internal.http.Headers;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.internal.policy.ResponseView;
import dev.pagecache.internal.policy.Snapshots;
import dev.pagecache.internal.policy.Staleness;
import dev.pagecache.internal.policy.Storability;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.internal.store.CachedPage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The page every benchmark serves or stores: 20,480 bytes of HTML, and the snapshot the filter makes of it. */
final class Pages {
  /** The page size. */
  static final int BODY_LENGTH = 20_480;
  static final String CONTENT_TYPE = "text/html;charset=utf-8";

  /** The rule a typical page is stored under: every default. */
  private static final CacheRule RULE = CacheRule.forPath("/*").build();

  private Pages() {}

  /** Deterministic HTML of exactly {@code length} bytes (ASCII, so bytes = chars). */
  static byte[] html(int length) {
    String head = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<title>How we cache whole pages</title></head>\n<body><main>\n";
    String tail = "</main></body></html>\n";
    StringBuilder page = new StringBuilder(length).append(head);
    for (int i = 0; page.length() < length - tail.length(); i++) {
      page.append("<p id=\"p").append(i).append("\">Paragraph ").append(i)
          .append(": a cached page is written from an immutable snapshot.</p>\n");
    }
    page.setLength(length - tail.length());
    page.append(tail);
    byte[] bytes = page.toString().getBytes(StandardCharsets.US_ASCII);
    if (bytes.length != length) {
      throw new IllegalStateException("page is " + bytes.length + " bytes, not " + length);
    }
    return bytes;
  }

  /**
   * The snapshot the filter would store for a typical public page, made the way the filter makes
   * it ({@link Snapshots#create}: the strong ETag is the SHA-256 of the body). Header values are
   * new strings per call, as they would be for responses rendered one by one. No {@code Vary}:
   * the page is one store entry under its URL's key, not a variant index plus a page.
   *
   * @param body owned by the snapshot from now on
   */
  static CachedPage typicalPage(byte[] body, Instant now, int serial) {
    Headers headers = Headers.builder()
        .add("Content-Type", CONTENT_TYPE)
        .add("Date", HttpDates.format(now))
        .add("Cache-Control", new String("public, max-age=300"))
        .add("Last-Modified", HttpDates.format(now.minusSeconds(3600 + serial)))
        .add("X-Frame-Options", new String("SAMEORIGIN"))
        .add("Content-Language", new String("en"))
        .add("X-Content-Type-Options", new String("nosniff"))
        .build();
    ResponseView response = new ResponseView(200, headers, Optional.of(CONTENT_TYPE), false, false, false);
    Storability.Store store = new Storability.Store(now.plus(Duration.ofMinutes(5)), Duration.ZERO);
    return Snapshots.create(response, RULE, body, store, Staleness.Windows.NONE, now, now, false, null);
  }
}
