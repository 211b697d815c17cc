package dev.pagecache.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** pagecache's meters under /actuator/metrics, from the starter's binder in Spring Boot's registry. */
class MetricsIT extends RunningApplication {
  @Test
  void pagecacheMetersAreListed() {
    Response names = admin("/actuator/metrics");

    assertThat(names.statusCode()).isEqualTo(200);
    assertThat(names.jsonPath().getList("names", String.class))
        .contains("pagecache.gets", "pagecache.puts", "pagecache.size", "pagecache.memory.max", "pagecache.bypasses");
  }

  @Test
  void hitsAndMissesAreCounted() {
    double hitsBefore = value("pagecache.gets", "result:hit");
    double missesBefore = value("pagecache.gets", "result:miss");

    site.get("/news");
    site.get("/news");
    site.get("/news");

    assertThat(value("pagecache.gets", "result:miss")).isEqualTo(missesBefore + 1);
    assertThat(value("pagecache.gets", "result:hit")).isEqualTo(hitsBefore + 2);
  }

  @Test
  void perRuleMetersCarryTheRulesPath() {
    site.get("/account");

    JsonPath meter = admin("/actuator/metrics/pagecache.rule.gets").jsonPath();

    assertThat(meter.getList("availableTags.find { it.tag == 'rule' }.values", String.class))
        .contains("/account", "/news");
  }

  @Test
  void metricsAreForAdminsOnly() {
    assertThat(site.anonymous().get("/actuator/metrics/pagecache.gets").statusCode()).isEqualTo(401);
    assertThat(site.as(SecurityConfiguration.USERNAME, SecurityConfiguration.PASSWORD)
        .get("/actuator/metrics/pagecache.gets").statusCode()).isEqualTo(403);
  }

  private double value(String meter, String tag) {
    Response answer = site.as(SecurityConfiguration.ADMIN, SecurityConfiguration.ADMIN_PASSWORD)
        .queryParam("tag", tag).get("/actuator/metrics/" + meter);
    assertThat(answer.statusCode()).as(meter + " " + tag).isEqualTo(200);
    return answer.jsonPath().getDouble("measurements[0].value");
  }

  private Response admin(String path) {
    return site.as(SecurityConfiguration.ADMIN, SecurityConfiguration.ADMIN_PASSWORD).get(path);
  }
}
