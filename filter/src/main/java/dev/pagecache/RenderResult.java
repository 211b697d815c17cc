package dev.pagecache;

import dev.pagecache.internal.policy.Reason;
import java.util.Optional;

/** What became of one render: stored, or not and why. */
record RenderResult(Optional<Reason> notStoredBecause) {
  private static final RenderResult STORED = new RenderResult(Optional.empty());

  static RenderResult stored() {
    return STORED;
  }

  static RenderResult notStored(Reason reason) {
    return new RenderResult(Optional.of(reason));
  }

  boolean isStored() {
    return notStoredBecause.isEmpty();
  }

  /** Whether the page's next render would very likely not be stored either (see {@link Reason#predictsNextRender}). */
  boolean predictsUncacheable() {
    return notStoredBecause.map(Reason::predictsNextRender).orElse(false);
  }
}
