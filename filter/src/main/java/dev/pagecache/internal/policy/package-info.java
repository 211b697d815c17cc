/**
 * The cache's decisions, as pure functions of a request view, a response or snapshot, a rule and
 * an instant: is this request eligible, which key, may this response be stored and for how long,
 * is this page fresh, does this conditional request get a 304. Nothing here reads a clock,
 * touches the servlet API or does I/O, so every decision is tested without a container.
 */
package dev.pagecache.internal.policy;
