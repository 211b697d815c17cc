package dev.pagecache.policy;

import dev.pagecache.rules.CacheRule;
import java.util.Optional;

/** Whether a {@code GET} or {@code HEAD} that matched a rule may be answered from or stored in the cache. */
public final class RequestPolicy {
  private RequestPolicy() {}

  /** Empty when the cache may be used; otherwise why not, checked in this order. */
  public static Optional<Reason> bypassReason(RequestView request, CacheRule rule) {
    if (!rule.cache()) {
      return Optional.of(Reason.EXCLUDED);
    }
    // RFC 9111 §3.5: a shared cache must not reuse a response to a request with Authorization
    // for another request, unless told it may; the rule is how a user tells us.
    if (!rule.allowAuthorization() && request.hasHeader("Authorization")) {
      return Optional.of(Reason.AUTHORIZATION);
    }
    // A user the container logged in from a session (form login) sends no Authorization header,
    // yet pages may show who they are.
    if (!rule.allowAuthorization() && request.authenticated()) {
      return Optional.of(Reason.AUTHENTICATED);
    }
    for (String cookie : rule.bypassIfCookie()) {
      if (request.cookie(cookie).isPresent()) {
        return Optional.of(Reason.BYPASS_COOKIE);
      }
    }
    // RFC 9111 §4.3.2: preconditions other than If-None-Match / If-Modified-Since are meant for
    // the origin, which alone knows the current state of the resource.
    if (request.hasHeader("If-Match") || request.hasHeader("If-Unmodified-Since")) {
      return Optional.of(Reason.PRECONDITION);
    }
    return Optional.empty();
  }

  /** RFC 9111 §4.4: these methods, answered with success, invalidate the target URL. */
  public static boolean invalidatesCache(String method) {
    return switch (method) {
      case "POST", "PUT", "PATCH", "DELETE" -> true;
      default -> false;
    };
  }

  /** RFC 9111 §4.4: only a non-error response invalidates. */
  public static boolean invalidatingStatus(int status) {
    return status >= 200 && status < 400;
  }
}
