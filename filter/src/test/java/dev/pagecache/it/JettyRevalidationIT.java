package dev.pagecache.it;

/** Revalidation with the origin, in Jetty 12 (ee10). */
class JettyRevalidationIT extends RevalidationContract {
  @Override
  Container start(Container.App app) throws Exception {
    return JettyContainer.start(app);
  }

  @Override
  String contextPath() {
    return "";
  }
}
