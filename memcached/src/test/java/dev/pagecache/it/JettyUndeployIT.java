package dev.pagecache.it;

import dev.pagecache.PageCacheFilter;
import jakarta.servlet.DispatcherType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.io.TempDir;

/** In a Jetty 12 servlet context that is stopped while the server goes on. */
class JettyUndeployIT extends UndeployContract {
  @TempDir
  Path webapp;

  @Override
  Deployment deploy(String memcachedServers) throws Exception {
    Files.writeString(Files.createDirectories(webapp.resolve("WEB-INF")).resolve("pagecache.conf"), RULES);
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/undeploy");
    context.setBaseResourceAsPath(webapp);
    FilterHolder filter = new FilterHolder(PageCacheFilter.class);
    initParams(memcachedServers).forEach(filter::setInitParameter);
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(HelloServlet.class, "/hello");
    server.setHandler(context);
    server.start();
    return new Deployment() {
      @Override
      public int port() {
        return connector.getLocalPort();
      }

      @Override
      public String contextPath() {
        return "/undeploy";
      }

      @Override
      public void stopApplication() throws Exception {
        context.stop();
      }

      @Override
      public String leakWarnings() {
        return "";
      }

      @Override
      public void close() throws Exception {
        server.stop();
      }
    };
  }
}
