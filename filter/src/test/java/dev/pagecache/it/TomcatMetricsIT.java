package dev.pagecache.it;

/** Per-rule figures, Micrometer meters and the MXBean, in Tomcat 11. */
class TomcatMetricsIT extends MetricsContract {
  @Override
  Container start(Container.App app) throws Exception {
    return TomcatContainer.start(app);
  }

  @Override
  String contextPath() {
    return "/metrics-tomcat";
  }
}
