package dev.pagecache.it;

/** Tag fields kept from clients, in Tomcat 11, under a context path. */
class TomcatTagHeadersIT extends TagHeadersContract {
  @Override
  Container start(Container.App app) throws Exception {
    return TomcatContainer.start(app);
  }

  @Override
  String contextPath() {
    return "/shop";
  }
}
