package dev.pagecache.it;

/** Byte ranges from stored pages, in Tomcat 11, under a context path. */
class TomcatRangesIT extends RangesContract {
  @Override
  Container start(Container.App app) throws Exception {
    return TomcatContainer.start(app);
  }

  @Override
  String contextPath() {
    return "/shop";
  }
}
