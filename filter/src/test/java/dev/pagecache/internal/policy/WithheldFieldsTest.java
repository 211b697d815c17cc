package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.rules.CacheRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class WithheldFieldsTest {

  @Test
  void byDefaultTheTagFieldsAndPagecacheControl() {
    java.util.Set<String> withheld = WithheldFields.of(CacheRule.forPath("/*").build());
    assertThat(withheld).containsExactlyInAnyOrder("Surrogate-Key", "Cache-Tag", "Pagecache-Control");
    assertThat(withheld.contains("pagecache-control")).as("names compare ignoring case").isTrue();
    assertThat(withheld.contains("CDN-Cache-Control")).isFalse();
  }

  @Test
  void whatTheRuleKeepsOrPassesReachesTheClient() {
    CacheRule keepsTags = CacheRule.forPath("/*").keepTagHeaders(true).build();
    assertThat(WithheldFields.of(keepsTags)).containsExactly("Pagecache-Control");
    CacheRule passesAll = CacheRule.forPath("/*")
        .passedTargetedFields(List.of("pagecache-control", "CDN-Cache-Control")).build();
    assertThat(WithheldFields.of(passesAll)).containsExactlyInAnyOrder("Surrogate-Key", "Cache-Tag");
    CacheRule own = CacheRule.forPath("/*").targetedFields(List.of("Acme-Control", "CDN-Cache-Control")).build();
    assertThat(WithheldFields.of(own)).containsExactlyInAnyOrder("Surrogate-Key", "Cache-Tag", "Acme-Control");
  }
}
