package dev.pagecache;

import dev.pagecache.internal.policy.CacheStatus;
import dev.pagecache.internal.policy.Decision;
import dev.pagecache.internal.policy.Reason;
import dev.pagecache.internal.servlet.OuterFields;
import dev.pagecache.internal.store.CachedPage;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;

/**
 * Carries out the decisions that need the origin: who renders a missing or expired page, and
 * what the others do meanwhile. One render per page per JVM (and, with memcached, per fleet);
 * requests that arrive during it wait for it, bounded, and are answered from what it stored. A
 * render releases its waiters as soon as its page is stored, before its own client has received
 * it. Whoever takes the lead looks in the cache once more first: a render that finished since
 * this request looked has already done the work.
 */
final class Renderer {
  private static final Logger LOG = System.getLogger(PageCacheFilter.class.getName());

  /** What waits on a render: let go once the page is stored, or known not to be. */
  @FunctionalInterface
  interface Waiters {
    Waiters NONE = result -> { };

    void release(RenderResult result);

    /** These waiters, let go at the first call only. */
    static Waiters once(Waiters waiters) {
      java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
      return result -> {
        if (released.compareAndSet(false, true)) {
          waiters.release(result);
        }
      };
    }
  }

  private Renderer() {}

  /** No usable page: the origin renders, once for all the requests that want it now. */
  static void render(Exchange exchange, Decision.Render decision) throws IOException, ServletException {
    LocalPageCache cache = exchange.cache;
    if (!decision.mayStore() || !exchange.rule.coalesce()) {
      renderForClient(exchange, decision.staleIfError(), decision.mayStore(), Waiters.NONE);
      return;
    }
    String key = exchange.renderKey();
    if (cache.coalescer.isUncacheable(key)) {
      renderForClient(exchange, decision.staleIfError(), true,
          result -> cache.coalescer.renderedWhileUncacheable(key, result));
      return;
    }
    Coalescer.Lead lead = cache.coalescer.lead(key);
    if (lead == null) {
      if (awaitOtherRender(exchange)) {
        CachedPage rendered = exchange.freshPage(cache.clock.instant());
        if (rendered != null) {
          cache.counters.coalescedHits.increment();
          exchange.serve(rendered, cache.clock.instant(), false, CacheStatus.HIT_COLLAPSED);
          return;
        }
      }
      renderForClient(exchange, decision.staleIfError(), true, Waiters.NONE);
      return;
    }
    renderOncePerFleet(exchange, decision.staleIfError(), lead);
  }

  /**
   * With a store shared by other JVMs, one JVM of the fleet renders: a memcached lease decides
   * which. The others wait (at most the rule's coalesceWait) until the lease is gone, then look in
   * the shared store once for its result, and render for themselves if it is not there. This JVM's
   * {@link FleetWaits} watches all such leases at once, so waiting costs no polling per page.
   */
  private static void renderOncePerFleet(Exchange exchange, Optional<CachedPage> staleIfError, Coalescer.Lead lead)
      throws IOException, ServletException {
    LocalPageCache cache = exchange.cache;
    // The store answers every failure itself (a miss, a granted lease): nothing here throws.
    if (!cache.sharedAcrossJvms() || cache.tryLease(exchange.renderKey(), leaseTtl(exchange))) {
      PageIndex.Found meanwhile = exchange.freshFound(cache.clock.instant());
      if (meanwhile != null) {
        // A render that ended since this request looked has stored the page already (maybe another JVM's).
        lead.release();
        releaseLease(exchange);
        exchange.serve(meanwhile.page(), cache.clock.instant(), meanwhile.shared(),
            meanwhile.shared() ? CacheStatus.HIT_SHARED : CacheStatus.HIT);
        return;
      }
      renderForClient(exchange, staleIfError, true, result -> {
        try {
          lead.finish(result);
        } finally {
          releaseLease(exchange);
        }
      });
      return;
    }
    cache.counters.coalescedWaits.increment();
    FleetWaits.Outcome outcome = awaitFleetRender(exchange, lead);
    if (outcome == FleetWaits.Outcome.RELEASED) {
      CachedPage rendered = exchange.freshPage(cache.clock.instant());
      if (rendered != null) {
        cache.counters.coalescedHits.increment();
        lead.release(); // this JVM's waiters find it too
        exchange.serve(rendered, cache.clock.instant(), true, CacheStatus.HIT_COLLAPSED_SHARED);
        return;
      }
      // Released without a page (not storable, purged) or expired with a dead holder.
    } else if (outcome == FleetWaits.Outcome.TIMED_OUT) {
      cache.counters.coalesceTimeouts.increment();
    }
    renderForClient(exchange, staleIfError, true, lead::finish);
  }

  /** Waits until another JVM's lease on this page is gone, at most the rule's coalesceWait. */
  private static FleetWaits.Outcome awaitFleetRender(Exchange exchange, Coalescer.Lead lead) throws ServletException {
    try (FleetWaits.Wait wait = exchange.cache.fleetWaits.watch(exchange.renderKey())) {
      return wait.await(exchange.rule.coalesceWait());
    } catch (InterruptedException e) {
      lead.release();
      Thread.currentThread().interrupt();
      throw new ServletException("interrupted while waiting for another JVM's render", e);
    }
  }

  static void releaseLease(Exchange exchange) {
    if (exchange.cache.sharedAcrossJvms()) {
      exchange.cache.releaseLease(exchange.renderKey());
    }
  }

