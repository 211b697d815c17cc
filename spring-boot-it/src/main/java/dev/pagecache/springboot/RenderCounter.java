package dev.pagecache.springboot;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/** How often each page was rendered by the application, as opposed to served from the cache. */
@Component
public class RenderCounter {
  private final Map<String, AtomicLong> renders = new ConcurrentHashMap<>();

  void rendered(String path) {
    renders.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
  }

  public long renders(String path) {
    AtomicLong count = renders.get(path);
    return count == null ? 0 : count.get();
  }
}
