package dev.pagecache.internal.policy;

import java.time.Duration;
import java.time.Instant;

/** Whether a response may be stored, and if so until when. */
public sealed interface Storability {

  /**
   * @param expiresAt end of freshness
   * @param initialAge the age the response already had when received
   */
  record Store(Instant expiresAt, Duration initialAge) implements Storability {}

  record DontStore(Reason reason) implements Storability {}

  default boolean stores() {
    return this instanceof Store;
  }
}
