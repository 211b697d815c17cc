package dev.pagecache.it;

/** Asynchronous renders in Tomcat 11, under a context path. */
class TomcatAsyncIT extends AsyncContract {
  @Override
  Container start(Container.App app) throws Exception {
    return TomcatContainer.start(app);
  }

  @Override
  String contextPath() {
    return "/shop";
  }
}
