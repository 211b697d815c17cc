package dev.pagecache.it;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** Embedded Tomcat 11 (Servlet 6.1). */
public final class TomcatContainer implements Container {
  private final Tomcat tomcat;
  private final Connector connector;
  private final String contextPath;

  private TomcatContainer(Tomcat tomcat, Connector connector, String contextPath) {
    this.tomcat = tomcat;
    this.connector = connector;
    this.contextPath = contextPath;
  }

  public static Tomcat newTomcat() throws Exception {
    Tomcat tomcat = new Tomcat();
    Path base = Files.createTempDirectory("tomcat");
    base.toFile().deleteOnExit();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    return tomcat;
  }

  public static TomcatContainer start(App app) throws Exception {
    Tomcat tomcat = newTomcat();
    Context context = tomcat.addContext(app.contextPath(), null);
    int index = 0;
    for (Filter filter : app.filters()) {
      String name = "filter" + index++;
      FilterDef def = new FilterDef();
      def.setFilterName(name);
      def.setFilter(filter);
      def.setAsyncSupported("true");
      context.addFilterDef(def);
      FilterMap map = new FilterMap();
      map.setFilterName(name);
      map.addURLPatternDecoded("/*");
      app.dispatches().forEach(type -> map.setDispatcher(type.name()));
      context.addFilterMap(map);
    }
    for (Map.Entry<String, HttpServlet> servlet : app.servlets().entrySet()) {
      String name = "servlet" + index++;
      Tomcat.addServlet(context, name, servlet.getValue()).setAsyncSupported(true);
      context.addServletMappingDecoded(servlet.getKey(), name);
    }
    tomcat.start();
    return new TomcatContainer(tomcat, tomcat.getConnector(), app.contextPath());
  }

  /** Wraps an already started Tomcat, e.g. one that deployed a web application directory. */
  public static TomcatContainer of(Tomcat tomcat, String contextPath) {
    return new TomcatContainer(tomcat, tomcat.getConnector(), contextPath);
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
    tomcat.stop();
    tomcat.destroy();
  }
}
