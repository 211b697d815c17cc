package dev.pagecache.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;

/**
 * Notes whether rendering a miss reached an HTTP session. A page rendered with a session may hold
 * one user's data (a name, a cart), and Tomcat adds the cookie of a new session deep inside the
 * container, past every response wrapper: the session itself is the only reliable sign.
 */
public final class SessionTrackingRequest extends HttpServletRequestWrapper {
  private boolean usedSession;

  public SessionTrackingRequest(HttpServletRequest request) {
    super(request);
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
}
