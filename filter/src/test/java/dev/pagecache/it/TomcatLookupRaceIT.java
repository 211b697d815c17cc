package dev.pagecache.it;

/** The lookup races in Tomcat 11. */
class TomcatLookupRaceIT extends LookupRaceContract {
  @Override
  Container start(Container.App app) throws Exception {
    return TomcatContainer.start(app);
  }

  @Override
  String contextPath() {
    return "/race";
  }
}
