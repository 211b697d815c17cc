/**
 * The demo web application: slow pages that {@link dev.pagecache.PageCacheFilter} makes fast,
 * and the pages that show what the cache did. Container-neutral: the same servlets run in the
 * embedded Jetty of {@link dev.pagecache.demo.server.DemoServer} and, through
 * {@code WEB-INF/web.xml}, in any Servlet 6 container.
 *
 * <ul>
 *   <li>{@link dev.pagecache.demo.HomePage} {@code /}: a few thousand videos, about 500 KB of HTML,
 *       the same for every visitor;</li>
 *   <li>{@link dev.pagecache.demo.WikiPage} {@code /wiki/{name}}: a view, and its edit by
 *       {@code POST}, which purges the cached view, and by tag the index {@code /wiki/};</li>
 *   <li>{@link dev.pagecache.demo.LinksPage} {@code /links?page=N}: a ranking per user (the
 *       {@code user} cookie), cached per user and page, with the user's feeds;
 *       {@link dev.pagecache.demo.FeedsServlet} {@code POST /links/feeds} adds one and purges the
 *       user's tag, all of their pages;</li>
 *   <li>{@link dev.pagecache.demo.ShortLinks} {@code /go/{code}}: permanent redirects, cached a day
 *       here and downstream;</li>
 *   <li>{@link dev.pagecache.demo.StatsServlet} {@code /pagecache/stats}: the cache's counters as
 *       JSON;</li>
 *   <li>{@link dev.pagecache.admin.PageCacheAdminServlet} {@code /pagecache/}: the library's admin
 *       page (stats, stored copies, look-up, purges), behind the purge token.</li>
 * </ul>
 *
 * <p>Every page's data is generated from fixed seeds, so two runs show the same pages; only the
 * render time and number change, which is how a hit is told from a miss in the browser. What
 * visitors write (wiki pages, feeds) is {@link dev.pagecache.demo.DemoData}: in memory, or in
 * memcached, shared by several demo processes as a fleet shares its database.
 */
package dev.pagecache.demo;
