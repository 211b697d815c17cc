package dev.pagecache.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;

/**
 * The request a miss renders with. It notes whether rendering reached an HTTP session (a page
 * rendered with a session may hold one user's data, and Tomcat adds the cookie of a new session
 * deep inside the container, past every response wrapper: the session itself is the only reliable
 * sign), and tells the cache the moment the request goes asynchronous, while the rendering thread
 * still owns the response.
 */
public final class TrackedRequest extends HttpServletRequestWrapper {
  private Runnable onStartAsync = () -> { };
  private boolean usedSession;

  private static final java.util.Set<String> CONDITIONALS = dev.pagecache.http.HeaderNames.setOf(
      "If-None-Match", "If-Modified-Since");

  private final boolean hideConditionals;

  /**
   * @param hideConditionals whether the origin should not see {@code If-None-Match} and
   *     {@code If-Modified-Since}, so that it answers with the whole page
   */
  public TrackedRequest(HttpServletRequest request, boolean hideConditionals) {
    super(request);
    this.hideConditionals = hideConditionals;
  }

  @Override
  public String getHeader(String name) {
    return hides(name) ? null : super.getHeader(name);
  }

  @Override
  public java.util.Enumeration<String> getHeaders(String name) {
    return hides(name) ? java.util.Collections.emptyEnumeration() : super.getHeaders(name);
  }

  @Override
  public long getDateHeader(String name) {
    return hides(name) ? -1 : super.getDateHeader(name);
  }

  @Override
  public java.util.Enumeration<String> getHeaderNames() {
    if (!hideConditionals) {
      return super.getHeaderNames();
    }
    java.util.List<String> names = new java.util.ArrayList<>();
    for (String name : java.util.Collections.list(super.getHeaderNames())) {
      if (!CONDITIONALS.contains(name)) {
        names.add(name);
      }
    }
    return java.util.Collections.enumeration(names);
  }

  private boolean hides(String name) {
    return hideConditionals && name != null && CONDITIONALS.contains(name);
  }

  /** Runs {@code listener} on the rendering thread when the request starts async processing. */
  public void onStartAsync(Runnable listener) {
    this.onStartAsync = listener;
  }

  @Override
  public HttpSession getSession() {
    return noted(super.getSession());
  }

  @Override
  public HttpSession getSession(boolean create) {
    return noted(super.getSession(create));
  }

  private HttpSession noted(HttpSession session) {
    if (session != null) {
      usedSession = true;
    }
    return session;
  }

  /** Whether a session was created or read, through this wrapper or (new ones) past it. */
  public boolean usedSession() {
    if (usedSession) {
      return true;
    }
    HttpSession session = ((HttpServletRequest) getRequest()).getSession(false);
    return session != null && session.isNew();
  }

  /**
   * Whether the session in use now is the one the request named, and existed before: not a new
   * one this render created because the named one had expired (or never existed).
   */
  public boolean usedOnlyTheRequestedSession() {
    HttpServletRequest request = (HttpServletRequest) getRequest();
    HttpSession session = request.getSession(false);
    // Not getId().equals(...): Jetty's requested id carries a node suffix that getId() does not.
    return session != null && !session.isNew() && request.isRequestedSessionIdValid();
  }

  // Told after the container agreed: if startAsync throws, the application renders on and the
  // response may still be stored. Asynchronous code has not started yet either way.

  @Override
  public AsyncContext startAsync() {
    AsyncContext started = super.startAsync();
    onStartAsync.run();
    return started;
  }

  @Override
  public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
    AsyncContext started = super.startAsync(request, response);
    onStartAsync.run();
    return started;
  }
}
