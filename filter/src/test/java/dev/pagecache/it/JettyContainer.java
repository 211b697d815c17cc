package dev.pagecache.it;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Embedded Jetty 12 (ee10, Servlet 6.0). */
public final class JettyContainer implements Container {
  private final Server server;
  private final ServerConnector connector;
  private final String contextPath;

  private JettyContainer(Server server, ServerConnector connector, String contextPath) {
    this.server = server;
    this.connector = connector;
    this.contextPath = contextPath;
  }

  public static JettyContainer start(App app) throws Exception {
    return start(app, 0);
  }

  /**
   * On a given port (0 for any free one). Jetty binds it before it starts the application, so
   * requests may arrive while the filters are still starting; they wait for them.
   */
  public static JettyContainer start(App app, int port) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(app.contextPath().isEmpty() ? "/" : app.contextPath(),
        ServletContextHandler.SESSIONS);
    for (Filter filter : app.filters()) {
      FilterHolder holder = new FilterHolder(filter);
      holder.setAsyncSupported(true);
      context.addFilter(holder, "/*", EnumSet.copyOf(app.dispatches()));
    }
    for (Map.Entry<String, HttpServlet> servlet : app.servlets().entrySet()) {
      ServletHolder holder = new ServletHolder(servlet.getValue());
      holder.setAsyncSupported(true);
      context.addServlet(holder, servlet.getKey());
    }
    server.setHandler(context);
    server.start();
    return new JettyContainer(server, connector, app.contextPath());
  }

  @Override
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public String contextPath() {
    return contextPath;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
