package dev.pagecache.internal.policy;

import dev.pagecache.internal.http.CacheControl;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.QueryKey;
import java.util.Optional;

/** Whether a {@code GET} or {@code HEAD} that matched a rule may be answered from or stored in the cache. */
public final class RequestPolicy {
  /** The session cookie name when the application configures none (Servlet specification §7.1.1). */
  public static final String DEFAULT_SESSION_COOKIE = "JSESSIONID";

  private RequestPolicy() {}

  /**
   * Empty when the cache may be used; otherwise why not, checked in this order.
   *
   * @param sessionCookie the name of the container's session cookie
   */
  public static Optional<Reason> bypassReason(RequestView request, CacheRule rule, String sessionCookie) {
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
    // A session may hold a login that only the application knows about (its own form login, a
    // filter after this one): a request that names one gets the application, not another user's
    // copy. A rule allows it, or keys its pages by the session cookie, which makes them per-session.
    if (request.sessionId() != RequestView.SessionId.NONE && !rule.allowSession()
        && !keyedBySession(request, rule, sessionCookie)) {
      return Optional.of(Reason.SESSION_ID);
    }
    for (String cookie : rule.bypassIfCookie()) {
      if (request.cookie(cookie).isPresent()) {
        return Optional.of(Reason.BYPASS_COOKIE);
      }
    }
    // A GET with a body ("fat GET") may be rendered from it, yet would be keyed by its URL alone.
    if (hasBody(request)) {
      return Optional.of(Reason.REQUEST_BODY);
    }
    // Parsers disagree on ';' as a parameter separator: which parameters the key left out, and
    // which the application read, would no longer be the same.
    if (rule.query().mode() != QueryKey.Mode.ALL && request.query().map(q -> q.indexOf(';') >= 0).orElse(false)) {
      return Optional.of(Reason.QUERY_SEPARATOR);
    }
    // RFC 9111 §4.3.2: preconditions other than If-None-Match / If-Modified-Since are meant for
    // the origin, which alone knows the current state of the resource.
    if (request.hasHeader("If-Match") || request.hasHeader("If-Unmodified-Since")) {
      return Optional.of(Reason.PRECONDITION);
    }
    return Optional.empty();
  }

  /** RFC 9112 §6.3: a request has a body when it says how long it is (not zero) or how it is framed. */
  static boolean hasBody(RequestView request) {
    if (request.hasHeader("Transfer-Encoding")) {
      return true;
    }
    if (!request.hasHeader("Content-Length")) {
      return false; // the usual GET: one lookup, nothing allocated
    }
    for (String length : request.headers("Content-Length")) {
      if (!length.trim().equals("0")) {
        return true;
      }
    }
    return false;
  }

  /** Whether the request carries a cookie that is not part of the rule's key. */
  public static boolean hasUnkeyedCookie(RequestView request, CacheRule rule) {
    for (String line : request.headers("Cookie")) {
      for (String pair : line.split(";")) {
        int eq = pair.indexOf('=');
        String name = (eq < 0 ? pair : pair.substring(0, eq)).trim();
        if (!name.isEmpty() && !rule.keyCookies().contains(name)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether the rule keys pages by the session cookie this request carries: its pages are then
   * per session, and may use the session.
   */
  public static boolean keyedBySession(RequestView request, CacheRule rule, String sessionCookie) {
    return request.sessionId() == RequestView.SessionId.COOKIE && rule.keyCookies().contains(sessionCookie);
  }

  /**
   * Empty when the response to this request may be stored; otherwise why not. These reasons come
   * from the request alone and say nothing about the page.
   */
  public static Optional<Reason> storeRefusal(RequestView request, CacheRule rule) {
    if (request.method().equals("HEAD")) {
      return Optional.of(Reason.HEAD_MISS); // no body: storing it would serve GETs empty pages
    }
    // RFC 9111 §5.2.1.5: a request's no-store forbids storing its response, too.
    if (!rule.allowNoStore() && CacheControl.parse(request.headers("Cache-Control")).noStore()) {
      return Optional.of(Reason.REQUEST_NO_STORE);
    }
    return Optional.empty();
  }

  /**
   * RFC 9111 §4.4: a method not known to be safe, answered with success, invalidates the target
   * URL: {@code POST}, {@code PUT}, {@code DELETE}, and equally {@code PROPFIND} or a made-up
   * {@code FOO}, whose effects the cache cannot know.
   */
  public static boolean invalidatesCache(String method) {
    return switch (method) {
      case "GET", "HEAD", "OPTIONS", "TRACE" -> false;
      default -> true;
    };
  }

  /** RFC 9111 §4.4: only a non-error response invalidates. */
  public static boolean invalidatingStatus(int status) {
    return status >= 200 && status < 400;
  }
}
