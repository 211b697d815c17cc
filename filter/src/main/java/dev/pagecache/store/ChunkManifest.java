package dev.pagecache.store;

/**
 * What stands under an entry's key when the encoded entry is larger than one memcached item: the
 * bytes are split into {@code chunkCount} chunks of {@code chunkSize} bytes, the last one shorter,
 * under keys derived from {@code generation}. The generation is random per write, so a reader never
 * mixes the chunks of two writes of the same page.
 *
 * <p>The numbers come back from memcached, so they are checked here for consistency, and by the
 * reader against its own limits, before anything is fetched or allocated.
 *
 * @param generation random per write
 * @param chunkSize bytes in every chunk but the last
 * @param chunkCount how many chunks: exactly enough for {@code totalBytes}, at most 65535
 * @param totalBytes the length of the encoded entry the chunks add up to
 */
public record ChunkManifest(long generation, int chunkSize, int chunkCount, int totalBytes) {
  /** The most chunks one entry may have: the count is stored in 16 bits. */
  public static final int MAX_CHUNKS = 0xffff;

  /**
   * Checks that the numbers agree, since they may come from the store.
   *
   * @param generation random per write
   * @param chunkSize bytes in every chunk but the last, at least 1
   * @param chunkCount exactly enough chunks for {@code totalBytes}, at most {@link #MAX_CHUNKS}
   * @param totalBytes the length of the encoded entry, at least 1
   * @throws IllegalArgumentException if they do not agree
   */
  public ChunkManifest {
    if (chunkSize < 1 || totalBytes < 1) {
      throw new IllegalArgumentException("chunk size and total must be positive");
    }
    if (chunkCount != chunksFor(totalBytes, chunkSize)) {
      throw new IllegalArgumentException(chunkCount + " chunks of " + chunkSize + " bytes cannot hold " + totalBytes);
    }
    if (chunkCount > MAX_CHUNKS) {
      throw new IllegalArgumentException("more than " + MAX_CHUNKS + " chunks");
    }
  }

  /**
   * The manifest of an encoded entry split into chunks.
   *
   * @param generation random per write, so two writes of one page never mix
   * @param chunkSize the most bytes one chunk may hold
   * @param totalBytes the length of the encoded entry
   * @return the manifest, with as few chunks as hold the entry
   * @throws IllegalArgumentException if a size is not positive, or the entry needs more than
   *     {@link #MAX_CHUNKS} chunks
   */
  public static ChunkManifest split(long generation, int chunkSize, int totalBytes) {
    return new ChunkManifest(generation, chunkSize, (int) Math.min(Integer.MAX_VALUE, chunksFor(totalBytes, chunkSize)),
        totalBytes);
  }

  /**
   * The length one chunk must have; a chunk read back with another length is not this write's.
   *
   * @param index from 0
   * @return {@code chunkSize}, or the rest for the last chunk
   * @throws IndexOutOfBoundsException if there is no such chunk
   */
  public int chunkLength(int index) {
    if (index < 0 || index >= chunkCount) {
      throw new IndexOutOfBoundsException(index);
    }
    return index < chunkCount - 1 ? chunkSize : totalBytes - chunkSize * (chunkCount - 1);
  }

  private static long chunksFor(int totalBytes, int chunkSize) {
    return ((long) totalBytes + chunkSize - 1) / chunkSize;
  }
}
