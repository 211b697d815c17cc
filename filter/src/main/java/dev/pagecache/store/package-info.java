/**
 * The store SPI: the {@link dev.pagecache.store.PageStore} that keeps pagecache's immutable
 * entries ({@link dev.pagecache.store.CacheEntry}) until they expire or are evicted, the
 * {@link dev.pagecache.store.PageCodec} that turns them into a versioned byte format for stores
 * outside the JVM, and the {@link dev.pagecache.store.SharedStore} a fleet of JVMs shares
 * ({@code pagecache-memcached} is one), with its {@link dev.pagecache.store.PurgeLog}. Stores know
 * nothing about HTTP rules; they keep what they are given.
 */
package dev.pagecache.store;
