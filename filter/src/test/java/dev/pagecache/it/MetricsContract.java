package dev.pagecache.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.PageCacheStats;
import dev.pagecache.jmx.PageCacheMXBean;
import dev.pagecache.metrics.PageCacheMeters;
import dev.pagecache.rules.RulesFileParser;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.restassured.response.Response;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the cache reports, read the ways an operator reads it: figures per rule in its stats,
 * Micrometer meters bound to a registry, and the MXBean the filter registers (attributes and purge
 * operations, gone when the application stops). Every figure is checked against requests made over
 * real HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MetricsContract {
  private static final String HIT = "pagecache; hit";
  private static final String RULES = """
      rules = [
        { path = "/news/*", ttl = 5m }
        { path = "/private/*", cache = false }
        { path = "/nostore/*", ttl = 5m }
      ]
      """;
  private static final MBeanServer MBEANS = ManagementFactory.getPlatformMBeanServer();

  private PageCacheFilter filter;
  private Container container;

  abstract Container start(Container.App app) throws Exception;

  /** A context path no other test uses, so that the MXBean's name is this test's alone. */
  abstract String contextPath();

  private static Map<String, jakarta.servlet.http.HttpServlet> servlets(String prefix) {
    Endpoint page = (req, res, n) -> {
      res.setContentType("text/plain");
      res.getWriter().print("render " + n);
    };
    Endpoint noStore = (req, res, n) -> {
      res.setHeader("Cache-Control", "no-store");
      res.setContentType("text/plain");
      res.getWriter().print("render " + n);
    };
    return Map.of(
        "/news/*", page.asServlet(prefix + "-news"),
        "/private/*", page.asServlet(prefix + "-private"),
        "/nostore/*", noStore.asServlet(prefix + "-nostore"),
        "/elsewhere/*", page.asServlet(prefix + "-elsewhere"));
  }

  private static PageCacheFilter newFilter(boolean jmx) {
    return new PageCacheFilter(PageCacheConfig.builder().rules(RulesFileParser.parse(RULES, "metrics rules"))
        .jmx(jmx).build());
  }

  @BeforeAll
  void startContainer() throws Exception {
    filter = newFilter(true);
    container = start(new Container.App(contextPath(), List.of(filter), servlets("metrics" + contextPath())));
  }

  @AfterAll
  void stop() throws Exception {
    container.close();
  }

  @BeforeEach
  void empty() {
    cache().purgeAll();
  }

  private PageCache cache() {
    return filter.pageCache().orElseThrow();
  }

  private Response get(String path) {
    return given().port(container.port()).get("http://127.0.0.1" + contextPath() + path);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + container.port() + contextPath() + path;
  }

  private PageCacheStats.RuleStats rule(String name) {
    return cache().stats().rules().get(name);
  }

  /** The MXBean names registered for {@code contextPath}. */
  private static Set<ObjectName> mxBeans(String contextPath) throws Exception {
    return MBEANS.queryNames(new ObjectName(PageCacheMXBean.DOMAIN + ":type=PageCache,context="
        + (contextPath.isEmpty() ? "/" : contextPath) + ",*"), null);
  }

  private ObjectName mxBean() throws Exception {
    Set<ObjectName> names = mxBeans(contextPath());
    assertThat(names).as("one MXBean for " + contextPath()).hasSize(1);
    return names.iterator().next();
  }

  @Test
  void eachRuleCountsItsOwnHitsMissesStoresAndRefusals() {
    PageCacheStats.RuleStats news = rule("/news/*");
    PageCacheStats.RuleStats excluded = rule("/private/*");
    PageCacheStats.RuleStats noStore = rule("/nostore/*");
    long noRule = cache().stats().bypassed().getOrDefault("no-rule", 0L);

    assertThat(get("/news/a").header("Cache-Status")).startsWith("pagecache; fwd=uri-miss; stored");
    assertThat(get("/news/a").header("Cache-Status")).isEqualTo(HIT);
    assertThat(get("/news/a").header("Cache-Status")).isEqualTo(HIT);
    assertThat(get("/private/a").header("Cache-Status")).isEqualTo("pagecache; fwd=bypass; detail=excluded");
    assertThat(get("/nostore/a").header("Cache-Status")).contains("detail=no-store");
    assertThat(get("/elsewhere/a").header("Cache-Status")).isEqualTo("pagecache; fwd=bypass; detail=no-rule");

    assertThat(rule("/news/*")).isEqualTo(new PageCacheStats.RuleStats(news.hits() + 2, news.misses() + 1,
        news.stores() + 1, news.staleServed(), news.notStored(), news.bypassed()));
    assertThat(rule("/private/*")).isEqualTo(new PageCacheStats.RuleStats(excluded.hits(), excluded.misses(),
        excluded.stores(), excluded.staleServed(), excluded.notStored(), excluded.bypassed() + 1));
    assertThat(rule("/nostore/*")).isEqualTo(new PageCacheStats.RuleStats(noStore.hits(), noStore.misses() + 1,
        noStore.stores(), noStore.staleServed(), noStore.notStored() + 1, noStore.bypassed()));
    assertThat(cache().stats().rules()).as("a request that matches no rule is in no rule's figures")
        .containsOnlyKeys("/news/*", "/private/*", "/nostore/*");
    assertThat(cache().stats().bypassed().get("no-rule")).isEqualTo(noRule + 1);
  }

  @Test
  void micrometerMetersReadTheLiveFigures() {
    MeterRegistry registry = new SimpleMeterRegistry();
    new PageCacheMeters(cache()).bindTo(registry);
    double hits = registry.get("pagecache.gets").tag("result", "hit").functionCounter().count();
    double misses = registry.get("pagecache.gets").tag("result", "miss").functionCounter().count();
    double ruleHits = registry.get("pagecache.rule.gets").tags("rule", "/news/*", "result", "hit").functionCounter().count();
    double puts = registry.get("pagecache.puts").functionCounter().count();
    double noRule = registry.get("pagecache.bypasses").tag("reason", "no-rule").functionCounter().count();
    double noStore = registry.get("pagecache.not.stored").tag("reason", "no-store").functionCounter().count();

    get("/news/m");
    get("/news/m");
    get("/elsewhere/m");
    get("/nostore/m");

    assertThat(registry.get("pagecache.gets").tag("result", "hit").functionCounter().count()).isEqualTo(hits + 1);
    assertThat(registry.get("pagecache.gets").tag("result", "miss").functionCounter().count()).isEqualTo(misses + 2);
    assertThat(registry.get("pagecache.rule.gets").tags("rule", "/news/*", "result", "hit").functionCounter().count())
        .isEqualTo(ruleHits + 1);
    assertThat(registry.get("pagecache.puts").functionCounter().count()).isEqualTo(puts + 1);
    assertThat(registry.get("pagecache.bypasses").tag("reason", "no-rule").functionCounter().count()).isEqualTo(noRule + 1);
    assertThat(registry.get("pagecache.not.stored").tag("reason", "no-store").functionCounter().count())
        .isEqualTo(noStore + 1);
    assertThat(registry.get("pagecache.size").gauge().value()).isGreaterThanOrEqualTo(1);
    assertThat(registry.get("pagecache.memory.used").gauge().value()).isPositive();
    assertThat(registry.get("pagecache.memory.max").gauge().value())
        .isEqualTo((double) cache().stats().maxBytes());
    assertThat(registry.get("pagecache.evictions").tag("cause", "size").functionCounter().count()).isZero();
    assertThat(registry.get("pagecache.evictions").tag("cause", "expired").functionCounter().count()).isZero();
    assertThat(registry.find("pagecache.shared.calls").meters()).as("no shared layer here").isEmpty();
  }

  @Test
  void everyTagValueComesFromAFixedSet() {
    MeterRegistry registry = new SimpleMeterRegistry();
    new PageCacheMeters(cache(), io.micrometer.core.instrument.Tags.of("app", "shop")).bindTo(registry);
    int before = registry.getMeters().size();

    for (int i = 0; i < 20; i++) {
      given().port(container.port()).header("Authorization", "Bearer " + i).header("X-Forwarded-Host", "h" + i)
          .get(url("/news/" + i + "?q=" + i));
      get("/elsewhere/" + i);
    }

    assertThat(registry.getMeters()).as("requests make no meters").hasSize(before);
    assertThat(registry.getMeters()).allSatisfy(meter -> assertThat(meter.getId().getTag("app")).isEqualTo("shop"));
    assertThat(registry.find("pagecache.rule.gets").meters()).extracting(meter -> meter.getId().getTag("rule"))
        .containsOnly("/news/*", "/private/*", "/nostore/*");
  }

  @Test
  void theMxBeanShowsTheFiguresAndItsPurgeMakesTheNextRequestAMiss() throws Exception {
    ObjectName name = mxBean();
    get("/news/j");
    assertThat(get("/news/j").header("Cache-Status")).isEqualTo(HIT);

    assertThat((Long) MBEANS.getAttribute(name, "Hits")).isEqualTo(cache().stats().hits()).isPositive();
    TabularData rules = (TabularData) MBEANS.getAttribute(name, "Rules");
    CompositeData news = (CompositeData) rules.get(new Object[] {"/news/*"}).get("value");
    assertThat((Long) news.get("hits")).isEqualTo(rule("/news/*").hits());
    assertThat((String) MBEANS.getAttribute(name, "StatsJson")).contains("\"rules\":{\"/news/*\":");

    MBEANS.invoke(name, "purge", new Object[] {url("/news/j")}, new String[] {String.class.getName()});

    assertThat(get("/news/j").header("Cache-Status")).startsWith("pagecache; fwd=uri-miss; stored");
    PageCacheMXBean proxy = JMX.newMXBeanProxy(MBEANS, name, PageCacheMXBean.class);
    assertThat(get("/news/j").header("Cache-Status")).isEqualTo(HIT);
    proxy.purgeAll();
    assertThat(get("/news/j").header("Cache-Status")).isNotEqualTo(HIT);
    assertThat(proxy.getRules().get("/news/*").misses()).isEqualTo(rule("/news/*").misses());
  }

  @Test
  void stoppingTheApplicationUnregistersItsMxBeanAndTwoApplicationsHaveOneEach() throws Exception {
    String first = contextPath() + "-a";
    String second = contextPath() + "-b";
    try (Container b = start(new Container.App(second, List.of(newFilter(true)), servlets("metrics" + second)))) {
      try (Container a = start(new Container.App(first, List.of(newFilter(true)), servlets("metrics" + first)))) {
        assertThat(mxBeans(first)).hasSize(1);
        assertThat(mxBeans(second)).hasSize(1);
        assertThat(mxBeans(first)).doesNotContainAnyElementsOf(mxBeans(second));
      }

      assertThat(mxBeans(first)).as("gone with its application").isEmpty();
      assertThat(mxBeans(second)).hasSize(1);
    }
    assertThat(mxBeans(second)).isEmpty();
  }

  @Test
  void theSameContextPathTwiceInOneJvmGetsTwoNames() throws Exception {
    String path = contextPath() + "-twice";
    try (Container a = start(new Container.App(path, List.of(newFilter(true)), servlets("metrics" + path + "1")));
        Container b = start(new Container.App(path, List.of(newFilter(true)), servlets("metrics" + path + "2")))) {
      assertThat(mxBeans(path)).hasSize(2);
    }
    assertThat(mxBeans(path)).isEmpty();
  }

  @Test
  void jmxCanBeTurnedOff() throws Exception {
    String path = contextPath() + "-nojmx";
    try (Container off = start(new Container.App(path, List.of(newFilter(false)), servlets("metrics" + path)))) {
      assertThat(given().port(off.port()).get("http://127.0.0.1" + path + "/news/x").header("Cache-Status"))
          .startsWith("pagecache; fwd=uri-miss");
      assertThat(mxBeans(path)).isEmpty();
    }
  }
}
