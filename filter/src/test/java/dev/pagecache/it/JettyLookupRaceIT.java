package dev.pagecache.it;

/** The lookup races in Jetty 12 (ee10). */
class JettyLookupRaceIT extends LookupRaceContract {
  @Override
  Container start(Container.App app) throws Exception {
    return JettyContainer.start(app);
  }

  @Override
  String contextPath() {
    return "";
  }
}
