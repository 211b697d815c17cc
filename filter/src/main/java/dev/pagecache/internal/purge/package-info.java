/**
 * Purges: version groups (every page belongs to groups for its URL, its path prefixes and its tags;
 * a purge moves a group's version on, and a page stored before is a miss from then on), the purge
 * log that carries each purge to every JVM within a bounded time, and the HTTP purge endpoint, off
 * by default: {@code PURGE <url>} and {@code POST /pagecache/purge} (see
 * {@link dev.pagecache.internal.purge.PurgeEndpoint}), guarded by a bearer token and/or a list of client
 * addresses ({@link dev.pagecache.internal.purge.PurgeAccess}). The endpoint's classes decide only: they
 * touch neither the servlet API nor the cache; {@link dev.pagecache.PageCacheFilter} reads the
 * request, carries out the purge and writes the answer.
 */
package dev.pagecache.internal.purge;
