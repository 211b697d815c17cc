/**
 * The servlet side: a view of the request for the policy, the response wrapper that tees a miss
 * to the client and into a bounded buffer, and the responder that writes a stored page.
 */
package dev.pagecache.internal.servlet;
