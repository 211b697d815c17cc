package dev.pagecache.it;

/** Purges by tag and prefix, in Tomcat 11, under a context path. */
class TomcatTagPurgeIT extends TagPurgeContract {
  @Override
  Container start(Container.App app) throws Exception {
    return TomcatContainer.start(app);
  }

  @Override
  String contextPath() {
    return "/shop";
  }
}
