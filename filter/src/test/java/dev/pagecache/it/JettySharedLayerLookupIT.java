package dev.pagecache.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCache;
import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.StoredPage;
import dev.pagecache.internal.store.CaffeinePageStore;
import dev.pagecache.internal.store.TieredPageStore;
import dev.pagecache.rules.RulesFileParser;
import java.net.URI;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code PageCache.lookup} with a shared layer behind memory: each copy is listed once per layer
 * that holds it, and looking copies nothing into memory. The shared layer is a second memory store
 * here (the layering, not memcached, is under test; memcached's reads are the store SPI's).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettySharedLayerLookupIT {
  final CaffeinePageStore memory = new CaffeinePageStore(16L << 20, InstantSource.system());
  final CaffeinePageStore shared = new CaffeinePageStore(16L << 20, InstantSource.system());
  final TieredPageStore tiered = new TieredPageStore(memory, shared);
  Container container;
  PageCache cache;

  @BeforeAll
  void start() throws Exception {
    PageCacheFilter filter = new PageCacheFilter(PageCacheConfig.builder()
        .rules(RulesFileParser.parse("rules = [ { path = \"/wiki/*\" }, { path = \"/page\" } ]", "lookup rules"))
        .store(tiered).build());
    Endpoint wiki = (req, res, render) -> res.getWriter().print("wiki " + render);
    Endpoint page = (req, res, render) -> {
      res.setHeader("Vary", "Accept-Language");
      res.getWriter().print("page " + render);
    };
    container = JettyContainer.start(new Container.App("", List.of(filter),
        Map.of("/wiki/*", wiki.asServlet("lookup/wiki"), "/page", page.asServlet("lookup/page"))));
    cache = filter.pageCache().orElseThrow();
  }

  @AfterAll
  void stop() throws Exception {
    container.close();
  }

  String url(String path) {
    return "http://127.0.0.1:" + container.port() + path;
  }

  /** The shared layer is written in the background: waits (a bounded while) until it holds {@code key}. */
  void awaitShared(String key) throws InterruptedException {
    for (int i = 0; i < 100 && shared.peekMemory(key).isEmpty(); i++) {
      Thread.sleep(50);
    }
    assertThat(shared.peekMemory(key)).as("written to the shared layer").isPresent();
  }

  @Test
  void aPageInBothLayersIsListedOncePerLayerAndOnlyTheSharedOneAfterMemoryIsCleared() throws Exception {
    given().get(url("/wiki/Both"));
    given().get(url("/wiki/Both"));
    awaitShared(url("/wiki/Both"));

    List<StoredPage> both = cache.lookup(URI.create(url("/wiki/Both")));
    assertThat(both).extracting(StoredPage::layer).containsExactly(StoredPage.Layer.MEMORY, StoredPage.Layer.SHARED);
    assertThat(both).extracting(StoredPage::hits).containsExactly(1L, 0L);
    assertThat(both).extracting(StoredPage::url).containsOnly(url("/wiki/Both"));

    tiered.clearLocal();
    assertThat(cache.lookup(URI.create(url("/wiki/Both")))).extracting(StoredPage::layer)
        .containsExactly(StoredPage.Layer.SHARED);
    assertThat(memory.peekMemory(url("/wiki/Both"))).as("the look-up copied nothing into memory").isEmpty();
    assertThat(cache.entries(StoredPage.Order.URL, false, 0, 10).total()).isZero();
  }

  @Test
  void theVariantsMemoryHoldsAreLookedUpInTheSharedLayerToo() throws Exception {
    given().header("Accept-Language", "de").get(url("/page"));
    given().header("Accept-Language", "it").get(url("/page"));
    // Each variant is written to the shared layer in the background, in the order stored.
    List<StoredPage> copies = cache.lookup(URI.create(url("/page")));
    for (int i = 0; i < 100 && copies.size() < 4; i++) {
      Thread.sleep(50);
      copies = cache.lookup(URI.create(url("/page")));
    }
    assertThat(copies).extracting(copy -> copy.layer().label() + " " + copy.variant()).containsExactly(
        "memory accept-language: de", "memory accept-language: it",
        "shared accept-language: de", "shared accept-language: it");
  }
}
