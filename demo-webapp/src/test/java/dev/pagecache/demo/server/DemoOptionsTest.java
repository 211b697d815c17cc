package dev.pagecache.demo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoOptionsTest {

  @Test
  void noArgumentsMeansTheDemoOnLoopbackPort8080() throws Exception {
    DemoOptions options = DemoOptions.parse();

    assertThat(options).isEqualTo(DemoOptions.defaults());
    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.port()).isEqualTo(8080);
    assertThat(options.isProxy()).isFalse();
    assertThat(options.rules()).isEmpty();
    assertThat(options.cacheBytes()).isEmpty();
    assertThat(options.delayScale()).isEqualTo(1.0);
  }

  @Test
  void optionsTakeTheirValueAfterASpaceOrAnEqualsSign(@TempDir Path dir) throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.conf"), "rules = [ { path = \"/\" } ]");

    DemoOptions options = DemoOptions.parse("--port", "9090", "--host=localhost", "--rules", rules.toString(),
        "--cache-size=256MiB", "--delay-scale", "0.5");

    assertThat(options.port()).isEqualTo(9090);
    assertThat(options.host()).isEqualTo("localhost");
    assertThat(options.rules()).contains(rules);
    assertThat(options.cacheBytes()).isEqualTo(OptionalLong.of(256L << 20));
    assertThat(options.delayScale()).isEqualTo(0.5);
  }

  @Test
  void proxyToIsNormalisedWithoutTrailingSlash() throws Exception {
    DemoOptions options = DemoOptions.parse("--proxy-to", "HTTP://origin.example:8081/base/", "--preserve-host");

    assertThat(options.isProxy()).isTrue();
    assertThat(options.proxyTo()).contains(URI.create("http://origin.example:8081/base"));
    assertThat(options.preserveHost()).isTrue();
    assertThat(DemoOptions.parse("--proxy-to", "https://example.com").proxyTo())
        .isEqualTo(Optional.of(URI.create("https://example.com")));
  }

  @Test
  void portZeroPicksAFreePortAndPortsAboveTheRangeAreRefused() throws Exception {
    assertThat(DemoOptions.parse("--port", "0").port()).isZero();
    assertUsage(new String[] {"--port", "65536"}, "--port: '65536' is not a port number (0 to 65535)");
    assertUsage(new String[] {"--port", "http"}, "--port: 'http' is not a port number (0 to 65535)");
    assertUsage(new String[] {"--port", "-1"}, "--port: '-1' is not a port number (0 to 65535)");
  }

  @Test
  void unknownRepeatedOrValuelessOptionsAreRefusedByName() {
    assertUsage(new String[] {"--prot", "80"}, "unknown option '--prot'");
    assertUsage(new String[] {"8080"}, "unexpected argument '8080' (options start with --)");
    assertUsage(new String[] {"--port", "1", "--port", "2"}, "--port is given twice");
    assertUsage(new String[] {"--port"}, "--port needs a value");
    assertUsage(new String[] {"--rules", "--port", "1"}, "--rules needs a value");
    assertUsage(new String[] {"--preserve-host=yes", "--proxy-to", "http://a"}, "--preserve-host takes no value");
  }

  @Test
  void rulesFileMustExistAndBeAFile(@TempDir Path dir) {
    assertUsage(new String[] {"--rules", dir.resolve("missing.conf").toString()},
        "--rules: no such file: " + dir.resolve("missing.conf"));
    assertUsage(new String[] {"--rules", dir.toString()}, "--rules: not a readable file: " + dir);
  }

  @Test
  void proxyToMustBeAnAbsoluteHttpUrlWithoutQuery() {
    assertUsage(new String[] {"--proxy-to", "origin:8080"}, "--proxy-to: 'origin:8080' must start with http:// or https://");
    assertUsage(new String[] {"--proxy-to", "ftp://origin"}, "--proxy-to: 'ftp://origin' must start with http:// or https://");
    assertUsage(new String[] {"--proxy-to", "http://"}, "--proxy-to: 'http://' is not a URL: Expected authority");
    assertUsage(new String[] {"--proxy-to", "http://user:pw@origin"},
        "--proxy-to: 'http://user:pw@origin' needs a host (and no user:password@)");
    assertUsage(new String[] {"--proxy-to", "http://origin/?a=b"},
        "--proxy-to: 'http://origin/?a=b' may not have a query or fragment");
  }

  @Test
  void proxyOnlyAndDemoOnlyOptionsDoNotMix() {
    assertUsage(new String[] {"--preserve-host"}, "--preserve-host only applies with --proxy-to");
    assertUsage(new String[] {"--proxy-to", "http://origin", "--delay-scale", "0"},
        "--delay-scale applies to the demo pages, which --proxy-to replaces");
  }

  @Test
  void sizesAndScalesAreChecked() {
    assertUsage(new String[] {"--cache-size", "lots"}, "--cache-size: 'lots' is not a positive size (e.g. 256MiB, 1GiB)");
    assertUsage(new String[] {"--cache-size", "0"}, "--cache-size: '0' is not a positive size (e.g. 256MiB, 1GiB)");
    assertUsage(new String[] {"--delay-scale", "fast"}, "--delay-scale: 'fast' is not a number from 0 to 100");
    assertUsage(new String[] {"--delay-scale", "-1"}, "--delay-scale: '-1' is not a number from 0 to 100");
  }

  @Test
  void hostMustResolve() {
    assertUsage(new String[] {"--host", "no-such-host.invalid"}, "--host: cannot resolve 'no-such-host.invalid'");
    assertUsage(new String[] {"--host", " "}, "--host needs an address, e.g. 127.0.0.1");
  }

  @Test
  void memcachedTakesAServerListAndRefusesAnUnreadableOne() throws Exception {
    DemoOptions options = DemoOptions.parse("--memcached", "127.0.0.1:11211,cache2:11211");

    assertThat(options.memcached()).isPresent();
    assertThat(options.memcached().get().servers()).extracting(a -> a.getHostString() + ":" + a.getPort())
        .containsExactly("127.0.0.1:11211", "cache2:11211");
    assertThat(DemoOptions.defaults().memcached()).isEmpty();
    assertUsage(new String[] {"--memcached", "127.0.0.1"}, "--memcached: '127.0.0.1' is not host:port (e.g. 127.0.0.1:11211)");
    assertUsage(new String[] {"--memcached", "a:1,,b:2"}, "--memcached: '' is not host:port (e.g. 127.0.0.1:11211)");
  }

  @Test
  void hostNameTakesTheSitesNamesAndRefusesWhatIsNotOne() throws Exception {
    assertThat(DemoOptions.parse("--host-name", "www.example.com, *.example.org").hostNames())
        .containsExactly("www.example.com", "*.example.org");
    assertThat(DemoOptions.defaults().hostNames()).isEmpty();
    assertUsage(new String[] {"--host-name", "https://www.example.com"}, "--host-name: 'https://www.example.com' is not a host name (www.example.com, *.example.com, an IP address; no scheme, port or path)");
  }

  @Test
  void memcachedSecretSignsTheSharedEntries() throws Exception {
    DemoOptions options = DemoOptions.parse("--memcached", "127.0.0.1:11211", "--memcached-secret", "sixteen-plus-byte secret");

    assertThat(options.memcached().orElseThrow().secret()).contains("sixteen-plus-byte secret");
    assertThat(options.toString()).as("never printed").doesNotContain("sixteen-plus-byte secret");
    assertUsage(new String[] {"--memcached-secret", "sixteen-plus-byte secret"}, "--memcached-secret needs --memcached");
    assertUsage(new String[] {"--memcached", "127.0.0.1:11211", "--memcached-secret", "short"},
        "--memcached-secret: must be at least 16 bytes");
  }

  @Test
  void withoutTheOptionTheSecretComesFromTheEnvironmentAndTheOptionWins() throws Exception {
    Map<String, String> environment = Map.of("PAGECACHE_MEMCACHED_SECRET", "secret from the environment");

    assertThat(DemoOptions.parse(environment, "--memcached", "127.0.0.1:11211").memcached().orElseThrow().secret())
        .contains("secret from the environment");
    assertThat(DemoOptions.parse(environment, "--memcached", "127.0.0.1:11211", "--memcached-secret=secret on the command line")
        .memcached().orElseThrow().secret()).contains("secret on the command line");
    assertThat(DemoOptions.parse(environment).memcached()).as("no memcached, no use for a secret").isEmpty();
    assertThat(DemoOptions.parse(Map.of(), "--memcached", "127.0.0.1:11211").memcached().orElseThrow().secret()).isEmpty();
    assertThatThrownBy(() -> DemoOptions.parse(Map.of("PAGECACHE_MEMCACHED_SECRET", "short"), "--memcached", "127.0.0.1:11211"))
        .isInstanceOf(UsageException.class).hasMessage("PAGECACHE_MEMCACHED_SECRET: must be at least 16 bytes");
    assertThatThrownBy(() -> DemoOptions.parse(Map.of("PAGECACHE_MEMCACHED_SECRET", ""), "--memcached", "127.0.0.1:11211"))
        .isInstanceOf(UsageException.class)
        .hasMessage("PAGECACHE_MEMCACHED_SECRET is empty: give a secret of at least 16 bytes, or none");
  }

  @Test
  void purgeTokenComesFromTheOptionOrElseTheEnvironmentAndIsNeverPrinted() throws Exception {
    String token = "a-purge-token-of-32-characters-x";
    Map<String, String> environment = Map.of("PAGECACHE_PURGE_TOKEN", "token-from-the-environment");

    DemoOptions options = DemoOptions.parse("--purge-token", token);

    assertThat(options.purgeToken().orElseThrow().value()).isEqualTo(token);
    assertThat(options.toString()).as("never printed").doesNotContain(token).contains("PurgeToken[hidden]");
    assertThat(DemoOptions.parse(environment).purgeToken().orElseThrow().value()).isEqualTo("token-from-the-environment");
    assertThat(DemoOptions.parse(environment, "--purge-token=" + token).purgeToken().orElseThrow().value())
        .as("the option wins").isEqualTo(token);
    assertThat(DemoOptions.parse(Map.of()).purgeToken()).as("a random one at start").isEmpty();
    assertThat(DemoOptions.defaults().purgeToken()).isEmpty();
  }

  @Test
  void aPurgeTokenTheFilterWouldRefuseIsRefusedByNameWithoutRepeatingIt() {
    assertUsage(new String[] {"--purge-token", "short-token"},
        "--purge-token is shorter than 16 characters: too easy to guess; use a random one, e.g. from openssl rand -base64 32");
    assertUsage(new String[] {"--purge-token", "sixteen+ chars with spaces"},
        "--purge-token may hold only letters, digits and - . _ ~ + / (then = at the end), as a bearer token must");
    assertThatThrownBy(() -> DemoOptions.parse(Map.of("PAGECACHE_PURGE_TOKEN", ""))).isInstanceOf(UsageException.class)
        .hasMessage("PAGECACHE_PURGE_TOKEN is empty: give a random token of at least 16 characters, or leave it out");
    assertThatThrownBy(() -> DemoOptions.parse(Map.of("PAGECACHE_PURGE_TOKEN", "env-short"))).isInstanceOf(UsageException.class)
        .message().startsWith("PAGECACHE_PURGE_TOKEN is shorter than 16 characters").doesNotContain("env-short");
  }

  @Test
  void helpIsRecognisedAnywhereAndTheUsageListsEveryOption() {
    assertThat(DemoOptions.wantsHelp("--port", "x", "--help")).isTrue();
    assertThat(DemoOptions.wantsHelp("-h")).isTrue();
    assertThat(DemoOptions.wantsHelp("--port", "1")).isFalse();
    assertThat(DemoOptions.usage()).contains("--port N", "--host ADDR", "--rules FILE", "--proxy-to URL",
        "--preserve-host", "--cache-size SIZE", "--delay-scale X", "--memcached LIST", "--memcached-secret S",
        "PAGECACHE_MEMCACHED_SECRET", "--host-name NAMES", "--purge-token T", "PAGECACHE_PURGE_TOKEN",
        "--max-requests N", "--max-queued N", "--queue-wait T", "--origin-timeout T", "--help");
  }

  @Test
  void limitsDefaultToWhatEachModeCanHoldAndTakeDurations() throws Exception {
    assertThat(DemoOptions.parse().limits()).isEqualTo(new ServerLimits(150, 1000, Duration.ofSeconds(5),
        Duration.ofSeconds(60)));
    assertThat(DemoOptions.parse("--proxy-to", "http://origin").limits().maxRequests()).isEqualTo(4000);

    ServerLimits limits = DemoOptions.parse("--proxy-to", "http://origin", "--max-requests", "8", "--max-queued=0",
        "--queue-wait", "250ms", "--origin-timeout", "2s").limits();

    assertThat(limits).isEqualTo(new ServerLimits(8, 0, Duration.ofMillis(250), Duration.ofSeconds(2)));
  }

  @Test
  void limitsOutsideTheirRangeAreRefusedByName() {
    assertUsage(new String[] {"--max-requests", "0"}, "--max-requests: '0' is not a whole number from 1 to 1000000");
    assertUsage(new String[] {"--max-queued", "-1"}, "--max-queued: '-1' is not a whole number from 0 to 1000000");
    assertUsage(new String[] {"--queue-wait", "soon"}, "--queue-wait: 'soon' is not a duration from 0ms to 1h (e.g. 500ms, 5s)");
    assertUsage(new String[] {"--proxy-to", "http://origin", "--origin-timeout", "2h"},
        "--origin-timeout: '2h' is not a duration from 1ms to 1h (e.g. 500ms, 5s)");
    assertUsage(new String[] {"--origin-timeout", "5s"}, "--origin-timeout only applies with --proxy-to");
  }

  @Test
  void everyMessageIsOneLine() {
    String[][] bad = {{"--port", "x"}, {"--proxy-to", "http://"}, {"--memcached", "a"}, {"--nope"}};
    for (String[] args : bad) {
      assertThatThrownBy(() -> DemoOptions.parse(args)).isInstanceOf(UsageException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }

  private static void assertUsage(String[] args, String message) {
    assertThatThrownBy(() -> DemoOptions.parse(args)).isInstanceOf(UsageException.class).hasMessage(message);
  }
}
