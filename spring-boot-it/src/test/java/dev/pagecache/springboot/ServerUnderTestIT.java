package dev.pagecache.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;

/** Each failsafe run tests the server it says it tests (system property it.server, set in the pom). */
class ServerUnderTestIT extends RunningApplication {
  @Autowired
  ServletWebServerApplicationContext context;

  @Test
  void runsOnTheServerThisRunIsFor() {
    String expected = System.getProperty("it.server", "tomcat").equals("jetty") ? "JettyWebServer" : "TomcatWebServer";

    assertThat(context.getWebServer().getClass().getSimpleName()).isEqualTo(expected);
  }

  @Test
  void theStartersFilterComesAfterSpringSecurity() {
    FilterRegistrationBean<?> pagecache = context.getBean("pageCacheFilter", FilterRegistrationBean.class);
    DelegatingFilterProxyRegistrationBean security = context.getBean(DelegatingFilterProxyRegistrationBean.class);

    assertThat(security.getFilterName()).isEqualTo("springSecurityFilterChain");
    assertThat(pagecache.getOrder()).isGreaterThan(security.getOrder());
  }

  @Test
  void theStartersFilterServesTheRulesFromTheClassPath() {
    site.get("/news");

    assertThat(site.get("/news").header("Cache-Status")).isEqualTo("pagecache; hit");
  }
}
