package dev.pagecache.it;

import dev.pagecache.PageCacheFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
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
    filter.init(TestFilterConfig.of(container.getFilterName(), container.getServletContext(), params));
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
