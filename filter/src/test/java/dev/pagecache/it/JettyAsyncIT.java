package dev.pagecache.it;

/** Asynchronous renders in Jetty 12 (ee10). */
class JettyAsyncIT extends AsyncContract {
  @Override
  Container start(Container.App app) throws Exception {
    return JettyContainer.start(app);
  }

  @Override
  String contextPath() {
    return "";
  }
}
