package dev.pagecache.internal.policy;

import dev.pagecache.internal.http.EntityTag;
import dev.pagecache.internal.http.HeaderNames;
import dev.pagecache.internal.http.Headers;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.internal.store.CachedPage;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Turns a response that may be stored into the snapshot that is stored. */
public final class Snapshots {
  /**
   * Fields never stored: those the cache writes itself on every hit, those that belong to one
   * user, and hop-by-hop fields (RFC 9110 §7.6.1) that describe one connection.
   */
  private static final Set<String> NOT_STORED = HeaderNames.setOf(
      "Content-Type", "Content-Length", "Date", "Age", "Cache-Status", "Surrogate-Control",
      "Set-Cookie", "Set-Cookie2",
      "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "TE", "Trailer", "Upgrade",
      "Proxy-Authenticate", "Proxy-Authorization");

  private Snapshots() {}

  /**
   * @param response the response as the origin finished it
   * @param rule the rule it was rendered under: its tag fields are stored only when the rule keeps
   *     them for clients ({@link PageTags#withheldHeaders})
   * @param body the body bytes (copied into the snapshot)
   * @param store when it stays fresh and the age it arrived with
   * @param stale how long past expiry it may still be served
   * @param receivedAt when the origin finished
   * @param sentAt the {@code Date} the response went out with, unless the origin set its own
   * @param errorMessage the {@code sendError} message, when the origin answered through {@code sendError}
   */
  public static CachedPage create(ResponseView response, CacheRule rule, byte[] body, Storability.Store store,
      Staleness.Windows stale, Instant receivedAt, Instant sentAt, boolean errorReplay, String errorMessage) {
    Headers.Builder kept = Headers.builder();
    List<String> hopByHop = response.headers().tokens("Connection");
    Set<String> withheld = WithheldFields.of(rule);
    for (Headers.Field field : response.headers().fields()) {
      if (NOT_STORED.contains(field.name()) || withheld.contains(field.name())
          || containsIgnoringCase(hopByHop, field.name())) {
        continue;
      }
      for (String value : field.values()) {
        kept.add(field.name(), value);
      }
    }
    Optional<EntityTag> originTag = response.headers().first("ETag").flatMap(EntityTag::parse);
    EntityTag etag = originTag.orElseGet(() -> errorReplay ? null : EntityTag.strong(contentHash(body)));
    if (etag != null) {
      kept.set("ETag", etag.headerValue());
    }
    CachedPage.Builder page = CachedPage.builder()
        .status(response.status())
        .headers(kept.build())
        .contentType(response.contentType().orElse(null))
        .body(body)
        .date(response.headers().first("Date").flatMap(HttpDates::parse).orElse(sentAt))
        .storedAt(receivedAt)
        .initialAge(store.initialAge())
        .expiresAt(store.expiresAt())
        .staleWhileRevalidateUntil(store.expiresAt().plus(stale.whileRevalidate()))
        .staleIfErrorUntil(store.expiresAt().plus(stale.ifError()))
        .etag(etag)
        .originEtag(originTag.isPresent())
        .lastModified(response.headers().first("Last-Modified").flatMap(HttpDates::parse).orElse(null));
    if (errorReplay) {
      page.errorReplay(errorMessage);
    } else if (Revalidation.hasValidator(response.headers()) && !rule.revalidationRetention().isZero()) {
      // Asking the origin whether it changed costs less than a render: keep it around to ask.
      page.retainUntil(store.expiresAt().plus(rule.revalidationRetention()));
    }
    return page.build();
  }

  /** The request header names a response varies on, lower-cased, in order, without repeats. */
  public static List<String> varyHeaders(Headers responseHeaders) {
    List<String> names = new ArrayList<>();
    for (String token : responseHeaders.tokens("Vary")) {
      String name = token.toLowerCase(Locale.ROOT);
      if (!names.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  /** A strong validator for a body the origin gave none: 128 bits of its SHA-256, URL-safe base64. */
  public static String contentHash(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static boolean containsIgnoringCase(List<String> names, String name) {
    for (String candidate : names) {
      if (candidate.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

}
