package dev.pagecache.it;

/** Purges by tag and prefix, in Jetty 12 (ee10). */
class JettyTagPurgeIT extends TagPurgeContract {
  @Override
  Container start(Container.App app) throws Exception {
    return JettyContainer.start(app);
  }

  @Override
  String contextPath() {
    return "";
  }
}
