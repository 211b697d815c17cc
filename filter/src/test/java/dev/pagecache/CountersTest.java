package dev.pagecache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.internal.policy.Reason;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.RuleSet;
import dev.pagecache.rules.RulesFileParser;
import dev.pagecache.store.StoreStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountersTest {
  private static final StoreStats EMPTY = new StoreStats(0, 0, 1, 0, 0);

  private static PageCacheStats snapshot(Counters counters) {
    return counters.snapshot(EMPTY, Map.of());
  }

  @Test
  void eachRuleHasItsFiguresUnderItsPatternInTheOrderOfTheSet() {
    RuleSet rules = RulesFileParser.parse("rules = [ { path = \"/b/*\" }, { path = \"/a/*\", cache = false } ]", "t");
    Counters counters = new Counters(rules);

    counters.of(rules.rules().get(0)).hits.increment();
    counters.count(Reason.NO_STORE, counters.of(rules.rules().get(0)));
    counters.count(Reason.EXCLUDED, counters.of(rules.rules().get(1)));

    PageCacheStats stats = snapshot(counters);
    assertThat(stats.rules().keySet()).containsExactly("/b/*", "/a/*");
    assertThat(stats.rules().get("/b/*")).isEqualTo(new PageCacheStats.RuleStats(1, 0, 0, 0, 1, 0));
    assertThat(stats.rules().get("/a/*")).isEqualTo(new PageCacheStats.RuleStats(0, 0, 0, 0, 0, 1));
    assertThat(stats.notStored()).containsEntry("no-store", 1L);
    assertThat(stats.bypassed()).containsEntry("excluded", 1L);
  }

  @Test
  void aPatternUsedTwiceIsToldApartByLineOrPosition() {
    RuleSet fromFile = RulesFileParser.parse("""
        rules = [
          { path = "/x", methods = [GET] }
          { path = "/x", methods = [GET, HEAD] }
        ]
        """, "t");
    assertThat(snapshot(new Counters(fromFile)).rules().keySet()).containsExactly("/x", "/x (line 3)");

    RuleSet inCode = RuleSet.of(List.of(CacheRule.forPath("/x").methods(java.util.Set.of("GET")).build(),
        CacheRule.forPath("/x").build()));
    assertThat(snapshot(new Counters(inCode)).rules().keySet()).containsExactly("/x", "/x #2");
  }

  @Test
  void aRuleOfAnotherSetIsCountedNowhere() {
    Counters counters = new Counters(RuleSet.of(List.of(CacheRule.forPath("/a/*").build())));

    counters.of(CacheRule.forPath("/a/*").build()).hits.increment();

    assertThat(snapshot(counters).rules().get("/a/*").hits()).isZero();
  }

  @Test
  void ruleNamesAreEscapedInJson() {
    Counters counters = new Counters(RuleSet.of(List.of(CacheRule.forPath("^/q\"\\\\<x>$").build())));

    assertThat(snapshot(counters).toJson())
        .contains("\"rules\":{\"^/q\\\"\\\\\\\\\\u003cx\\u003e$\":{\"hits\":0,");
  }
}
