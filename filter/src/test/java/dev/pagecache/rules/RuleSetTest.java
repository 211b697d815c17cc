package dev.pagecache.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleSetTest {

  private static CacheRule rule(String pattern, int line) {
    return CacheRule.forPath(pattern).line(line).build();
  }

  @Test
  void theFirstMatchingRuleWins() {
    CacheRule hd = rule("/videos/hd/*", 1);
    CacheRule videos = rule("/videos/*", 2);
    CacheRule everything = rule("/*", 3);
    RuleSet rules = RuleSet.of(List.of(hd, videos, everything));

    assertThat(rules.match("GET", "/videos/hd/1")).containsSame(hd);
    assertThat(rules.match("GET", "/videos/sd/1")).containsSame(videos);
    assertThat(rules.match("GET", "/videos")).containsSame(videos);
    assertThat(rules.match("GET", "/videosx")).containsSame(everything);
  }

  @Test
  void aRuleOnlyMatchesTheMethodsItCaches() {
    CacheRule getOnly = CacheRule.forPath("/a/*").line(1).methods(Set.of("GET")).build();
    CacheRule both = CacheRule.forPath("/a/*").line(2).ttl(Duration.ofMinutes(1)).build();
    RuleSet rules = RuleSet.of(List.of(getOnly, both));

    assertThat(rules.match("GET", "/a/x")).containsSame(getOnly);
    assertThat(rules.match("HEAD", "/a/x")).containsSame(both);
    assertThat(rules.match("POST", "/a/x")).isEmpty();
  }

  @Test
  void aPathNoRuleMatchesHasNoRule() {
    RuleSet rules = RuleSet.of(List.of(rule("/about", 1), rule("*.html", 2)));

    assertThat(rules.match("GET", "/contact")).isEmpty();
    assertThat(RuleSet.empty().match("GET", "/")).isEmpty();
    assertThat(RuleSet.empty().rules()).isEmpty();
  }

  @Test
  void aRuleAnEarlierOneShadowsIsRejectedWithBothLines() {
    List<CacheRule> rules = List.of(rule("/about", 2), rule("/*", 3), rule("/contact", 5));

    assertThatThrownBy(() -> RuleSet.of(rules, "rules file site.conf"))
        .isInstanceOfSatisfying(RulesException.class, e -> {
          assertThat(e.source()).isEqualTo("rules file site.conf");
          assertThat(e.line()).isEqualTo(5);
          assertThat(e).hasMessage("rules file site.conf, line 5: rule '/contact' (line 5) can never match: "
              + "rule '/*' (line 3) comes first and matches every path it would");
        });
  }

  @Test
  void aShadowedRuleBuiltInCodeIsReportedWithoutLines() {
    List<CacheRule> rules = List.of(CacheRule.forPath("*.html").build(), CacheRule.forPath("/index.html").build());

    assertThatThrownBy(() -> RuleSet.of(rules))
        .isInstanceOfSatisfying(RulesException.class, e -> assertThat(e.line()).isZero())
        .hasMessage("rules: rule '/index.html' can never match: rule '*.html' comes first and matches every path it would");
  }

  @Test
  void aLaterRuleForAMethodTheEarlierDoesNotCacheIsNotShadowed() {
    CacheRule getOnly = CacheRule.forPath("/*").line(1).methods(Set.of("GET")).build();
    CacheRule about = rule("/about", 2);

    RuleSet rules = RuleSet.of(List.of(getOnly, about));

    assertThat(rules.match("HEAD", "/about")).containsSame(about);
  }

  @Test
  void aLaterRuleForFewerMethodsIsShadowed() {
    CacheRule both = rule("/*", 1);
    CacheRule getOnly = CacheRule.forPath("/about").line(2).methods(Set.of("GET")).build();

    assertThatThrownBy(() -> RuleSet.of(List.of(both, getOnly)))
        .isInstanceOf(RulesException.class)
        .hasMessageContaining("rule '/about' (line 2) can never match");
  }

  @Test
  void theSamePatternTwiceWithTheSameSettingsRepeats() {
    List<CacheRule> rules = List.of(rule("/a", 4), rule("/a", 9));

    assertThatThrownBy(() -> RuleSet.of(rules, "rules file site.conf"))
        .isInstanceOfSatisfying(RulesException.class, e -> assertThat(e.line()).isEqualTo(9))
        .hasMessage("rules file site.conf, line 9: repeats rule '/a' (line 4): "
            + "the same path pattern twice; the first one always wins");
  }

  @Test
  void theSamePatternTwiceWithOtherSettingsConflicts() {
    List<CacheRule> rules = List.of(rule("/a/*", 4), CacheRule.forPath("/a/*").line(9).ttl(Duration.ofHours(1)).build());

    assertThatThrownBy(() -> RuleSet.of(rules, "rules file site.conf"))
        .isInstanceOfSatisfying(RulesException.class, e -> assertThat(e.line()).isEqualTo(9))
        .hasMessage("rules file site.conf, line 9: conflicts with rule '/a/*' (line 4): "
            + "the same path pattern twice; the first one always wins");
  }

  @Test
  void specificRulesBeforeGeneralOnesAreAccepted() {
    List<CacheRule> list = List.of(rule("/admin/*", 1), rule("/", 2), rule("^/w/[a-z]+$", 3), rule("*.html", 4),
        rule("/*", 5));

    assertThat(RuleSet.of(list).rules()).containsExactlyElementsOf(list);
  }

  @Test
  void theRuleSetKeepsItsOwnCopyOfTheList() {
    List<CacheRule> list = new ArrayList<>(List.of(rule("/a", 1)));
    RuleSet rules = RuleSet.of(list);

    list.add(rule("/b", 2));

    assertThat(rules.rules()).hasSize(1);
    assertThat(rules.match("GET", "/b")).isEmpty();
  }
}
