package dev.pagecache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The metadata IDEs complete {@code pagecache.*} from, as the configuration processor wrote it into the jar. */
class ConfigurationMetadataTest {
  @Test
  void everyPropertyIsDescribedWithItsType() throws IOException {
    Map<String, JsonNode> properties = properties();

    assertThat(properties).containsKeys("pagecache.enabled", "pagecache.rules", "pagecache.max-cache-bytes",
        "pagecache.hosts", "pagecache.filter.order", "pagecache.filter.url-patterns", "pagecache.warm.base-url",
        "pagecache.purge.token", "pagecache.purge.allow-from", "pagecache.purge.path",
        "pagecache.memcached.servers", "pagecache.memcached.timeout", "pagecache.memcached.item-size",
        "pagecache.memcached.compression-threshold", "pagecache.memcached.namespace",
        "pagecache.memcached.secret", "pagecache.memcached.breaker-failures",
        "pagecache.memcached.breaker-cool-down", "pagecache.memcached.chunk-large-pages",
        "pagecache.memcached.sync-interval");
    properties.forEach((name, property) -> {
      assertThat(property.path("type").asText()).as(name + " type").isNotEmpty();
      assertThat(property.path("description").asText()).as(name + " description").isNotBlank().doesNotContain("{@");
    });
    assertThat(properties.get("pagecache.rules").path("type").asText()).isEqualTo("org.springframework.core.io.Resource");
    assertThat(properties.get("pagecache.max-cache-bytes").path("type").asText()).isEqualTo("org.springframework.util.unit.DataSize");
    assertThat(properties.get("pagecache.memcached.timeout").path("type").asText()).isEqualTo("java.time.Duration");
  }

  @Test
  void defaultsAreShown() throws IOException {
    Map<String, JsonNode> properties = properties();

    assertThat(properties.get("pagecache.enabled").path("defaultValue").asBoolean()).isTrue();
    assertThat(properties.get("pagecache.rules").path("defaultValue").asText()).isEqualTo(RulesResource.DEFAULT_LOCATION);
    assertThat(properties.get("pagecache.filter.order").path("defaultValue").asInt())
        .isEqualTo(PageCacheProperties.DEFAULT_FILTER_ORDER);
    assertThat(properties.get("pagecache.filter.url-patterns").path("defaultValue").get(0).asText()).isEqualTo("/*");
  }

  private static Map<String, JsonNode> properties() throws IOException {
    JsonNode metadata;
    try (InputStream in = PageCacheProperties.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("META-INF/spring-configuration-metadata.json").isNotNull();
      metadata = new ObjectMapper().readTree(in);
    }
    Map<String, JsonNode> properties = new TreeMap<>();
    metadata.path("properties").forEach(property -> properties.put(property.path("name").asText(), property));
    return properties;
  }
}
