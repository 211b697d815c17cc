package dev.pagecache.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CompressibleTypesTest {
  @Test
  void patternsMatchTypesTopLevelTypesAndSuffixes() {
    CompressibleTypes types = CompressibleTypes.of(List.of("text/*", "+json", "application/xml"));
    assertThat(types.matches(Optional.of("TEXT/HTML;charset=utf-8"))).isTrue();
    assertThat(types.matches(Optional.of("application/vnd.api+json"))).isTrue();
    assertThat(types.matches(Optional.of("application/xml"))).isTrue();
    assertThat(types.matches(Optional.of("application/xhtml+xml"))).isFalse();
    assertThat(types.matches(Optional.of("textual/html"))).isFalse();
    assertThat(types.matches(Optional.of("garbage"))).isFalse();
    assertThat(types.matches(Optional.empty())).isFalse();
  }

  @Test
  void aPatternOfNoKnownFormIsRefusedWithItsText() {
    for (String bad : List.of("text", "*/*", "text/*html", "text/html; charset=utf-8", "+", "a/b/c", "")) {
      assertThatThrownBy(() -> CompressibleTypes.of(List.of(bad))).as(bad).hasMessageContaining("'" + bad + "'");
    }
  }

  @Test
  void theRulesFileSetsThem() {
    RuleSet rules = RulesFileParser.parse(
        "rules = [ { path = \"/*\", compressTypes = [\"text/*\"], compressMinBytes = 2KiB } ]", "test");
    CacheRule rule = rules.rules().get(0);
    assertThat(rule.compressTypes().patterns()).containsExactly("text/*");
    assertThat(rule.compressMinBytes()).isEqualTo(2048);
  }
}