  /** A render a client asked for: a miss, in the stats. */
  private static void renderForClient(Exchange exchange, Optional<CachedPage> staleIfError, boolean mayStore,
      Waiters waiters) throws IOException, ServletException {
    exchange.cache.counters.misses.increment();
    renderAndSend(exchange, staleIfError, mayStore, waiters);
  }

  /**
   * Renders, stores if allowed, lets the waiters go, then answers the client. Within a page's
   * stale-if-error window the render is kept from the client until it is known to have
   * succeeded; if it throws or answers 5xx, the client gets the stale page instead. When the
   * application goes asynchronous, this returns at once, and all of that happens when the render
   * ends ({@link ClientEnding}).
   */
  static void renderAndSend(Exchange exchange, Optional<CachedPage> staleIfError, boolean mayStore,
      Waiters waiters) throws IOException, ServletException {
    Waiters pending = Waiters.once(waiters);
    Miss miss;
    OuterFields outer;
    try {
      // What filters in front set, to put back when the client gets a stored page instead of the render.
      outer = staleIfError.isPresent() || exchange.revalidate.isPresent() ? OuterFields.of(exchange.response) : null;
      miss = Miss.forClient(exchange, mayStore, exchange.revalidate);
      // A response let go early (too large, an event stream) will not be stored: nobody need wait for its end.
      miss.onEarlyRelease(pending::release);
    } catch (RuntimeException | Error e) {
      pending.release(RenderResult.notStored(Reason.EXCEPTION));
      throw e;
    }
    miss.run(new ClientEnding(exchange, staleIfError, mayStore, pending, miss, outer));
  }

  /**
   * Serves an expired page at once and, if no other request is already doing it, renders its
   * successor after the client has the whole stale response: on this thread, or, when the
   * application goes asynchronous, wherever it completes (this thread returns at once). The
   * render reaches no client; it only refreshes the stored page.
   */
  static void serveStaleThenRefresh(Exchange exchange, Decision.ServeStale decision)
      throws IOException, ServletException {
    LocalPageCache cache = exchange.cache;
    cache.counters.staleServed.increment();
    exchange.serve(decision.page(), cache.clock.instant(), false, CacheStatus.HIT_STALE);
    exchange.response.flushBuffer(); // the Content-Length is set: the client has the whole answer now
    if (!decision.refresh()) {
      return;
    }
    Coalescer.Lead lead = cache.coalescer.lead(exchange.renderKey());
    if (lead == null) {
      return;
    }
    // One refresh per fleet: a JVM that loses the lease leaves it to the one that won.
    if (cache.sharedAcrossJvms() && !cache.tryLease(exchange.renderKey(), leaseTtl(exchange))) {
      lead.release();
      return;
    }
    // A refresh that finished since this request looked has already done the work.
    if (exchange.freshPage(cache.clock.instant()) != null) {
      releaseLease(exchange);
      lead.release();
      return;
    }
    cache.counters.refreshes.increment();
    Miss refresh;
    try {
      refresh = Miss.withoutClient(exchange,
          decision.page().revalidatable() ? Optional.of(decision.page()) : Optional.empty());
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, () -> "pagecache: refresh of " + exchange.view.path() + " failed; keeping the stale copy", e);
      cache.counters.refreshFailures.increment();
      releaseLease(exchange);
      lead.finish(RenderResult.notStored(Reason.EXCEPTION));
      return;
    }
    refresh.run(new RefreshEnding(exchange, refresh, lead));
  }

  /**
   * A warm-up request of this filter's own: rendered and stored although a fresh copy may exist.
   * One that follows a purge ({@code afterPurge}) is coalesced with clients' renders of the page:
   * it leads a render they wait for, or waits for theirs; and it renders nothing when a current
   * copy exists, since that copy was rendered after the purge. (Otherwise a client's render and
   * the refresh both ran and both stored, and two visitors in a row got different copies.)
   */
  static void renderForWarmer(Exchange exchange, boolean afterPurge) throws IOException, ServletException {
    LocalPageCache cache = exchange.cache;
    cache.counters.refreshes.increment();
    if (!afterPurge || !exchange.rule.coalesce()) {
      renderAndSend(exchange, Optional.empty(), true, Waiters.NONE);
      return;
    }
    Coalescer.Lead lead = cache.coalescer.lead(exchange.renderKey());
    if (lead == null) {
      awaitOtherRender(exchange); // a client's render of the page, begun after the purge or not
      lead = cache.coalescer.lead(exchange.renderKey());
      if (lead == null) {
        renderAndSend(exchange, Optional.empty(), true, Waiters.NONE);
        return;
      }
    }
    PageIndex.Found current = exchange.freshFound(cache.clock.instant()); // purged copies are not found
    if (current != null) {
      lead.release();
      exchange.serve(current.page(), cache.clock.instant(), current.shared(), CacheStatus.HIT);
      return;
    }
    renderAndSend(exchange, Optional.empty(), true, lead::finish);
  }

  /** Long enough for a render, short enough that a dead holder does not block the fleet for long. */
  private static Duration leaseTtl(Exchange exchange) {
    Duration twice = exchange.rule.coalesceWait().multipliedBy(2);
    return twice.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2) : twice;
  }

  /** Waits for the render another request is doing; false if it took longer than the rule allows. */
  private static boolean awaitOtherRender(Exchange exchange) throws ServletException {
    LocalPageCache cache = exchange.cache;
    cache.counters.coalescedWaits.increment();
    try {
      if (cache.coalescer.await(exchange.renderKey(), exchange.rule.coalesceWait())) {
        return true;
      }
      cache.counters.coalesceTimeouts.increment();
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServletException("interrupted while waiting for another render of the same page", e);
    }
  }
}
