package dev.pagecache.internal.policy;

import dev.pagecache.internal.http.Headers;
import java.util.Optional;

/**
 * What the policy needs to know about a response the origin produced, complete or as far as it
 * has got.
 *
 * @param status the status the client gets
 * @param headers the fields the origin set, {@code Surrogate-Control} included
 * @param contentType the container's view of {@code Content-Type}, charset included
 * @param setsCookie whether the origin added, or tried to add, a cookie
 * @param usedSession whether rendering created or read an HTTP session
 * @param incomplete whether the body held is not the whole of what the client was sent: shorter
 *     or longer than its declared {@code Content-Length}, or written past the capture
 */
public record ResponseView(
    int status,
    Headers headers,
    Optional<String> contentType,
    boolean setsCookie,
    boolean usedSession,
    boolean incomplete) {

  /** The same response with other header fields (a redirect's {@code Location} as the container resolved it). */
  public ResponseView withHeaders(Headers replaced) {
    return new ResponseView(status, replaced, contentType, setsCookie, usedSession, incomplete);
  }
}
