package dev.pagecache.store;

/** A stored value that does not decode: bad magic, unknown version, checksum or signature mismatch, truncation. */
public final class CorruptEntryException extends Exception {
  public CorruptEntryException(String message) {
    super(message, null, false, false);
  }
}
