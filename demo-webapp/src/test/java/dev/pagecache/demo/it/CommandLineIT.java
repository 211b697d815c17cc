package dev.pagecache.demo.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built jar as a user runs it: {@code java -jar target/pagecache-demo.jar [options]}. */
class CommandLineIT {

  @Test
  void theJarServesTheDemoAMissThenAHitOnTheHomePage() throws Exception {
    try (DemoJar demo = DemoJar.start("--port", "0", "--cache-size", "48MiB")) {
      String base = demo.uri().toString();
      Response miss = given().get(base);
      Response hit = given().get(base);

      assertThat(miss.header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; stored");
      assertThat(hit.header("Cache-Status")).isEqualTo("pagecache; hit");
      assertThat(hit.asByteArray()).isEqualTo(miss.asByteArray());
      assertThat(hit.time()).isLessThan(miss.time());
      assertThat(demo.startLine()).contains("pagecache demo at http://127.0.0.1:" + demo.port() + "/",
          "mode: demo pages", "built-in demo rules: [/ ttl=300s, /wiki/* ttl=600s",
          "keyCookies=[user]", "cache: 48 MiB in memory");
      assertThat(demo.purgeTokenLine()).as("a random purge token").matches(
          "pagecache-demo: purge token for this run: [A-Za-z0-9_-]{32}  \\(curl -X PURGE -H 'Authorization: Bearer "
              + "[A-Za-z0-9_-]{32}' http://127\\.0\\.0\\.1:" + demo.port() + "/wiki/Home\\)");
      assertThat(demo.output()).as("two lines at start").hasSize(2);
    }
  }

  /** A jar that is handed on must carry its licence; the shading once dropped it with every other jar's. */
  @Test
  void theJarCarriesPagecachesLicenceAndNotice() throws Exception {
    try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(DemoJar.jar().toFile())) {
      java.util.zip.ZipEntry license = jar.getEntry("META-INF/LICENSE");
      assertThat(license).as("META-INF/LICENSE").isNotNull();
      String text = new String(jar.getInputStream(license).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(text).isEqualTo(Files.readString(Path.of("../LICENSE")));
      assertThat(jar.getEntry("META-INF/NOTICE")).as("META-INF/NOTICE").isNotNull();
    }
  }

  @Test
  void helpListsEveryOptionAndExitsZero() throws Exception {
    DemoJar.Result help = DemoJar.run("--help");

    assertThat(help.exitStatus()).isZero();
    assertThat(String.join("\n", help.lines())).contains("--port N", "--host ADDR", "--rules FILE",
        "--proxy-to URL", "--preserve-host", "--cache-size SIZE", "--delay-scale X", "--memcached LIST",
        "--memcached-secret S", "--purge-token T", "--help");
  }

  @Test
  void aBadOptionFailsAtStartWithOneLineAndStatus2() throws Exception {
    DemoJar.Result result = DemoJar.run("--port", "eighty");

    assertThat(result.exitStatus()).isEqualTo(2);
    assertThat(result.lines()).containsExactly(
        "pagecache-demo: --port: 'eighty' is not a port number (0 to 65535) (see --help)");
  }

  @Test
  void twoDemoProcessesShareTheirPagesThroughMemcached() throws Exception {
    Process memcached = startMemcached();
    try (DemoJar a = DemoJar.start("--port", "0", "--delay-scale", "0", "--memcached", "127.0.0.1:" + memcachedPort);
        DemoJar b = DemoJar.start("--port", "0", "--delay-scale", "0", "--memcached", "127.0.0.1:" + memcachedPort)) {
      assertThat(a.startLine()).contains("shared: memcached [127.0.0.1");
      // Behind a load balancer both processes see the site's own Host.
      Response rendered = given().header("Host", "demo.example").get(a.uri().resolve("/"));
      awaitSharedWrite(a);
      Response fromB = given().header("Host", "demo.example").get(b.uri().resolve("/"));

      assertThat(rendered.header("Cache-Status")).startsWith("pagecache; fwd=uri-miss"); // 490 KB: sent before whole
      assertThat(fromB.header("Cache-Status")).isEqualTo("pagecache; hit; detail=shared");
      assertThat(fromB.asString()).isEqualTo(rendered.asString());
    } finally {
      memcached.destroyForcibly();
      memcached.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void processesWithTheSameSecretShareTheirPagesAndOneWithAnotherSecretRefusesThem() throws Exception {
    Process memcached = startMemcached();
    String servers = "127.0.0.1:" + memcachedPort;
    Map<String, String> fleetSecret = Map.of("PAGECACHE_MEMCACHED_SECRET", "the fleet's shared secret");
    try (DemoJar a = DemoJar.start(fleetSecret, "--port", "0", "--delay-scale", "0", "--memcached", servers);
        DemoJar b = DemoJar.start(fleetSecret, "--port", "0", "--delay-scale", "0", "--memcached", servers);
        DemoJar stranger = DemoJar.start("--port", "0", "--delay-scale", "0", "--memcached", servers,
            "--memcached-secret", "a secret of someone else")) {
      assertThat(a.startLine()).contains("shared: memcached [127.0.0.1", "signed").doesNotContain("fleet's shared secret");
      // The home page goes to memcached signed (as its gzip form; a page over one item goes in chunks, each part of the signed whole).
      Response rendered = given().header("Host", "demo.example").get(a.uri().resolve("/"));
      awaitSharedWrite(a);
      Response fromB = given().header("Host", "demo.example").get(b.uri().resolve("/"));
      Response fromStranger = given().header("Host", "demo.example").get(stranger.uri().resolve("/"));

      assertThat(fromB.header("Cache-Status")).isEqualTo("pagecache; hit; detail=shared");
      assertThat(fromB.asString()).isEqualTo(rendered.asString());
      assertThat(fromStranger.header("Cache-Status")).as("rendered itself").startsWith("pagecache; fwd=uri-miss");
      assertThat(given().get(stranger.uri().resolve("/pagecache/stats")).asString()).matches("(?s).*\"decodeFailures\":[1-9].*");
    } finally {
      memcached.destroyForcibly();
      memcached.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void thePrintedTokenPurgesAPageAndNoOtherTokenDoes() throws Exception {
    try (DemoJar demo = DemoJar.start("--port", "0", "--delay-scale", "0")) {
      String token = demo.purgeTokenLine().replaceFirst(".*for this run: (\\S+) .*", "$1");
      java.net.URI page = demo.uri().resolve("/wiki/Home");
      String rendered = given().get(page).asString();
      Response hit = given().get(page);

      Response refused = given().header("Authorization", "Bearer not-" + token).request("PURGE", page);
      Response stillHit = given().get(page);
      Response purged = given().header("Authorization", "Bearer " + token).request("PURGE", page);
      Response afterPurge = given().get(page);

      assertThat(hit.header("Cache-Status")).isEqualTo("pagecache; hit");
      assertThat(hit.asString()).isEqualTo(rendered);
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(stillHit.header("Cache-Status")).isEqualTo("pagecache; hit");
      assertThat(purged.statusCode()).isEqualTo(200);
      assertThat(purged.asString()).isEqualTo("{\"purged\":{\"urls\":[\"" + page + "\"],\"prefixes\":[],\"tags\":[],\"all\":false}}");
      assertThat(afterPurge.header("Cache-Status")).isEqualTo("pagecache; fwd=uri-miss; stored");
      assertThat(demo.startLine()).contains("purge: PURGE <url> or POST /pagecache/purge with the bearer token "
          + "(random, printed below)");
      assertThat(given().get(demo.uri().resolve("/pagecache/stats")).asString()).contains("\"purgeRequests\":2",
          "\"purgeRefused\":1");
    }
  }

  @Test
  void aTokenFromTheEnvironmentWorksAndIsNeverPrinted() throws Exception {
    String token = "the-fleet's-purge-token".replace("'", "") + "-0123456789";
    try (DemoJar demo = DemoJar.start(Map.of("PAGECACHE_PURGE_TOKEN", token), "--port", "0", "--delay-scale", "0")) {
      Response purged = given().header("Authorization", "Bearer " + token).formParam("all", "true")
          .post(demo.uri().resolve("/pagecache/purge"));

      assertThat(purged.statusCode()).isEqualTo(200);
      assertThat(purged.asString()).contains("\"all\":true");
      assertThat(demo.startLine()).contains("with the bearer token (given)");
      assertThat(demo.output()).hasSize(1).noneMatch(line -> line.contains(token));
    }
  }

  private int memcachedPort;

  /** A real memcached on a free loopback port (Debian package memcached). */
  private Process startMemcached() throws Exception {
    Path binary = Path.of("/usr/bin/memcached");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("this test needs memcached: apt-get update && apt-get install -y memcached");
    }
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      memcachedPort = socket.getLocalPort();
    }
    Process process = new ProcessBuilder(binary.toString(), "-l", "127.0.0.1", "-p", Integer.toString(memcachedPort),
        "-U", "0", "-m", "64", "-u", "root").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", memcachedPort)) {
        return process;
      } catch (java.io.IOException notYet) {
        Thread.sleep(20);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("memcached did not start");
  }

  @Test
  void aMissingRulesFileFailsWithStatus2(@TempDir Path dir) throws Exception {
    DemoJar.Result result = DemoJar.run("--rules", dir.resolve("nope.conf").toString());

    assertThat(result.exitStatus()).isEqualTo(2);
    assertThat(result.lines()).containsExactly("pagecache-demo: --rules: no such file: " + dir.resolve("nope.conf")
        + " (see --help)");
  }

  @Test
  void aBadRulesFileFailsWithItsLineAndStatus2(@TempDir Path dir) throws Exception {
    Path rules = Files.writeString(dir.resolve("bad.conf"), "rules = [\n  { path = \"/\", tll = 5m }\n]\n");

    DemoJar.Result result = DemoJar.run("--rules", rules.toString());

    assertThat(result.exitStatus()).isEqualTo(2);
    assertThat(result.lines()).hasSize(1);
    assertThat(result.lines().get(0)).startsWith("pagecache-demo: --rules: rules file " + rules + ", line 2: unknown key 'tll'");
  }

  @Test
  void aPortInUseFailsWithOneLineAndStatus1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      DemoJar.Result result = DemoJar.run("--port", Integer.toString(taken.getLocalPort()));

      assertThat(result.exitStatus()).isEqualTo(1);
      assertThat(result.lines()).hasSize(1);
      assertThat(result.lines().get(0)).startsWith("pagecache-demo: cannot start: Failed to bind to")
          .endsWith("Address already in use");
    }
  }

  /**
   * Waits until {@code demo} has written a page to memcached: it does so from a background thread
   * after its client has the page (the home page now goes as its gzip form, one item). Fails, with
   * the stats, if it never does.
   */
  private static void awaitSharedWrite(DemoJar demo) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    String stats = given().get(demo.uri().resolve("/pagecache/stats")).asString();
    while (!stats.matches("(?s).*\"writes\":[1-9].*") && System.nanoTime() < deadline) {
      Thread.sleep(50);
      stats = given().get(demo.uri().resolve("/pagecache/stats")).asString();
    }
    assertThat(stats).as("the page written to memcached").matches("(?s).*\"writes\":[1-9].*")
        .matches("(?s).*\"refused\":0[,}].*");
  }
}
