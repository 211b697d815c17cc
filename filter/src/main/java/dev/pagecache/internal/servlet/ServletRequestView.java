package dev.pagecache.internal.servlet;

import dev.pagecache.internal.policy.RequestView;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A {@link RequestView} over a servlet request; reads lazily, so a hit touches only what it needs. */
public final class ServletRequestView implements RequestView {
  private final HttpServletRequest request;
  private final URI site;
  private String host;

  public ServletRequestView(HttpServletRequest request) {
    this(request, null);
  }

  private ServletRequestView(HttpServletRequest request, URI site) {
    this.request = request;
    this.site = site;
  }

  /**
   * A request this cache sent itself (a warm render) for the site at {@code site}: keyed by the
   * site's scheme, host and port, whatever socket it arrived on.
   */
  public static ServletRequestView onBehalfOf(HttpServletRequest request, URI site) {
    return new ServletRequestView(request, site);
  }

  @Override
  public String method() {
    return request.getMethod();
  }

  @Override
  public String scheme() {
    return site != null ? site.getScheme().toLowerCase(Locale.ROOT) : request.getScheme();
  }

  @Override
  public String host() {
    if (host == null) {
      host = (site != null ? site.getHost() : request.getServerName()).toLowerCase(Locale.ROOT);
    }
    return host;
  }

  @Override
  public int port() {
    if (site != null) {
      return site.getPort() >= 0 ? site.getPort() : site.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }
    return request.getServerPort();
  }

  @Override
  public String path() {
    return pathInApplication(request);
  }

  /** Servlet path plus path info: the decoded path below the context path. */
  public static String pathInApplication(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    String path = pathInfo == null ? servletPath : servletPath + pathInfo;
    return path == null || path.isEmpty() ? "/" : path;
  }

  @Override
  public String rawPath() {
    return request.getRequestURI();
  }

  @Override
  public Optional<String> query() {
    return Optional.ofNullable(request.getQueryString());
  }

  @Override
  public List<String> headers(String name) {
    Enumeration<String> values = request.getHeaders(name);
    if (values == null || !values.hasMoreElements()) {
      return List.of();
    }
    List<String> list = new ArrayList<>(2);
    while (values.hasMoreElements()) {
      list.add(values.nextElement());
    }
    return list;
  }

  @Override
  public Optional<String> header(String name) {
    return Optional.ofNullable(request.getHeader(name));
  }

  @Override
  public boolean hasHeader(String name) {
    return request.getHeader(name) != null;
  }

  @Override
  public boolean authenticated() {
    return request.getUserPrincipal() != null;
  }

  @Override
  public SessionId sessionId() {
    // Containers resolve the requested session id as the request arrives: this reads a field.
    if (request.getRequestedSessionId() == null) {
      return SessionId.NONE;
    }
    return request.isRequestedSessionIdFromCookie() ? SessionId.COOKIE : SessionId.URL;
  }

  @Override
  public Optional<String> cookie(String name) {
    if (request.getHeader("Cookie") == null) {
      return Optional.empty();
    }
    Cookie[] cookies = request.getCookies();
    if (cookies != null) {
      for (Cookie cookie : cookies) {
        if (cookie.getName().equals(name)) {
          return Optional.of(cookie.getValue());
        }
      }
    }
    return Optional.empty();
  }
}
