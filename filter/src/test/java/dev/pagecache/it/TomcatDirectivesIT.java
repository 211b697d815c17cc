package dev.pagecache.it;

/** Targeted cache control, Age lists, Vary normalisation and heuristic freshness, in Tomcat 11, under a context path. */
class TomcatDirectivesIT extends DirectivesContract {
  @Override
  Container start(Container.App app) throws Exception {
    return TomcatContainer.start(app);
  }

  @Override
  String contextPath() {
    return "/shop";
  }
}
