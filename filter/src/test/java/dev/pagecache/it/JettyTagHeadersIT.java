package dev.pagecache.it;

/** Tag fields kept from clients, in Jetty 12 (ee10). */
class JettyTagHeadersIT extends TagHeadersContract {
  @Override
  Container start(Container.App app) throws Exception {
    return JettyContainer.start(app);
  }

  @Override
  String contextPath() {
    return "";
  }
}
