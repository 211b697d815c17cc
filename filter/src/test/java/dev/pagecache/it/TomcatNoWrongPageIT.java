package dev.pagecache.it;

/** The no-wrong-page contract in Tomcat 11, under a context path. */
class TomcatNoWrongPageIT extends NoWrongPageContract {
  @Override
  Container start(Container.App app) throws Exception {
    return TomcatContainer.start(app);
  }

  @Override
  String contextPath() {
    return "/shop";
  }
}
