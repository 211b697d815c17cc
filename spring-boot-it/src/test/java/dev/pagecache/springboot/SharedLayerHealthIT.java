package dev.pagecache.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.it.MemcachedServer;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Health "pagecache" follows a real memcached: UP while it answers, DOWN once it has stopped, UP
 * again when it is back. Health asks memcached itself: no page is requested meanwhile.
 */
class SharedLayerHealthIT extends RunningApplication {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static MemcachedServer memcached;

  @DynamicPropertySource
  static void sharedLayer(DynamicPropertyRegistry properties) throws IOException, InterruptedException {
    memcached = MemcachedServer.start();
    properties.add("pagecache.memcached.servers", memcached::address);
    // Open on the first failure, probe again soon: the test waits for seconds, not minutes.
    properties.add("pagecache.memcached.breaker-failures", () -> "1");
    properties.add("pagecache.memcached.breaker-cool-down", () -> "200ms");
    properties.add("pagecache.memcached.timeout", () -> "200ms");
  }

  @AfterAll
  static void stopMemcached() throws InterruptedException {
    if (memcached != null) {
      memcached.close();
    }
  }

  @Test
  void healthGoesDownWhileMemcachedIsStoppedAndUpWhenItIsBack() throws Exception {
    JsonPath up = health();
    assertThat(up.getString("status")).isEqualTo("UP");
    assertThat(up.getString("details.sharedLayer")).isEqualTo("memcached");
    assertThat(up.getString("details.servers")).contains("127.0.0.1").contains(":" + memcached.port());
    assertThat(up.getBoolean("details.reachable")).isTrue();
    assertThat(up.getString("details.breaker")).isEqualTo("closed");

    memcached.kill();
    JsonPath down = healthOnceItIs("DOWN");
    assertThat(down.getBoolean("details.reachable")).isFalse();

    memcached.restart();
    JsonPath back = healthOnceItIs("UP");
    assertThat(back.getString("details.breaker")).isEqualTo("closed");
  }

  @Test
  void anonymousCallersSeeTheOverallStatusOnly() {
    JsonPath health = JsonPath.from(site.anonymous().get("/actuator/health").asString());

    assertThat(health.getString("status")).isNotNull();
    assertThat(health.getMap("components")).isNull();
    assertThat(site.anonymous().get("/actuator/health/pagecache").statusCode()).isEqualTo(404);
  }

  /** Asks for health until it says {@code status}; each ask probes memcached. */
  private JsonPath healthOnceItIs(String status) throws InterruptedException {
    Instant deadline = Instant.now().plus(PATIENCE);
    JsonPath health = health();
    while (!status.equals(health.getString("status")) && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
      health = health();
    }
    assertThat(health.getString("status")).as("health within " + PATIENCE + ": " + health.prettify()).isEqualTo(status);
    return health;
  }

  /** An admin's view, with details (UP answers 200, DOWN 503). */
  private JsonPath health() {
    Response answer = site.as(SecurityConfiguration.ADMIN, SecurityConfiguration.ADMIN_PASSWORD)
        .get("/actuator/health/pagecache");
    assertThat(answer.statusCode()).as("health answer " + answer.statusLine()).isIn(200, 503);
    return JsonPath.from(answer.asString());
  }
}
