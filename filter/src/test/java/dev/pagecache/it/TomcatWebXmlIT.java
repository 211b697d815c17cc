package dev.pagecache.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registration through web.xml, in a web application directory deployed into Tomcat. */
class TomcatWebXmlIT {
  private static final String WEB_XML = """
      <?xml version="1.0" encoding="UTF-8"?>
      <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
        <filter>
          <filter-name>pagecache</filter-name>
          <filter-class>dev.pagecache.PageCacheFilter</filter-class>
          <init-param><param-name>pagecache.rules</param-name><param-value>/WEB-INF/pagecache.conf</param-value></init-param>
          <init-param><param-name>pagecache.maxCacheBytes</param-name><param-value>16MiB</param-value></init-param>
          <async-supported>true</async-supported>
        </filter>
        <filter-mapping>
          <filter-name>pagecache</filter-name>
          <url-pattern>/*</url-pattern>
          <dispatcher>REQUEST</dispatcher>
          <dispatcher>ASYNC</dispatcher>
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
      """;

  @Test
  void filterRegisteredInWebXmlServesHits(@TempDir Path webapp) throws Exception {
    writeWebapp(webapp, "rules = [ { path = \"/hello\", ttl = 5m } ]\n");
    Tomcat tomcat = TomcatContainer.newTomcat();
    tomcat.setAddDefaultWebXmlToWebapp(false);
    tomcat.addWebapp("/wx", webapp.toString());
    tomcat.start();
    try (Container container = TomcatContainer.of(tomcat, "/wx")) {
      int before = HelloServlet.RENDERS.get();
      Response miss = given().port(container.port()).get("http://127.0.0.1/wx/hello");
      Response hit = given().port(container.port()).get("http://127.0.0.1/wx/hello");

      assertThat(miss.header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; stored");
      assertThat(hit.header("Cache-Status")).isEqualTo("pagecache; hit");
      assertThat(hit.asString()).isEqualTo(miss.asString()).isEqualTo("hello " + (before + 1));
      assertThat(HelloServlet.RENDERS.get()).isEqualTo(before + 1);
    }
  }

  @Test
  void badRulesFileStopsTheApplicationWithTheLineAndTheProblem(@TempDir Path webapp) throws Exception {
    writeWebapp(webapp, """
        rules = [
          { path = "/hello", ttl = 5m }
          { path = "/other", tll = 5m }
        ]
        """);
    List<String> logged = new ArrayList<>();
    Handler recorder = new Handler() {
      @Override
      public void publish(LogRecord record) {
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
          logged.add(t.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    root.addHandler(recorder);
    Tomcat tomcat = TomcatContainer.newTomcat();
    tomcat.setAddDefaultWebXmlToWebapp(false);
    Context context = tomcat.addWebapp("/broken", webapp.toString());
    try {
      tomcat.start();
      assertThat(context.getState()).isNotEqualTo(LifecycleState.STARTED);
      assertThat(logged).anySatisfy(message -> assertThat(message)
          .contains("rules file /WEB-INF/pagecache.conf")
          .contains("line 3")
          .contains("unknown key 'tll'"));
    } finally {
      root.removeHandler(recorder);
      tomcat.stop();
      tomcat.destroy();
    }
  }

  private static void writeWebapp(Path webapp, String rules) throws Exception {
    Path webInf = Files.createDirectories(webapp.resolve("WEB-INF"));
    Files.writeString(webInf.resolve("web.xml"), WEB_XML);
    Files.writeString(webInf.resolve("pagecache.conf"), rules);
  }
}
