package dev.pagecache.it;

import dev.pagecache.PageCacheFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;

/**
 * A {@link PageCacheFilter} configured as {@code web.xml} configures it, by init-params, inside
 * the container's own filter life cycle.
 */
final class InitParamsFilter implements Filter {
  final PageCacheFilter filter = new PageCacheFilter();
  private final Map<String, String> params;

  InitParamsFilter(Map<String, String> params) {
    this.params = Map.copyOf(params);
  }

  @Override
  public void init(FilterConfig container) throws ServletException {
    filter.init(new FilterConfig() {
      @Override
      public String getFilterName() {
        return container.getFilterName();
      }

      @Override
      public ServletContext getServletContext() {
        return container.getServletContext();
      }

      @Override
      public String getInitParameter(String name) {
        return params.get(name);
      }

      @Override
      public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(params.keySet());
      }
    });
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    filter.doFilter(request, response, chain);
  }

  @Override
  public void destroy() {
    filter.destroy();
  }
}
