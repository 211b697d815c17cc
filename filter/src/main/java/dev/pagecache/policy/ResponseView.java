package dev.pagecache.policy;

import dev.pagecache.http.Headers;
import java.util.Optional;

/**
 * What the policy needs to know about a response the origin produced, complete or as far as it
 * has got.
 *
 * @param status the status the client gets
 * @param headers the fields the origin set, {@code Surrogate-Control} included
 * @param contentType the container's view of {@code Content-Type}, charset included
 * @param setsCookie whether the origin added a cookie (through {@code addCookie} or a header)
 * @param usedSession whether rendering created or read an HTTP session
 * @param completed whether the servlet chain returned normally (false while it runs, or if it threw)
 * @param async whether the request went asynchronous
 * @param bodyTooLarge whether the body grew, or was declared to grow, past the rule's limit
 */
public record ResponseView(
    int status,
    Headers headers,
    Optional<String> contentType,
    boolean setsCookie,
    boolean usedSession,
    boolean completed,
    boolean async,
    boolean bodyTooLarge) {}
