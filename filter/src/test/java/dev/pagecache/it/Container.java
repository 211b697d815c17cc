package dev.pagecache.it;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A real servlet container started on a free loopback port. */
public interface Container extends AutoCloseable {

  /**
   * Servlets by mapping, and filters (in order, all mapped to /*, for {@code dispatches}) in front
   * of them.
   */
  record App(String contextPath, List<Filter> filters, Map<String, HttpServlet> servlets,
      Set<DispatcherType> dispatches) {
    /** Filters mapped for REQUEST and ASYNC dispatches, as the README asks. */
    App(String contextPath, List<Filter> filters, Map<String, HttpServlet> servlets) {
      this(contextPath, filters, servlets, EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    }
  }

  int port();

  String contextPath();

  @Override
  void close() throws Exception;
}
