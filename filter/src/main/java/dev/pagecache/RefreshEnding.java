package dev.pagecache;

import dev.pagecache.internal.policy.Reason;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The end of a refresh: the new page stored, or the stale copy kept until its windows end; the
 * lead and the lease let go either way. An asynchronous refresh ends when the application
 * completes, long after the stale answer's request thread has returned.
 */
final class RefreshEnding implements Miss.Ending {
  private static final Logger LOG = System.getLogger(PageCacheFilter.class.getName());

  private final Exchange exchange;
  private final Miss refresh;
  private final Coalescer.Lead lead;

  RefreshEnding(Exchange exchange, Miss refresh, Coalescer.Lead lead) {
    this.exchange = exchange;
    this.refresh = refresh;
    this.lead = lead;
  }

  @Override
  public void finish(Throwable failure) {
    RenderResult result = RenderResult.notStored(Reason.EXCEPTION);
    try {
      if (failure == null) {
        result = refresh.store();
      } else {
        keepingStale(failure);
      }
    } catch (IOException | RuntimeException e) {
      keepingStale(e);
    } finally {
      settle(result);
    }
  }

  @Override
  public void abandon(Reason why) {
    try {
      if (!refresh.releasedEarly()) {
        exchange.cache.counters.count(why, exchange.ruleCounters);
      }
      refresh.dropHeld(why);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "pagecache: giving up the refresh of " + exchange.view.path() + " failed", e);
    } finally {
      settle(RenderResult.notStored(why));
    }
  }

  private void keepingStale(Throwable why) {
    LOG.log(Level.DEBUG, () -> "pagecache: refresh of " + exchange.view.path() + " failed; keeping the stale copy", why);
  }

  private void settle(RenderResult result) {
    try {
      refresh.countRevalidationFailure();
      if (!result.isStored()) {
        exchange.cache.counters.refreshFailures.increment(); // the stale copy stays until its windows end
      }
      Renderer.releaseLease(exchange);
    } finally {
      lead.finish(result);
    }
  }
}
