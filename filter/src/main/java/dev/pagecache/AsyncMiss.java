package dev.pagecache;

import dev.pagecache.internal.policy.Reason;
import dev.pagecache.internal.servlet.TrackedRequest;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * A miss whose application went asynchronous: the response stays held while asynchronous code
 * writes into it, and the render ends at the first of these (each on its own thread, once):
 *
 * <ul>
 *   <li>the application's {@code complete()} on our {@code AsyncContext}: ended on its thread,
 *       before the container completes the response;
 *   <li>the end of the {@code ASYNC} dispatch a {@code dispatch()} asked for, which the filter
 *       hands here ({@link #runDispatch}) when it is mapped for {@code ASYNC} dispatches;
 *   <li>a timeout or an error: given up, nothing stored, the waiters let go, the container's or
 *       the application's answer goes out;
 *   <li>the container completing by itself (the application completed past our context, or the
 *       client went away): the last safety net, so that no waiter or lease is left behind.
 * </ul>
 *
 * <p>A {@code dispatch()} can only be held when the filter sees the dispatch end. Whether it is
 * mapped for {@code ASYNC} dispatches cannot be asked of the container, so it is learned: until
 * the filter has seen one async dispatch of its own, a dispatched render is let go (streamed,
 * unstored) before the dispatch, and never lost.
 */
final class AsyncMiss implements TrackedRequest.AsyncTurns, AsyncListener {
  /** Request attribute under which an async dispatch finds the render it continues. */
  static final String ATTRIBUTE = Miss.class.getName();
  private static final Logger LOG = System.getLogger(PageCacheFilter.class.getName());

  private final Miss miss;
  private final RenderEnd end;
  private final LocalPageCache cache;
  private final HttpServletRequest request;
  private boolean listening;

  AsyncMiss(Miss miss, LocalPageCache cache, HttpServletRequest request) {
    this.miss = miss;
    this.end = miss.renderEnd();
    this.cache = cache;
    this.request = request;
  }

  /** The render an async dispatch of {@code request} continues, if it is one of this cache's still going. */
  static AsyncMiss continuedBy(ServletRequest request, LocalPageCache cache) {
    return request.getAttribute(ATTRIBUTE) instanceof AsyncMiss render && render.cache == cache
        && !render.end.hasEnded() ? render : null;
  }

  @Override
  public void started(AsyncContext context, boolean capturesResponse) {
    end.wentAsync();
    if (!listening) {
      // First, so that on a timeout or an error the render is given up before the application's
      // listeners write their fallback answer. A later startAsync re-registers it (onStartAsync).
      listening = true;
      context.addListener(this);
      request.setAttribute(ATTRIBUTE, this);
    }
    if (!capturesResponse) {
      releaseEarly(); // written past the held response: it cannot be stored
    }
  }

  @Override
  public void completing() {
    if (end.claim()) {
      endQuietly();
    }
  }

  @Override
  public void dispatching(boolean sameUri) {
    if (end.hasEnded()) {
      return;
    }
    if (!sameUri || !cache.seesAsyncDispatches()) {
      releaseEarly();
    }
  }

  /**
   * Runs the async dispatch this render asked for, and ends the render when the dispatch ends
   * without going asynchronous again: before the container completes the response.
   */
  void runDispatch(FilterChain chain, ServletRequest dispatched, ServletResponse response)
      throws IOException, ServletException {
    try {
      chain.doFilter(dispatched, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      if (!dispatched.isAsyncStarted() && end.claim()) {
        miss.end(e); // rethrown, unless a stale copy answers instead
        return;
      }
      throw e;
    }
    if (!dispatched.isAsyncStarted() && end.claim()) {
      miss.end(null);
    }
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    if (end.claim()) {
      miss.abandon(Reason.ASYNC_TIMEOUT);
    }
  }

  @Override
  public void onError(AsyncEvent event) {
    if (end.claim()) {
      LOG.log(Level.DEBUG, () -> "pagecache: asynchronous render of " + miss.path() + " failed", event.getThrowable());
      miss.abandon(Reason.ASYNC_ERROR);
    }
  }

  @Override
  public void onComplete(AsyncEvent event) {
    if (!end.claim()) {
      return;
    }
    if (miss.releasedEarly()) {
      endQuietly(); // streamed through (a dispatch the filter was not mapped for): settles waiters and counts
      return;
    }
    // The output is closed by now: what was held cannot be sent any more.
    LOG.log(Level.WARNING, () -> "pagecache: the request for " + miss.path() + " completed past the cache's"
        + " AsyncContext (the application completed the container's own?); its held response was lost");
    miss.abandon(Reason.ASYNC_ERROR);
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    if (!end.hasEnded()) {
      event.getAsyncContext().addListener(this);
    }
  }

  private void releaseEarly() {
    try {
      miss.releaseEarly(Reason.ASYNC);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, () -> "pagecache: letting " + miss.path() + " go failed", e);
    }
  }

  /** Ends the render on an application's thread: what goes wrong is logged, never thrown at it. */
  private void endQuietly() {
    try {
      miss.end(null);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, () -> "pagecache: sending " + miss.path() + " failed (the client went away?)", e);
    } catch (ServletException | RuntimeException e) {
      LOG.log(Level.WARNING, () -> "pagecache: ending the asynchronous render of " + miss.path() + " failed", e);
    }
  }
}
