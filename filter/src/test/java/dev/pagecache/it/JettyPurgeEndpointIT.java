package dev.pagecache.it;

/** The purge endpoint contract in Jetty 12 (ee10), at the root context. */
class JettyPurgeEndpointIT extends PurgeEndpointContract {
  @Override
  Container start(Container.App app) throws Exception {
    return JettyContainer.start(app);
  }

  @Override
  String contextPath() {
    return "";
  }
}
