package dev.pagecache.it;

/** Stored encodings in Jetty 12 (ee10). */
class JettyEncodingsIT extends EncodingsContract {
  @Override
  Container start(Container.App app) throws Exception {
    return JettyContainer.start(app);
  }

  @Override
  String contextPath() {
    return "";
  }
}
