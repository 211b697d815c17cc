package dev.pagecache.it;

import dev.pagecache.memcached.MemcachedStoreProvider;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCacheConfig;
import io.restassured.response.Response;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Stopping (undeploying) a web application whose filter uses memcached ends every thread the filter
 * started: spymemcached's {@code Memcached IO} thread and pagecache's own. A thread left running
 * keeps the application's class loader, so every redeploy leaks one more copy of it; Tomcat warns
 * about each such thread when the application stops.
 */
abstract class UndeployContract {
  /** The init-params of the filter under test, with memcached at {@code servers}. */
  static Map<String, String> initParams(String servers) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put(PageCacheConfig.RULES_PARAM, "/WEB-INF/pagecache.conf");
    params.put(PageCacheConfig.MAX_CACHE_BYTES_PARAM, "16MiB");
    params.put(MemcachedStoreProvider.SERVERS_PARAM, servers);
    params.put(MemcachedStoreProvider.TIMEOUT_PARAM, "200ms");
    params.put(MemcachedStoreProvider.SYNC_INTERVAL_PARAM, "1s");
    return params;
  }

  static final String RULES = "rules = [ { path = \"/hello\", ttl = 5m } ]\n";

  /** A started application with the filter configured by {@link #initParams} and {@code /hello}. */
  interface Deployment extends AutoCloseable {
    int port();

    String contextPath();

    /** Stops the application alone; the container keeps running. */
    void stopApplication() throws Exception;

    /** What the container said about threads the application left running (empty where it has no such check). */
    String leakWarnings();
  }

  abstract Deployment deploy(String memcachedServers) throws Exception;

  @Test
  void stoppingTheApplicationEndsTheThreadsTheFilterStarted() throws Exception {
    try (MemcachedServer memcached = MemcachedServer.start()) {
      assertNoThreadOutlivesTheApplication("127.0.0.1:" + memcached.port());
    }
  }

  @Test
  void stoppingTheApplicationEndsTheThreadsEvenWhileMemcachedRefusesConnections() throws Exception {
    try (BrokenMemcached refused = BrokenMemcached.refused()) {
      assertNoThreadOutlivesTheApplication(refused.address());
    }
  }

  private void assertNoThreadOutlivesTheApplication(String servers) throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    try (Deployment app = deploy(servers)) {
      for (int i = 0; i < 2; i++) {
        Response page = given().port(app.port()).get("http://127.0.0.1" + app.contextPath() + "/hello");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.header("Cache-Status")).startsWith("pagecache");
      }
      assertThat(startedSince(before)).as("the filter runs memcached's IO thread while deployed")
          .anyMatch(thread -> thread.getName().startsWith("Memcached IO"));

      app.stopApplication();

      Set<Thread> left = startedSince(before);
      assertThat(left).as(describe(left)).isEmpty();
      assertThat(app.leakWarnings()).isEmpty();
    }
  }

  /** Live threads of spymemcached or pagecache that were not there {@code before}. */
  private static Set<Thread> startedSince(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> !before.contains(thread) && thread.isAlive())
        .filter(thread -> thread.getName().startsWith("Memcached IO") || thread.getName().startsWith("pagecache-"))
        .collect(Collectors.toSet());
  }

  private static String describe(Set<Thread> threads) {
    return threads.stream()
        .map(thread -> thread.getName() + Arrays.stream(thread.getStackTrace())
            .map(frame -> "\n\tat " + frame).collect(Collectors.joining()))
        .collect(Collectors.joining("\n"));
  }
}
