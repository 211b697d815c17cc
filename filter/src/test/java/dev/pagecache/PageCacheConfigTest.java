package dev.pagecache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.RulesException;
import dev.pagecache.internal.store.CaffeinePageStore;
import dev.pagecache.it.TestFilterConfig;
import jakarta.servlet.FilterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageCacheConfigTest {

  /** Init-params only; no servlet context, so rules come from the file system. */
  private static FilterConfig initParams(Map<String, String> params) {
    return TestFilterConfig.of(params);
  }

  @Test
  void initParamsReadTheRulesFileAndTheCacheSize(@TempDir Path dir) throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.conf"), "rules = [ { path = \"/\", ttl = 5m } ]");
    PageCacheConfig config = PageCacheConfig.fromInitParams(initParams(Map.of(
        "pagecache.rules", rules.toString(), "pagecache.maxCacheBytes", "32MiB")));

    assertThat(config.maxCacheBytes()).isEqualTo(32L << 20);
    assertThat(config.rules().rules()).hasSize(1);
    assertThat(config.rules().rules().get(0).ttl()).contains(Duration.ofMinutes(5));
  }

  @Test
  void badRulesFileNamesTheFileTheLineAndTheProblem(@TempDir Path dir) throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.conf"), """
        rules = [
          { path = "/" }
          { path = "/wiki/*", ttl = 60 }
        ]
        """);

    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(Map.of("pagecache.rules", rules.toString()))))
        .isInstanceOf(RulesException.class)
        .hasMessage("rules file " + rules + ", line 3: ttl: needs a unit, e.g. 60s or 5m");
  }

  @Test
  void missingRulesParamIsAnError() {
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(Map.of())))
        .hasMessageContaining("init-param pagecache.rules is missing");
  }

  @Test
  void misspelledInitParamIsAnError() {
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(Map.of("pagecache.maxCacheByte", "1MiB"))))
        .hasMessageContaining("unknown init-param 'pagecache.maxCacheByte'");
  }

  @Test
  void unreadableSizeNamesTheParam(@TempDir Path dir) throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.conf"), "rules = [ { path = \"/\" } ]");
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(Map.of(
        "pagecache.rules", rules.toString(), "pagecache.maxCacheBytes", "lots"))))
        .hasMessage("pagecache.maxCacheBytes: 'lots' is not a size (e.g. 256MiB, 1GiB)");
  }

  @Test
  void missingRulesFileIsAnError() {
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(Map.of("pagecache.rules", "/nowhere/rules.conf"))))
        .hasMessageContaining("rules file /nowhere/rules.conf: not found");
  }

  /** The core alone (this module's test class path has no pagecache-memcached): a memcached setting names what is missing. */
  @Test
  void memcachedInitParamsWithoutTheMemcachedModuleNameTheDependency(@TempDir Path dir) throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.conf"), "rules = [ { path = \"/\" } ]");
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(Map.of(
        "pagecache.rules", rules.toString(), "pagecache.memcached.servers", "127.0.0.1:11211"))))
        .hasMessage("init-param pagecache.memcached.servers needs the memcached layer on the class path: add the "
            + "dependency dev.pagecache:pagecache-memcached (it brings spymemcached)");
  }

  @Test
  void theCoreAloneHasNoSpymemcached() {
    assertThatThrownBy(() -> Class.forName("net.spy.memcached.MemcachedClient"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void noSharedLayerUnlessOneIsConfigured() {
    assertThat(PageCacheConfig.builder().rule(CacheRule.forPath("/").build()).build().sharedStore()).isEmpty();
  }

  @Test
  void builderRefusesASizeForAStoreItDoesNotBuild() {
    CaffeinePageStore store = new CaffeinePageStore(1 << 20, InstantSource.system());
    assertThatThrownBy(() -> PageCacheConfig.builder().store(store).maxCacheBytes(1 << 20))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxCacheBytes cannot be combined with store()");
  }

  @Test
  void builderNeedsAtLeastOneRule() {
    assertThatThrownBy(() -> PageCacheConfig.builder().build())
        .hasMessageContaining("no rules");
  }

  @Test
  void defaultCacheSizeIsAnEighthOfTheHeap() {
    PageCacheConfig config = PageCacheConfig.builder().rule(CacheRule.forPath("/").build()).build();
    assertThat(config.maxCacheBytes()).isEqualTo((long) (Runtime.getRuntime().maxMemory() * 0.125));
  }

  @Test
  void warmUrlsNeedTheBaseUrlClientsUse() {
    CacheRule warm = CacheRule.forPath("/hot").warmUrls(java.util.List.of("/hot")).build();

    assertThatThrownBy(() -> PageCacheConfig.builder().rule(warm).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rule '/hot' has warmUrls")
        .hasMessageContaining("pagecache.warm.baseUrl");
    assertThat(PageCacheConfig.builder().rule(warm).warmBaseUrl(java.net.URI.create("https://www.example.com"))
        .build().warmBaseUrl()).contains(java.net.URI.create("https://www.example.com"));
  }

  @Test
  void theWarmBaseUrlIsASchemeHostAndPortOnly() {
    for (String bad : new String[] {"/relative", "ftp://example.com", "https://example.com/path",
        "https://example.com/?q=1", "https://user@example.com", "mailto:a@example.com"}) {
      assertThatThrownBy(() -> PageCacheConfig.builder().warmBaseUrl(java.net.URI.create(bad)))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warmBaseUrl");
    }
  }

  @Test
  void theWarmBaseUrlIsAnInitParam(@TempDir Path dir) throws Exception {
    Path rules = dir.resolve("rules.conf");
    Files.writeString(rules, "rules = [ { path = \"/hot\", warmUrls = [\"/hot\"] } ]");

    PageCacheConfig config = PageCacheConfig.fromInitParams(initParams(Map.of(
        "pagecache.rules", rules.toString(), "pagecache.warm.baseUrl", "http://www.example.test:8080")));

    assertThat(config.warmBaseUrl()).contains(java.net.URI.create("http://www.example.test:8080"));
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(Map.of("pagecache.rules", rules.toString()))))
        .hasMessageContaining("pagecache.warm.baseUrl");
  }

  // ---- the purge endpoint ----

  private static final String TOKEN = "0123456789abcdef-purge-token";

  private static Map<String, String> withRules(Path dir, Map<String, String> params) throws Exception {
    Path rules = dir.resolve("rules.conf");
    Files.writeString(rules, "rules = [ { path = \"/\" } ]");
    Map<String, String> all = new java.util.HashMap<>(params);
    all.put("pagecache.rules", rules.toString());
    return all;
  }

  @Test
  void thePurgeEndpointIsOffUnlessATokenOrAnAllowListIsSet(@TempDir Path dir) throws Exception {
    assertThat(PageCacheConfig.fromInitParams(initParams(withRules(dir, Map.of()))).purge()).isEmpty();
    assertThat(PageCacheConfig.builder().rule(CacheRule.forPath("/").build()).build().purge()).isEmpty();
  }

  @Test
  void purgeInitParamsTurnOnTheEndpoint(@TempDir Path dir) throws Exception {
    PageCacheConfig config = PageCacheConfig.fromInitParams(initParams(withRules(dir, Map.of(
        "pagecache.purge.token", "\n    " + TOKEN + "\n  ",
        "pagecache.purge.allowFrom", " 127.0.0.1, ::1 ,10.0.0.0/8",
        "pagecache.purge.path", "/admin/purge"))));

    assertThat(config.purge()).isPresent();
    assertThat(config.purge().get().path()).isEqualTo("/admin/purge");
    assertThat(config.purge().get().access().hasToken()).isTrue();
    assertThat(config.purge().get().access().allowList().orElseThrow()).hasToString("127.0.0.1, ::1, 10.0.0.0/8");
    assertThat(PageCacheConfig.fromInitParams(initParams(withRules(dir, Map.of("pagecache.purge.allowFrom", "::1"))))
        .purge().orElseThrow().path()).isEqualTo("/pagecache/purge");
  }

  @Test
  void badPurgeInitParamsFailStartUpNamingTheParameter(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(withRules(dir, Map.of("pagecache.purge.token", " ")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pagecache.purge.token is empty: give a random token of at least 16 characters, or leave it out");
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(withRules(dir, Map.of(
        "pagecache.purge.token", "too-short")))))
        .hasMessageStartingWith("pagecache.purge.token is shorter than 16 characters");
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(withRules(dir, Map.of(
        "pagecache.purge.allowFrom", "127.0.0.1, 10.0.0.0/33")))))
        .hasMessage("pagecache.purge.allowFrom: '10.0.0.0/33': the prefix length after / must be 0 to 32");
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(withRules(dir, Map.of(
        "pagecache.purge.allowFrom", "localhost")))))
        .hasMessageStartingWith("pagecache.purge.allowFrom: 'localhost' is not an IP address or CIDR range");
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(withRules(dir, Map.of(
        "pagecache.purge.allowFrom", "127.0.0.1,")))))
        .hasMessageStartingWith("pagecache.purge.allowFrom: '' is not an IP address");
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(withRules(dir, Map.of(
        "pagecache.purge.allowFrom", "")))))
        .hasMessageStartingWith("pagecache.purge.allowFrom: is empty");
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(withRules(dir, Map.of(
        "pagecache.purge.token", TOKEN, "pagecache.purge.path", "/purge/*")))))
        .hasMessageStartingWith("pagecache.purge.path must be a plain path");
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(withRules(dir, Map.of(
        "pagecache.purge.path", "/purge")))))
        .hasMessage("init-param pagecache.purge.path needs pagecache.purge.token or pagecache.purge.allowFrom: "
            + "without them the purge endpoint is off");
  }

  @Test
  void noPurgeErrorRepeatsTheToken(@TempDir Path dir) throws Exception {
    for (String token : new String[] {"too-short", "sixteen or more but with spaces", "tab\there-and-more-than-16"}) {
      assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(withRules(dir, Map.of("pagecache.purge.token", token)))))
          .as(token).message().contains("pagecache.purge.token").doesNotContain(token.strip());
      assertThatThrownBy(() -> PageCacheConfig.builder().purgeToken(token))
          .as(token).message().contains("purgeToken").doesNotContain(token.strip());
    }
  }

  @Test
  void theBuilderTakesThePurgeSettingsByTheSameNames() {
    PageCacheConfig config = PageCacheConfig.builder().rule(CacheRule.forPath("/").build())
        .purgeToken(TOKEN).purgeAllowFrom(java.util.List.of("192.168.0.0/16")).purgePath("/purge").build();

    assertThat(config.purge().orElseThrow()).hasToString("PURGE <url> and POST /purge (bearer token, from 192.168.0.0/16)");
    assertThatThrownBy(() -> PageCacheConfig.builder().purgeToken("short"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("purgeToken is shorter than 16 characters");
    assertThatThrownBy(() -> PageCacheConfig.builder().purgeAllowFrom(java.util.List.of("10.0.0.1/8")))
        .hasMessage("purgeAllowFrom: '10.0.0.1/8' has bits set after its first 8; write the range as 10.0.0.0/8");
    assertThatThrownBy(() -> PageCacheConfig.builder().rule(CacheRule.forPath("/").build()).purgePath("/purge").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("purgePath needs purgeToken or purgeAllowFrom: without them the purge endpoint is off");
  }

  @Test
  void rulesCanComeFromTheClassPathWhereverTheApplicationStarts() {
    PageCacheConfig config = PageCacheConfig.builder().rulesResource("classpath:dev/pagecache/classpath-rules.conf").build();

    assertThat(config.rules().rules()).singleElement()
        .satisfies(rule -> assertThat(rule.ttl()).contains(Duration.ofSeconds(42)));
  }

  @Test
  void aRulesResourceMissingFromTheClassPathIsNamedInTheError() {
    assertThatThrownBy(() -> PageCacheConfig.builder().rulesResource("classpath:no/such/rules.conf"))
        .isInstanceOf(RulesException.class)
        .hasMessageContaining("classpath:no/such/rules.conf")
        .hasMessageContaining("not found on the class path");
  }

  @Test
  void aRulesResourceMayBeAFilePath(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("pagecache.conf");
    Files.writeString(file, "rules = [ { path = \"/on-disk\", ttl = 7s } ]");

    PageCacheConfig config = PageCacheConfig.builder().rulesResource(file.toString()).build();

    assertThat(config.rules().rules()).singleElement()
        .satisfies(rule -> assertThat(rule.ttl()).contains(Duration.ofSeconds(7)));
  }

  @Test
  void theMxBeanIsOnUnlessTheInitParamTurnsItOff(@TempDir Path dir) throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.conf"), "rules = [ { path = \"/\" } ]");

    assertThat(PageCacheConfig.fromInitParams(initParams(Map.of("pagecache.rules", rules.toString()))).jmx()).isTrue();
    assertThat(PageCacheConfig.fromInitParams(initParams(Map.of("pagecache.rules", rules.toString(),
        "pagecache.jmx", " false\n"))).jmx()).isFalse();
    assertThat(PageCacheConfig.builder().rulesResource(rules.toString()).jmx(false).build().jmx()).isFalse();
    assertThatThrownBy(() -> PageCacheConfig.fromInitParams(initParams(Map.of("pagecache.rules", rules.toString(),
        "pagecache.jmx", "no"))))
        .hasMessage("pagecache.jmx must be true or false, was 'no'");
  }
}
