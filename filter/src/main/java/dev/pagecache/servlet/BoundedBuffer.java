package dev.pagecache.servlet;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer that refuses to grow past a limit: the first write that would pass it
 * drops everything held and every later write is ignored. Not thread-safe (one per response).
 */
final class BoundedBuffer extends OutputStream {
  private static final int INITIAL_CAPACITY = 8 * 1024;

  private final long limit;
  private byte[] bytes;
  private int size;
  private boolean overflowed;

  BoundedBuffer(long limit) {
    this.limit = limit;
    this.bytes = new byte[(int) Math.min(INITIAL_CAPACITY, limit)];
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] source, int offset, int length) {
    if (overflowed || length == 0) {
      return;
    }
    long needed = (long) size + length;
    if (needed > limit) {
      overflow();
      return;
    }
    if (needed > bytes.length) {
      bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(needed, 2L * bytes.length)));
    }
    System.arraycopy(source, offset, bytes, size, length);
    size += length;
  }

  /** Makes room for {@code expected} bytes at once, or overflows if they cannot fit. */
  void expect(long expected) {
    if (expected > limit) {
      overflow();
    } else if (!overflowed && expected > bytes.length) {
      bytes = Arrays.copyOf(bytes, (int) expected);
    }
  }

  void overflow() {
    overflowed = true;
    bytes = new byte[0];
    size = 0;
  }

  boolean overflowed() {
    return overflowed;
  }

  /** Drops what is held and accepts writes again, as after a {@code resetBuffer}. */
  void clear() {
    size = 0;
    if (overflowed) {
      overflowed = false;
      bytes = new byte[(int) Math.min(INITIAL_CAPACITY, limit)];
    }
  }

  int size() {
    return size;
  }

  /** The bytes held, in an array of their own. */
  byte[] toByteArray() {
    return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
  }
}
