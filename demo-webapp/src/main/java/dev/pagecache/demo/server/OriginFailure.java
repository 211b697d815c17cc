package dev.pagecache.demo.server;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpResponseException;
import org.eclipse.jetty.http.BadMessageException;

/**
 * Why the proxy got no answer from the origin, as the status the client gets and the RFC 9209
 * {@code Proxy-Status} error type that names the cause: the standard field for a proxy's own
 * error answers, which the cache's {@code Cache-Status} (about the cache) cannot carry.
 *
 * @param status 502, 503 or 504
 * @param error the RFC 9209 §2.3 error type, e.g. {@code connection_refused}
 * @param explanation one sentence for the body a person reads
 */
record OriginFailure(int status, String error, String explanation) {
  /** The proxy's name in {@code Proxy-Status} (RFC 9209 §2: the intermediary's identifier). */
  static final String PROXY_NAME = "pagecache";
  /** How many causes deep a failure is searched for one we know: Jetty wraps the socket's. */
  private static final int MAX_CAUSE_DEPTH = 8;

  static final OriginFailure TIMED_OUT = new OriginFailure(504, "http_response_timeout",
      "the origin did not answer in time");
  static final OriginFailure CONNECT_TIMED_OUT = new OriginFailure(504, "connection_timeout",
      "the origin did not accept the connection in time");
  static final OriginFailure REFUSED = new OriginFailure(502, "connection_refused",
      "the origin refused the connection");
  static final OriginFailure NOT_FOUND = new OriginFailure(502, "dns_error",
      "the origin's host name does not resolve");
  static final OriginFailure UNREACHABLE = new OriginFailure(502, "destination_unavailable",
      "the origin cannot be reached");
  static final OriginFailure TERMINATED = new OriginFailure(502, "connection_terminated",
      "the origin closed the connection before its answer was complete");
  static final OriginFailure MALFORMED = new OriginFailure(502, "http_protocol_error",
      "the origin's answer is not valid HTTP");
  static final OriginFailure TOO_MANY = new OriginFailure(503, "connection_limit_reached",
      "too many requests are waiting for the origin");

  /**
   * The failure the HTTP client reported, classified by the first cause we recognise; anything
   * else is an unreachable origin (502).
   */
  static OriginFailure of(Throwable failure) {
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < MAX_CAUSE_DEPTH; depth++) {
      OriginFailure known = known(cause);
      if (known != null) {
        return known;
      }
      cause = cause.getCause() == cause ? null : cause.getCause();
    }
    return UNREACHABLE;
  }

  private static OriginFailure known(Throwable cause) {
    // Order matters: SocketTimeoutException is an InterruptedIOException, ConnectException a SocketException.
    if (cause instanceof TimeoutException) {
      return TIMED_OUT; // the request's total timeout, or no byte from the origin for the idle timeout
    }
    if (cause instanceof SocketTimeoutException) {
      return CONNECT_TIMED_OUT;
    }
    if (cause instanceof ConnectException) {
      return REFUSED;
    }
    if (cause instanceof UnknownHostException) {
      return NOT_FOUND;
    }
    if (cause instanceof NoRouteToHostException) {
      return UNREACHABLE;
    }
    if (cause instanceof RejectedExecutionException) {
      return TOO_MANY; // the HTTP client's queue for the origin is full
    }
    if (cause instanceof HttpResponseException || cause instanceof BadMessageException) {
      return MALFORMED;
    }
    if (cause instanceof EOFException || cause instanceof ClosedChannelException) {
      return TERMINATED;
    }
    return null;
  }

  /** The {@code Proxy-Status} field value (RFC 9209 §2), e.g. {@code pagecache; error=connection_refused}. */
  String proxyStatus() {
    return PROXY_NAME + "; error=" + error;
  }

  /** Whether a client may simply try again a little later ({@code Retry-After}). */
  boolean isTransient() {
    return status == 503;
  }

  /** The plain-text body, e.g. {@code 502 Bad Gateway: the origin refused the connection}. */
  String body() {
    String reason = switch (status) {
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Error";
    };
    return status + " " + reason + ": " + explanation + "\n";
  }
}
