package dev.pagecache.it;

/** Stored encodings in Tomcat 11, under a context path. */
class TomcatEncodingsIT extends EncodingsContract {
  @Override
  Container start(Container.App app) throws Exception {
    return TomcatContainer.start(app);
  }

  @Override
  String contextPath() {
    return "/shop";
  }
}
