package dev.pagecache.springboot;

import dev.pagecache.PageCacheFilter;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/** The test application on a random port, its cache emptied before each test. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class RunningApplication {
  @LocalServerPort
  int port;
  @Autowired
  FilterRegistrationBean<PageCacheFilter> pageCache;
  @Autowired
  RenderCounter renders;

  Site site;

  @BeforeEach
  void startWithAnEmptyCache() {
    site = new Site(port);
    pageCache.getFilter().pageCache().orElseThrow().purgeAll();
  }
}
