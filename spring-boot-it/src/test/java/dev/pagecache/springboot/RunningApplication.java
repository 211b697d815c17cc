package dev.pagecache.springboot;

import dev.pagecache.PageCache;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The test application on a random port, its cache emptied before each test. The server is the one
 * on the class path: Tomcat, or Jetty in the failsafe run that takes Tomcat off it (see the pom).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class RunningApplication {
  @LocalServerPort
  int port;
  @Autowired
  PageCache pageCache;
  @Autowired
  RenderCounter renders;

  Site site;

  @BeforeEach
  void startWithAnEmptyCache() {
    site = new Site(port);
    pageCache.purgeAll();
  }
}
