/**
 * Plumbing shared by pagecache's own packages. Not an API: it may change in any release.
 */
package dev.pagecache.internal;
