package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.rules.CacheRule;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AcceptLanguageKeyTest {

  @ParameterizedTest(name = "{0} | {1}")
  @CsvSource(delimiter = '|', value = {
      "en-US,fr;q=0.8            | fr;q=0.8, EN-us",
      "en-US,fr;q=0.8            | fr;q=0.80 ,  en-us;q=1",
      "en-US,fr;q=0.8            | en-US;Q=1.000,fr;q=0.800",
      "de, en;q=0.5, fr;q=0.5    | en;q=0.5,de,fr;q=0.5",
      "*;q=0.1, de               | de,,*;q=0.1",
  })
  void spellingsOfOnePreferenceShareAKey(String one, String other) {
    assertThat(AcceptLanguageKey.of(List.of(one))).isEqualTo(AcceptLanguageKey.of(List.of(other)));
  }

  @Test
  void theKeyIsTheNormalForm() {
    assertThat(AcceptLanguageKey.of(List.of("fr;q=0.80 ,  EN-us;q=1", "de;q=0.9"))).isEqualTo("en-us,de;q=0.9,fr;q=0.8");
    assertThat(AcceptLanguageKey.of(List.of("fr;q=0"))).isEqualTo("fr;q=0");
  }

  @ParameterizedTest(name = "{0} | {1}")
  @CsvSource(delimiter = '|', value = {
      "en, fr                    | fr, en",
      "en;q=0.8, fr;q=0.8        | fr;q=0.8, en;q=0.8",
      "en                        | en;q=0.9",
      "en                        | en-gb",
  })
  void differentPreferencesKeepDifferentKeys(String one, String other) {
    assertThat(AcceptLanguageKey.of(List.of(one))).isNotEqualTo(AcceptLanguageKey.of(List.of(other)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"en;q=2", "en;q=0.1234", "en;level=1", "en_US", "toolonglanguage", "en;q=0.8;q=0.7",
      "\u212Aa", "en-", "1en", "en;q", "en; q =0.5"})
  void whatIsNotUnderstoodKeysAsItself(String value) {
    assertThat(AcceptLanguageKey.of(List.of(" " + value + " "))).isEqualTo(value);
  }

  @Test
  void theKelvinSignDoesNotPassForAK() {
    assertThat(AcceptLanguageKey.of(List.of("\u212Aa"))).isNotEqualTo(AcceptLanguageKey.of(List.of("ka")));
  }

  @Test
  void tooManyOrTooLongKeysAsItself() {
    String many = "en;q=0.5,".repeat(AcceptLanguageKey.MAX_MEMBERS) + "de";
    assertThat(AcceptLanguageKey.of(List.of(many))).isEqualTo(many);
    String longValue = "en,".repeat(AcceptLanguageKey.MAX_LENGTH) + "de";
    assertThat(AcceptLanguageKey.of(List.of(longValue))).isEqualTo(longValue);
  }

  @Test
  void aResponseVaryingOnAcceptLanguageSharesAVariantBetweenSpellings() {
    CacheRule rule = CacheRule.forPath("/*").build();
    TestRequest one = TestRequest.get("/a").header("Accept-Language", "en-US,fr;q=0.8").build();
    TestRequest other = TestRequest.get("/a").header("Accept-Language", "fr;q=0.8, EN-us").build();
    TestRequest third = TestRequest.get("/a").header("Accept-Language", "fr, en-US;q=0.8").build();
    List<String> vary = List.of("accept-language");
    assertThat(CacheKeys.secondary("P", 1, one, rule, List.of(), vary))
        .isEqualTo(CacheKeys.secondary("P", 1, other, rule, List.of(), vary))
        .isNotEqualTo(CacheKeys.secondary("P", 1, third, rule, List.of(), vary));
  }
}
