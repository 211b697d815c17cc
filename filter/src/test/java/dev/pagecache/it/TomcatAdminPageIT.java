package dev.pagecache.it;

/** The admin page contract in Tomcat 11, under a context path. */
class TomcatAdminPageIT extends AdminPageContract {
  @Override
  Container start(Container.App app) throws Exception {
    return TomcatContainer.start(app);
  }

  @Override
  String contextPath() {
    return "/shop";
  }
}
