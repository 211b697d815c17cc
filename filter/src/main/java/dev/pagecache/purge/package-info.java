/**
 * Purges that hold across a fleet: version groups (every page belongs to groups for its URL, its
 * path prefixes and its tags; a purge moves a group's version on, and a page stored before is a
 * miss from then on), and the purge log that carries each purge to every JVM within a bounded time.
 */
package dev.pagecache.purge;
