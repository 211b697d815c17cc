/**
 * pagecache: a servlet filter that serves whole responses from immutable snapshots.
 *
 * <p>The API is {@link dev.pagecache.PageCacheFilter} (register it), {@link dev.pagecache.PageCacheConfig}
 * (configure it in code), {@link dev.pagecache.PageCache} (purge and read stats at run time) and
 * {@link dev.pagecache.PageCacheStats}. Rules are in {@link dev.pagecache.rules}; the decisions in
 * {@link dev.pagecache.internal.policy}; storage in {@link dev.pagecache.store}; the servlet plumbing in
 * {@link dev.pagecache.internal.servlet}.
 */
package dev.pagecache;
