package dev.pagecache.it;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.List;
import java.util.Map;

/** A real servlet container started on a free loopback port. */
public interface Container extends AutoCloseable {

  /** Servlets by mapping, and filters (in order, all mapped to /*) in front of them. */
  record App(String contextPath, List<Filter> filters, Map<String, HttpServlet> servlets) {}

  int port();

  String contextPath();

  @Override
  void close() throws Exception;
}
