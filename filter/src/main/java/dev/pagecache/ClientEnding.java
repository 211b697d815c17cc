package dev.pagecache;

import dev.pagecache.internal.policy.CacheStatus;
import dev.pagecache.internal.policy.Reason;
import dev.pagecache.internal.servlet.OuterFields;
import dev.pagecache.internal.store.CachedPage;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * The end of a render whose client waits for it: stored if allowed, the waiters let go, then the
 * client answered (the render, a freshened page, or within stale-if-error the stale copy). Runs
 * on the request thread, or on the thread that ends an asynchronous render.
 */
final class ClientEnding implements Miss.Ending {
  private static final Logger LOG = System.getLogger(PageCacheFilter.class.getName());

  private final Exchange exchange;
  private final Optional<CachedPage> staleIfError;
  private final boolean mayStore;
  private final Renderer.Waiters pending;
  private final Miss miss;
  private final OuterFields outer;

  ClientEnding(Exchange exchange, Optional<CachedPage> staleIfError, boolean mayStore, Renderer.Waiters pending, Miss miss,
      OuterFields outer) {
    this.exchange = exchange;
    this.staleIfError = staleIfError;
    this.mayStore = mayStore;
    this.pending = pending;
    this.miss = miss;
    this.outer = outer;
  }

  @Override
  public void finish(Throwable failure) throws IOException, ServletException {
    RenderResult result = RenderResult.notStored(Reason.EXCEPTION);
    try {
      boolean failed;
      if (failure != null) {
        if (staleIfError.isEmpty() || !miss.isHeld() || failure instanceof Error) {
          miss.announceFailure();
          throw rethrown(failure);
        }
        LOG.log(Level.DEBUG, () -> "pagecache: render of " + exchange.view.path() + " failed; serving the stale copy",
            failure);
        failed = true;
      } else {
        failed = staleIfError.isPresent() && miss.failed();
        if (failed) {
          result = RenderResult.notStored(Reason.STATUS);
          exchange.cache.counters.count(Reason.STATUS);
        }
      }
      if (failed) {
        pending.release(result);
        miss.countRevalidationFailure();
        serveStaleIfError(exchange, staleIfError.get(), outer);
        return;
      }
      result = miss.store();
    } finally {
      pending.release(result); // whatever happened, before this client is answered
      miss.countRevalidationFailure(); // unless counted as it ended: stats are right before the client hears
    }
    if (miss.validatorMismatch()) {
      outer.restore(exchange.response);
      if (miss.wentAsync()) {
        answerValidatorMismatch();
        return;
      }
      // The origin's 304 was about something else than the stored page: ask for the page itself.
      exchange.revalidate = Optional.empty();
      Renderer.renderAndSend(exchange, staleIfError, mayStore, Renderer.Waiters.NONE);
    } else if (miss.freshened() != null) {
      outer.restore(exchange.response); // undo what the 304 told the container
      exchange.serveRevalidated(miss.freshened(), exchange.cache.clock.instant(), miss.freshenedStatus());
    } else {
      miss.send();
    }
  }

  /**
   * An asynchronous render cannot be run again from here: the client gets a 502, and the stored
   * page the origin's 304 did not vouch for is dropped, so that the next request renders it whole.
   */
  private void answerValidatorMismatch() {
    try {
      exchange.cache.invalidate(exchange.view);
    } catch (RuntimeException e) {
      exchange.cache.counters.storeErrors.increment();
      LOG.log(Level.WARNING, "pagecache: dropping " + exchange.view.path() + " failed", e);
    }
    exchange.response.setStatus(502);
    exchange.response.setHeader(CacheStatus.HEADER, CacheStatus.miss(exchange.fwd, Reason.VALIDATOR_MISMATCH));
    exchange.response.setContentLength(0);
  }

  @Override
  public void abandon(Reason why) {
    try {
      if (!miss.releasedEarly()) {
        exchange.cache.counters.count(why); // one let go early was counted then
      }
      miss.dropHeld(why);
      miss.countRevalidationFailure();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "pagecache: giving up the render of " + exchange.view.path() + " failed", e);
    } finally {
      pending.release(RenderResult.notStored(why));
    }
  }

  private static RuntimeException rethrown(Throwable failure) throws IOException, ServletException {
    if (failure instanceof IOException io) {
      throw io;
    }
    if (failure instanceof ServletException servlet) {
      throw servlet;
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    throw new ServletException(failure);
  }

  private static void serveStaleIfError(Exchange exchange, CachedPage stale, OuterFields outer) throws IOException {
    exchange.cache.counters.staleIfErrorServed.increment();
    outer.restore(exchange.response); // undo what the failed render told the container
    exchange.serve(stale, exchange.cache.clock.instant(), false, CacheStatus.HIT_STALE_IF_ERROR);
  }
}
