package dev.pagecache.demo.server;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets an asynchronous servlet run to completion while the container's thread waits: the servlet
 * gets an {@link AsyncContext} of this wrapper's own, and {@link #awaitCompletion} returns once it
 * calls {@link AsyncContext#complete()}. To the container, and to the filters in front of the
 * servlet, the request is an ordinary blocking one that is finished when the servlet returns.
 *
 * <p>Why: Jetty's {@code ProxyServlet} goes async and writes the origin's answer from HTTP-client
 * threads, but {@code PageCacheFilter} stores only a response that is whole when the chain
 * returns to it; it lets an asynchronous one through uncached ({@code detail=async}). Run inline,
 * the proxied response is captured and stored like any other. The cost is one waiting thread per
 * request in flight, as with any blocking servlet.
 *
 * <p>Only what {@code ProxyServlet} needs is supported: {@code dispatch} is not.
 */
final class InlineAsyncRequest extends HttpServletRequestWrapper {
  private final HttpServletResponse response;
  private final CountDownLatch completed = new CountDownLatch(1);
  private volatile Context context;

  InlineAsyncRequest(HttpServletRequest request, HttpServletResponse response) {
    super(request);
    this.response = response;
  }

  @Override
  public AsyncContext startAsync() {
    return startAsync(this, response);
  }

  @Override
  public synchronized AsyncContext startAsync(ServletRequest request, ServletResponse response) {
    if (context != null) {
      throw new IllegalStateException("async processing was already started for this request");
    }
    context = new Context(request, response);
    return context;
  }

  @Override
  public boolean isAsyncStarted() {
    Context started = context;
    return started != null && !started.done.get();
  }

  @Override
  public boolean isAsyncSupported() {
    return true;
  }

  @Override
  public AsyncContext getAsyncContext() {
    Context started = context;
    if (started == null) {
      throw new IllegalStateException("async processing was not started for this request");
    }
    return started;
  }

  /**
   * Waits until the servlet has completed the asynchronous processing it started; returns at once
   * if it started none.
   *
   * @return {@code false} when {@code timeout} passed first
   */
  boolean awaitCompletion(Duration timeout) throws InterruptedException {
    return context == null || completed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private final class Context implements AsyncContext {
    private final ServletRequest request;
    private final ServletResponse response;
    private final List<AsyncListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile long timeout = 30_000;

    Context(ServletRequest request, ServletResponse response) {
      this.request = request;
      this.response = response;
    }

    @Override
    public ServletRequest getRequest() {
      return request;
    }

    @Override
    public ServletResponse getResponse() {
      return response;
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
      return request == InlineAsyncRequest.this && response == InlineAsyncRequest.this.response;
    }

    @Override
    public void complete() {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      try {
        for (AsyncListener listener : listeners) {
          try {
            listener.onComplete(new AsyncEvent(this, request, response));
          } catch (IOException | RuntimeException e) {
            // a listener's failure must not keep the waiting thread waiting
          }
        }
      } finally {
        completed.countDown();
      }
    }

    @Override
    public void start(Runnable run) {
      CompletableFuture.runAsync(run);
    }

    @Override
    public void addListener(AsyncListener listener) {
      listeners.add(listener);
    }

    @Override
    public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
      listeners.add(listener);
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
      try {
        return type.getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new ServletException("cannot create " + type.getName(),
            e instanceof InvocationTargetException ite ? ite.getCause() : e);
      }
    }

    @Override
    public void setTimeout(long timeout) {
      this.timeout = timeout;
    }

    @Override
    public long getTimeout() {
      return timeout;
    }

    @Override
    public void dispatch() {
      throw unsupported();
    }

    @Override
    public void dispatch(String path) {
      throw unsupported();
    }

    @Override
    public void dispatch(ServletContext context, String path) {
      throw unsupported();
    }

    private IllegalStateException unsupported() {
      return new IllegalStateException("dispatch is not supported by an inline async context");
    }
  }
}
