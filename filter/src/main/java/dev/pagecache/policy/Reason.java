package dev.pagecache.policy;

/**
 * Why a request was not answered from the cache or a response was not stored. Each value is
 * counted in stats and named in the {@code detail} of the {@code Cache-Status} header.
 */
public enum Reason {
  // Why a request skipped the cache.
  NO_RULE("no-rule"),
  EXCLUDED("excluded"),
  METHOD("method"),
  AUTHORIZATION("authorization"),
  AUTHENTICATED("authenticated"),
  BYPASS_COOKIE("bypass-cookie"),
  PRECONDITION("precondition"),
  BYPASS_REQUESTED("bypass-requested"),
  // Why a response was not stored.
  HEAD_MISS("head-miss"),
  EXCEPTION("exception"),
  ASYNC("async"),
  EVENT_STREAM("event-stream"),
  STATUS("status"),
  NO_STORE("no-store"),
  NO_CACHE("no-cache"),
  PRIVATE("private"),
  SET_COOKIE("set-cookie"),
  SESSION("session"),
  VARY_STAR("vary-star"),
  TOO_LARGE("too-large"),
  NOT_FRESH("not-fresh"),
  NO_LIFETIME("no-lifetime"),
  PURGED("purged"),
  STORE_ERROR("store-error");

  private final String detail;

  Reason(String detail) {
    this.detail = detail;
  }

  /** Whether this is a reason to skip the cache altogether, rather than not to store a response. */
  public boolean isBypass() {
    return ordinal() <= BYPASS_REQUESTED.ordinal();
  }

  /** The token used in {@code Cache-Status} and in stats. */
  public String detail() {
    return detail;
  }
}
