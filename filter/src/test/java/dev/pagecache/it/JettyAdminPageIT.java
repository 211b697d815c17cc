package dev.pagecache.it;

/** The admin page contract in Jetty 12 (ee10), at the root context. */
class JettyAdminPageIT extends AdminPageContract {
  @Override
  Container start(Container.App app) throws Exception {
    return JettyContainer.start(app);
  }

  @Override
  String contextPath() {
    return "";
  }
}
