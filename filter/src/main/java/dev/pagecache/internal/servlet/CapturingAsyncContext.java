package dev.pagecache.internal.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * The {@code AsyncContext} a render's application gets: the container's, with the cache told at
 * the two turns it must see before the container does. At {@link #complete()} the render is ended
 * (stored, and the held response sent) on the calling thread before the container completes: an
 * {@code AsyncListener}'s {@code onComplete} comes too late for that (Jetty 12 runs it after the
 * output is closed). At {@code dispatch} the cache decides whether the dispatched servlet's output
 * can still be held.
 */
final class CapturingAsyncContext implements AsyncContext {
  private final AsyncContext real;
  private final TrackedRequest.AsyncTurns turns;

  CapturingAsyncContext(AsyncContext real, TrackedRequest.AsyncTurns turns) {
    this.real = real;
    this.turns = turns;
  }

  boolean wraps(AsyncContext context) {
    return real == context;
  }

  @Override
  public void complete() {
    try {
      turns.completing();
    } finally {
      real.complete();
    }
  }

  @Override
  public void dispatch() {
    turns.dispatching(true);
    real.dispatch();
  }

  @Override
  public void dispatch(String path) {
    turns.dispatching(false);
    real.dispatch(path);
  }

  @Override
  public void dispatch(ServletContext context, String path) {
    turns.dispatching(false);
    real.dispatch(context, path);
  }

  @Override
  public ServletRequest getRequest() {
    return real.getRequest();
  }

  @Override
  public ServletResponse getResponse() {
    return real.getResponse();
  }

  @Override
  public boolean hasOriginalRequestAndResponse() {
    return real.hasOriginalRequestAndResponse();
  }

  @Override
  public void start(Runnable run) {
    real.start(run);
  }

  @Override
  public void addListener(AsyncListener listener) {
    real.addListener(listener);
  }

  @Override
  public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
    real.addListener(listener, request, response);
  }

  @Override
  public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
    return real.createListener(type);
  }

  @Override
  public void setTimeout(long timeout) {
    real.setTimeout(timeout);
  }

  @Override
  public long getTimeout() {
    return real.getTimeout();
  }
}
