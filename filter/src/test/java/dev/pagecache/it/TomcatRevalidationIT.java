package dev.pagecache.it;

/** Revalidation with the origin, in Tomcat 11, under a context path. */
class TomcatRevalidationIT extends RevalidationContract {
  @Override
  Container start(Container.App app) throws Exception {
    return TomcatContainer.start(app);
  }

  @Override
  String contextPath() {
    return "/shop";
  }
}
