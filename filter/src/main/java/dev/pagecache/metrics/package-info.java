/**
 * Micrometer meters for a running {@link dev.pagecache.PageCache}: bind a
 * {@link dev.pagecache.metrics.PageCacheMeters} to a {@code MeterRegistry}. Every class here
 * needs {@code io.micrometer:micrometer-core}, an optional dependency of pagecache; nothing else in
 * pagecache loads this package, so an application without Micrometer does not need it.
 */
package dev.pagecache.metrics;
