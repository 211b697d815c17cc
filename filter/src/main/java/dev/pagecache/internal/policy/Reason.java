package dev.pagecache.internal.policy;

/**
 * Why a request was not answered from the cache or a response was not stored. Each value is
 * counted in stats and named in the {@code detail} of the {@code Cache-Status} header.
 *
 * <p>Each reason also says where it comes from, because only what the response itself says is
 * known for the next request too: a page whose render set a cookie will likely set one again, so
 * its key is rendered without queueing for a while (hit-for-miss); a {@code HEAD} request or a
 * purge that raced a render says nothing about the page, and must not switch coalescing off.
 */
public enum Reason {
  // Why a request skipped the cache.
  NO_RULE("no-rule", Source.REQUEST_BYPASS),
  UNKNOWN_HOST("unknown-host", Source.REQUEST_BYPASS),
  COMMITTED("committed", Source.REQUEST_BYPASS),
  EXCLUDED("excluded", Source.REQUEST_BYPASS),
  METHOD("method", Source.REQUEST_BYPASS),
  AUTHORIZATION("authorization", Source.REQUEST_BYPASS),
  AUTHENTICATED("authenticated", Source.REQUEST_BYPASS),
  SESSION_ID("session-id", Source.REQUEST_BYPASS),
  BYPASS_COOKIE("bypass-cookie", Source.REQUEST_BYPASS),
  PRECONDITION("precondition", Source.REQUEST_BYPASS),
  REQUEST_BODY("request-body", Source.REQUEST_BYPASS),
  QUERY_SEPARATOR("query-separator", Source.REQUEST_BYPASS),
  BYPASS_REQUESTED("bypass-requested", Source.REQUEST_BYPASS),
  // Why a response was not stored: the request did not allow it.
  HEAD_MISS("head-miss", Source.REQUEST),
  REQUEST_NO_STORE("request-no-store", Source.REQUEST),
  REQUEST_COOKIE("request-cookie", Source.REQUEST),
  /**
   * The stored body is in a coding of the origin's that this request refuses: the origin answers
   * it, and that answer does not replace the stored one, which suits the clients that asked for it.
   */
  ENCODING_NOT_ACCEPTED("encoding-not-accepted", Source.REQUEST),
  // ... the response itself.
  EXCEPTION("exception", Source.RESPONSE),
  ASYNC("async", Source.RESPONSE),
  EVENT_STREAM("event-stream", Source.RESPONSE),
  STATUS("status", Source.RESPONSE),
  NO_STORE("no-store", Source.RESPONSE),
  NO_CACHE("no-cache", Source.RESPONSE),
  PRIVATE("private", Source.RESPONSE),
  SET_COOKIE("set-cookie", Source.RESPONSE),
  SESSION("session", Source.RESPONSE),
  VARY_STAR("vary-star", Source.RESPONSE),
  TOO_LARGE("too-large", Source.RESPONSE),
  INCOMPLETE("incomplete", Source.RESPONSE),
  TYPE_MISMATCH("type-mismatch", Source.RESPONSE),
  NOT_FRESH("not-fresh", Source.RESPONSE),
  NO_LIFETIME("no-lifetime", Source.RESPONSE),
  // ... the cache.
  PURGED("purged", Source.CACHE),
  /** The origin's 304 named another validator than the stored page's: it does not vouch for it (RFC 9111 §4.3.4). */
  VALIDATOR_MISMATCH("validator-mismatch", Source.CACHE),
  STORE_ERROR("store-error", Source.CACHE),
  /**
   * An asynchronous render was not done when its {@code AsyncContext} timed out: slowness says
   * nothing about the next render, so the page stays coalesced.
   */
  ASYNC_TIMEOUT("async-timeout", Source.CACHE),
  /**
   * An asynchronous render failed: the container reported an error (often the client went away),
   * or it completed the request past the cache's {@code AsyncContext}.
   */
  ASYNC_ERROR("async-error", Source.CACHE);

  /** Where a reason comes from. */
  public enum Source {
    /** The request skips the cache altogether. */
    REQUEST_BYPASS,
    /** The request may be answered from the cache, but its own response may not be stored. */
    REQUEST,
    /** The response says it may not be stored, and would say so for the next request too. */
    RESPONSE,
    /** The cache could not or would not store it this time: a purge raced it, the store failed. */
    CACHE
  }

  private final String detail;
  private final Source source;

  Reason(String detail, Source source) {
    this.detail = detail;
    this.source = source;
  }

  /** Whether this is a reason to skip the cache altogether, rather than not to store a response. */
  public boolean isBypass() {
    return source == Source.REQUEST_BYPASS;
  }

  public Source source() {
    return source;
  }

  /** Whether the next render of the same page would very likely not be stored either. */
  public boolean predictsNextRender() {
    return source == Source.RESPONSE;
  }

  /** The token used in {@code Cache-Status} and in stats. */
  public String detail() {
    return detail;
  }
}
