package dev.pagecache.it;

import dev.pagecache.PageCacheFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.security.Principal;

/**
 * Plays the filters an application puts in front of the cache: a login filter that identifies
 * the user named in {@code X-Test-User} (as a security filter or the container's form login
 * would), and code that asks the cache to step aside for requests with {@code X-Bypass}.
 */
public final class FrontFilter implements Filter {
  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    if (request.getHeader("X-Bypass") != null) {
      PageCacheFilter.bypass(request);
    }
    String user = request.getHeader("X-Test-User");
    if (user == null) {
      chain.doFilter(req, res);
      return;
    }
    Principal principal = () -> user;
    chain.doFilter(new HttpServletRequestWrapper(request) {
      @Override
      public Principal getUserPrincipal() {
        return principal;
      }

      @Override
      public String getRemoteUser() {
        return user;
      }
    }, res);
  }
}
