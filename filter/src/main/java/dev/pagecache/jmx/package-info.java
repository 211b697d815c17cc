/**
 * JMX view of a running page cache, for containers and consoles without Micrometer: the filter
 * registers a {@link dev.pagecache.jmx.PageCacheMXBean} per filter instance while it runs
 * (turn it off with the {@code pagecache.jmx} init-param or {@code PageCacheConfig.Builder.jmx(false)}).
 */
package dev.pagecache.jmx;
