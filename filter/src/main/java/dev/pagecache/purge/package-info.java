/**
 * The HTTP purge endpoint, off by default: {@code PURGE <url>} and {@code POST /pagecache/purge}
 * (see {@link dev.pagecache.purge.PurgeEndpoint}), guarded by a bearer token and/or a list of
 * client addresses ({@link dev.pagecache.purge.PurgeAccess}). Pure decisions: nothing here touches
 * the servlet API or the cache; {@link dev.pagecache.PageCacheFilter} reads the request, carries
 * out the purge and writes the answer.
 */
package dev.pagecache.purge;
