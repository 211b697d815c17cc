package dev.pagecache.it;

/** Targeted cache control, Age lists, Vary normalisation and heuristic freshness, in Jetty 12 (ee10). */
class JettyDirectivesIT extends DirectivesContract {
  @Override
  Container start(Container.App app) throws Exception {
    return JettyContainer.start(app);
  }

  @Override
  String contextPath() {
    return "";
  }
}
