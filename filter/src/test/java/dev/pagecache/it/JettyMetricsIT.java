package dev.pagecache.it;

/** Per-rule figures, Micrometer meters and the MXBean, in Jetty 12 (ee10). */
class JettyMetricsIT extends MetricsContract {
  @Override
  Container start(Container.App app) throws Exception {
    return JettyContainer.start(app);
  }

  @Override
  String contextPath() {
    return "/metrics-jetty";
  }
}
