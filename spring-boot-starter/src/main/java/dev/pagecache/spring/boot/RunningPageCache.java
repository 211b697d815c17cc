package dev.pagecache.spring.boot;

import dev.pagecache.PageCache;
import jakarta.servlet.ServletContext;
import java.util.Optional;
import org.springframework.aop.TargetSource;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.web.context.WebApplicationContext;

/**
 * The {@link PageCache} that the filter starts with the web server, as a bean that exists before it.
 * The filter publishes its cache in the servlet context when the container initialises it, after
 * the beans are created; the proxy finds it there at each call, so the bean stays right when a
 * user registers the filter themselves. Every method of the interface is delegated, those added
 * later included.
 */
final class RunningPageCache implements TargetSource {
  private final WebApplicationContext context;

  private RunningPageCache(WebApplicationContext context) {
    this.context = context;
  }

  static PageCache proxy(WebApplicationContext context) {
    return ProxyFactory.getProxy(PageCache.class, new RunningPageCache(context));
  }

  @Override
  public Class<?> getTargetClass() {
    return PageCache.class;
  }

  @Override
  public boolean isStatic() {
    return false;
  }

  @Override
  public Object getTarget() {
    ServletContext servletContext = context.getServletContext();
    if (servletContext != null) {
      Optional<PageCache> running = PageCache.from(servletContext);
      if (running.isPresent()) {
        return running.get();
      }
    }
    throw new IllegalStateException("pagecache is not running: its filter starts with the embedded web server "
        + "(not in a mock web environment), and only while pagecache.enabled is true");
  }

  @Override
  public void releaseTarget(Object target) {}
}
