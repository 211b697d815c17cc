package dev.pagecache.it;

/** The purge endpoint contract in Tomcat 11, under a context path. */
class TomcatPurgeEndpointIT extends PurgeEndpointContract {
  @Override
  Container start(Container.App app) throws Exception {
    return TomcatContainer.start(app);
  }

  @Override
  String contextPath() {
    return "/shop";
  }
}
