/**
 * Per-URL rules: which requests are cached, for how long, and what goes into their key. Rules are
 * ordered and the first whose path pattern matches wins. They come from a HOCON rules file
 * ({@link dev.pagecache.rules.RulesFileParser}) or are built in code ({@link dev.pagecache.rules.CacheRule#forPath}).
 */
package dev.pagecache.rules;
