package dev.pagecache.it;

/** The contract in Jetty 12 (ee10), deployed at the root context. */
class JettyPageCacheIT extends PageCacheContract {
  @Override
  Container start(Container.App app) throws Exception {
    return JettyContainer.start(app);
  }

  @Override
  String contextPath() {
    return "";
  }
}
