package dev.pagecache.store;

/** A stored value that does not decode: bad magic, unknown version, checksum or signature mismatch, truncation. */
public final class CorruptEntryException extends Exception {
  /**
   * A value that does not decode; it is counted and treated as a miss.
   *
   * @param message what is wrong with it, for the log
   */
  public CorruptEntryException(String message) {
    super(message, null, false, false);
  }
}
