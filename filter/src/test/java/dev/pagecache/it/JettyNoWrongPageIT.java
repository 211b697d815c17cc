package dev.pagecache.it;

/** The no-wrong-page contract in Jetty 12 (ee10), at the root context. */
class JettyNoWrongPageIT extends NoWrongPageContract {
  @Override
  Container start(Container.App app) throws Exception {
    return JettyContainer.start(app);
  }

  @Override
  String contextPath() {
    return "";
  }
}
