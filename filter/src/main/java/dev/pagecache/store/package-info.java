/**
 * Storage: immutable snapshots ({@link dev.pagecache.store.CachedPage}), the entries that lead
 * from a URL to its variants ({@link dev.pagecache.store.VariantIndex}), and the
 * {@link dev.pagecache.store.PageStore} that keeps them. Stores know nothing about HTTP rules;
 * they keep what they are given until it expires or is evicted.
 */
package dev.pagecache.store;
