package dev.pagecache.it;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A servlet as a lambda, with a count of how often the origin really rendered. */
@FunctionalInterface
public interface Endpoint {
  void handle(HttpServletRequest request, HttpServletResponse response, int render) throws Exception;

  /** Renders per endpoint name, shared by every container in the JVM. */
  Map<String, AtomicInteger> RENDERS = new ConcurrentHashMap<>();

  static int renders(String name) {
    AtomicInteger count = RENDERS.get(name);
    return count == null ? 0 : count.get();
  }

  default HttpServlet asServlet(String name) {
    Endpoint endpoint = this;
    return new HttpServlet() {
      @Override
      protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int render = RENDERS.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        try {
          endpoint.handle(request, response, render);
        } catch (IOException | RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }
}
