package dev.pagecache.internal.policy;

import dev.pagecache.internal.store.CachedPage;
import java.util.Optional;

/** What to do with a request the cache may answer, given what the store holds for it. */
public sealed interface Decision {

  /** A fresh page: answer from it, without the origin. */
  record Serve(CachedPage page) implements Decision {}

  /**
   * An expired page within its stale-while-revalidate window: answer from it at once, and, when
   * {@code refresh}, render its successor after the client has its answer.
   */
  record ServeStale(CachedPage page, boolean refresh) implements Decision {}

  /**
   * No usable page: the origin renders.
   *
   * @param mayStore whether this request's response may be stored, so that other requests for the
   *     page may wait for it; {@code false} for a {@code HEAD} or a request marked {@code no-store}
   * @param staleIfError an expired page that may stand in if the render fails
   * @param revalidate an expired page with the origin's validators: the render asks the origin
   *     whether it changed ({@link Revalidation#conditionals}), and a 304 freshens it
   */
  record Render(boolean mayStore, Optional<CachedPage> staleIfError, Optional<CachedPage> revalidate)
      implements Decision {
    public Render(boolean mayStore, Optional<CachedPage> staleIfError) {
      this(mayStore, staleIfError, Optional.empty());
    }
  }
}
