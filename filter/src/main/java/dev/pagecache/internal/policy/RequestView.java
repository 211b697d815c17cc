package dev.pagecache.internal.policy;

import java.util.List;
import java.util.Optional;

/** What the policy needs to know about a request; implemented over the servlet API and in tests. */
public interface RequestView {

  /** Upper-case method name. */
  String method();

  /** {@code http} or {@code https}. */
  String scheme();

  /** Host name as the client addressed it, lower-cased. */
  String host();

  int port();

  /** Path inside the web application, decoded: what rules match against. */
  String path();

  /** Path as sent by the client (still percent-encoded, including the context path): what keys hold. */
  String rawPath();

  /** Raw query string, without the {@code ?}. */
  Optional<String> query();

  /** Every value of a request header, in order; empty when absent. */
  List<String> headers(String name);

  Optional<String> cookie(String name);

  /** Whether the container or a filter before the cache has identified a user for this request. */
  boolean authenticated();

  /**
   * How the request names an HTTP session of the container (or of a session filter in front of
   * the cache), whether or not that session still exists.
   */
  SessionId sessionId();

  /** Where a request's session id came from. */
  enum SessionId {
    NONE,
    /** In the session cookie. */
    COOKIE,
    /** In the URL ({@code ;jsessionid=}), or anywhere else but the cookie. */
    URL
  }

  default Optional<String> header(String name) {
    List<String> values = headers(name);
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  default boolean hasHeader(String name) {
    return !headers(name).isEmpty();
  }
}
