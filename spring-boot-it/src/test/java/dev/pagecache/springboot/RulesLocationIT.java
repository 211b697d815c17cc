package dev.pagecache.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagecache.rules.RulesException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** pagecache.rules names a class-path resource or a file; a bad file stops the application at start-up. */
class RulesLocationIT {
  @Test
  void rulesFromAFile(@TempDir Path dir) throws IOException {
    Path rules = Files.writeString(dir.resolve("pagecache.conf"), "rules = [ { path = \"/basket\", ttl = 1m } ]\n");

    try (ConfigurableApplicationContext app = start("--pagecache.rules=file:" + rules)) {
      Site site = new Site(((ServletWebServerApplicationContext) app).getWebServer().getPort());
      site.get("/basket");

      assertThat(site.get("/basket").header("Cache-Status")).isEqualTo("pagecache; hit");
      assertThat(site.get("/news").header("Cache-Status")).as("not in this file").isEqualTo("pagecache; fwd=bypass; detail=no-rule");
    }
  }

  @Test
  void rulesFromTheClassPath() {
    try (ConfigurableApplicationContext app = start("--pagecache.rules=classpath:dev/pagecache/springboot/basket-rules.conf")) {
      Site site = new Site(((ServletWebServerApplicationContext) app).getWebServer().getPort());
      site.get("/basket");

      assertThat(site.get("/basket").header("Cache-Status")).isEqualTo("pagecache; hit");
    }
  }

  @Test
  void badRulesFileStopsStartUpNamingTheLine(@TempDir Path dir) throws IOException {
    Path rules = Files.writeString(dir.resolve("pagecache.conf"),
        "rules = [\n  { path = \"/news\", ttl = 1m }\n  { path = \"/basket\", ttl = soon }\n]\n");

    assertThatThrownBy(() -> start("--pagecache.rules=file:" + rules).close())
        .rootCause()
        .isInstanceOf(RulesException.class)
        .hasMessageContaining(rules.toString())
        .hasMessageContaining("line 3");
  }

  private static ConfigurableApplicationContext start(String... args) {
    return new SpringApplicationBuilder(AccountApplication.class).run(concat("--server.port=0", args));
  }

  private static String[] concat(String first, String... rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
