package dev.pagecache.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a web application directory deployed into Tomcat, with its own web application class loader:
 * on stop, that loader looks for threads the application left running and warns about each.
 */
class TomcatUndeployIT extends UndeployContract {
  /** Where Tomcat's class loader reports the threads an application failed to stop. */
  private static final Logger LEAK_DETECTION = Logger.getLogger("org.apache.catalina.loader.WebappClassLoaderBase");

  @TempDir
  Path webapp;

  @Override
  Deployment deploy(String memcachedServers) throws Exception {
    Path webInf = Files.createDirectories(webapp.resolve("WEB-INF"));
    Files.writeString(webInf.resolve("pagecache.conf"), RULES);
    Files.writeString(webInf.resolve("web.xml"), webXml(initParams(memcachedServers)));
    StringBuilder warnings = new StringBuilder();
    Handler recorder = new Handler() {
      @Override
      public void publish(LogRecord record) {
        synchronized (warnings) {
          warnings.append(record.getMessage()).append('\n');
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    LEAK_DETECTION.addHandler(recorder);
    Tomcat tomcat = TomcatContainer.newTomcat();
    tomcat.setAddDefaultWebXmlToWebapp(false);
    Context context = tomcat.addWebapp("/undeploy", webapp.toString());
    tomcat.start();
    Container container = TomcatContainer.of(tomcat, "/undeploy");
    return new Deployment() {
      @Override
      public int port() {
        return container.port();
      }

      @Override
      public String contextPath() {
        return container.contextPath();
      }

      @Override
      public void stopApplication() throws Exception {
        context.stop();
      }

      @Override
      public String leakWarnings() {
        synchronized (warnings) {
          // Tomcat's own utility threads, made lazily while an application starts, can be named too.
          return warnings.toString().lines().filter(line -> line.contains("appears to have started a thread named [")
                  && (line.contains("[Memcached IO") || line.contains("[pagecache-")))
              .reduce("", (a, b) -> a + b + "\n");
        }
      }

      @Override
      public void close() throws Exception {
        LEAK_DETECTION.removeHandler(recorder);
        container.close();
      }
    };
  }

  private static String webXml(Map<String, String> initParams) {
    StringBuilder params = new StringBuilder();
    initParams.forEach((name, value) -> params.append("      <init-param><param-name>").append(name)
        .append("</param-name><param-value>").append(value).append("</param-value></init-param>\n"));
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
          <filter>
            <filter-name>pagecache</filter-name>
            <filter-class>dev.pagecache.PageCacheFilter</filter-class>
        %s  </filter>
          <filter-mapping>
            <filter-name>pagecache</filter-name>
            <url-pattern>/*</url-pattern>
          </filter-mapping>
          <servlet>
            <servlet-name>hello</servlet-name>
            <servlet-class>dev.pagecache.it.HelloServlet</servlet-class>
          </servlet>
          <servlet-mapping>
            <servlet-name>hello</servlet-name>
            <url-pattern>/hello</url-pattern>
          </servlet-mapping>
        </web-app>
        """.formatted(params);
  }
}
