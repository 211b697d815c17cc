package dev.pagecache.it;

/** Byte ranges from stored pages, in Jetty 12 (ee10). */
class JettyRangesIT extends RangesContract {
  @Override
  Container start(Container.App app) throws Exception {
    return JettyContainer.start(app);
  }

  @Override
  String contextPath() {
    return "";
  }
}
