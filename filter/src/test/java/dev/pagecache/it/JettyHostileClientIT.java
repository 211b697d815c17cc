package dev.pagecache.it;

/** The hostile-client contract in Jetty 12 (ee10), at the root context. */
class JettyHostileClientIT extends HostileClientContract {
  @Override
  Container start(Container.App app) throws Exception {
    return JettyContainer.start(app);
  }

  @Override
  String contextPath() {
    return "";
  }
}
