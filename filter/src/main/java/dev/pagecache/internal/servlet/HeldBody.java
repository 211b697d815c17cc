package dev.pagecache.internal.servlet;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The body of a response held back from its client: a growable byte array. It enforces no limit
 * itself; the capture decides before each write whether the bytes still fit, and lets the
 * response go when they do not. Not thread-safe (one per response).
 */
final class HeldBody {
  private static final int INITIAL_CAPACITY = 8 * 1024;

  private byte[] bytes = new byte[0];
  private int size;

  void write(byte[] source, int offset, int length) {
    int needed = size + length;
    if (needed > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(needed, Math.max(INITIAL_CAPACITY, bytes.length * 2)));
    }
    System.arraycopy(source, offset, bytes, size, length);
    size = needed;
  }

  /** Makes room for {@code expected} bytes at once, when a response declares its length. */
  void expect(int expected) {
    if (expected > bytes.length) {
      bytes = Arrays.copyOf(bytes, expected);
    }
  }

  int size() {
    return size;
  }

  /** Drops what is held, as after a {@code resetBuffer}. */
  void clear() {
    size = 0;
  }

  /** Lets go of the memory once the bytes have been sent on. */
  void discard() {
    bytes = new byte[0];
    size = 0;
  }

  void writeTo(OutputStream out) throws IOException {
    out.write(bytes, 0, size);
  }

  /** The bytes held, in an array of their own. */
  byte[] toByteArray() {
    return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
  }

  byte[] array() {
    return bytes;
  }
}
