package dev.pagecache.store;

/**
 * An entry a store found, and whether it came from a shared layer (another JVM's render) rather
 * than this JVM's memory.
 *
 * @param entry the entry found
 * @param shared {@code true} if the shared layer answered; {@code false} for this JVM's memory
 */
public record StoreHit(CacheEntry entry, boolean shared) {}
