package dev.pagecache.it;

/** The hostile-client contract in Tomcat 11, under a context path. */
class TomcatHostileClientIT extends HostileClientContract {
  @Override
  Container start(Container.App app) throws Exception {
    return TomcatContainer.start(app);
  }

  @Override
  String contextPath() {
    return "/shop";
  }
}
