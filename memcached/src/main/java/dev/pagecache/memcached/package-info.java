/**
 * The optional shared layer: pages in a memcached cluster (through spymemcached), behind the
 * per-JVM store. Nothing here is loaded unless memcached servers are configured.
 */
package dev.pagecache.memcached;
