package dev.pagecache.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.store.CacheEntry;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.StoreStats;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A store that fails on every call must never fail a request: the origin answers and it is counted. */
class FailingStoreIT {

  /** Fails like a broken remote store would: every call throws. */
  static final class BrokenStore implements PageStore {
    @Override
    public Optional<CacheEntry> get(String key) {
      throw new IllegalStateException("store is down");
    }

    @Override
    public void put(String key, CacheEntry entry) {
      throw new IllegalStateException("store is down");
    }

    @Override
    public void remove(String key) {
      throw new IllegalStateException("store is down");
    }

    @Override
    public void clear() {
      throw new IllegalStateException("store is down");
    }

    @Override
    public StoreStats stats() {
      return new StoreStats(0, 0, 0, 0, 0);
    }
  }

  @Test
  void everyRequestIsAnsweredByTheOriginAndTheFailuresAreCounted() throws Exception {
    PageCacheFilter filter = new PageCacheFilter(PageCacheConfig.builder()
        .rule(CacheRule.forPath("/*").build())
        .store(new BrokenStore())
        .build());
    Endpoint page = (req, res, n) -> res.getWriter().print("origin " + n);
    try (Container container = JettyContainer.start(new Container.App("", List.of(filter),
        Map.of("/failing", page.asServlet("failing"))))) {
      int before = Endpoint.renders("failing");
      Response first = given().port(container.port()).get("http://127.0.0.1/failing");
      Response second = given().port(container.port()).get("http://127.0.0.1/failing");
      Response post = given().port(container.port()).post("http://127.0.0.1/failing");

      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.asString()).isEqualTo("origin " + (before + 1));
      assertThat(second.asString()).isEqualTo("origin " + (before + 2));
      assertThat(post.statusCode()).isEqualTo(200);
      var stats = filter.pageCache().orElseThrow().stats();
      assertThat(stats.storeErrors()).isGreaterThanOrEqualTo(5);
      assertThat(stats.notStored()).containsEntry("store-error", 2L);
    }
  }
}
