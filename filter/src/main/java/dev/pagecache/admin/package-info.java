/**
 * The admin page: {@link dev.pagecache.admin.PageCacheAdminServlet}, which an application maps
 * (e.g. at {@code /pagecache/*}) to see the cache's stats and stored copies, look up one URL and
 * purge. Off unless mapped, and closed unless a token or an allow-list guards it.
 */
package dev.pagecache.admin;
