package dev.pagecache.demo.server;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's {@link QoSHandler} set to {@link ServerLimits}: at most {@code maxRequests} in progress,
 * at most {@code maxQueued} more waiting (without a thread) for at most {@code queueWait}, and
 * every request turned away answered {@code 503} with {@code Retry-After} (RFC 9110 §10.2.3), so a
 * client knows the refusal is about load and when to try again.
 */
final class OverloadGuard extends QoSHandler {
  /** Seconds a refused client is asked to wait: the overload of a moment is usually over by then. */
  static final String RETRY_AFTER_SECONDS = "1";

  OverloadGuard(Handler handler, ServerLimits limits) {
    super(handler);
    setMaxRequestCount(limits.maxRequests());
    setMaxSuspendedRequestCount(limits.maxQueued());
    setMaxSuspend(limits.queueWait());
  }

  @Override
  protected void reject(Request request, Response response, Callback callback, int status) {
    response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
    super.reject(request, response, callback, status);
  }

  @Override
  protected void failSuspended(Request request, Response response, Callback callback, int status, Throwable failure) {
    response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
    super.failSuspended(request, response, callback, status, failure);
  }
}
