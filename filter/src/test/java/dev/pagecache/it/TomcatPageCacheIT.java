package dev.pagecache.it;

/** The contract in Tomcat 11, deployed under a context path. */
class TomcatPageCacheIT extends PageCacheContract {
  @Override
  Container start(Container.App app) throws Exception {
    return TomcatContainer.start(app);
  }

  @Override
  String contextPath() {
    return "/shop";
  }
}
