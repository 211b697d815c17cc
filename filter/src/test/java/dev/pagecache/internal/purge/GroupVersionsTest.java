package dev.pagecache.internal.purge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.internal.purge.GroupVersions.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupVersionsTest {
  private final List<String> unknown = new ArrayList<>();

  @Test
  void aPageIsPurgedByAPurgeOfAnyOfItsGroupsNumberedAfterItsRenderBegan() {
    GroupVersions versions = new GroupVersions(100);
    versions.record("t:wiki", 5);

    assertThat(versions.check(4, List.of("*", "t:wiki"), unknown)).isEqualTo(Verdict.PURGED);
    assertThat(versions.check(5, List.of("*", "t:wiki"), unknown)).as("began after purge 5 was known").isEqualTo(Verdict.CURRENT);
    assertThat(versions.check(4, List.of("*", "t:other"), unknown)).isEqualTo(Verdict.CURRENT);
    assertThat(unknown).isEmpty();
  }

  @Test
  void aLaterPurgeOfAGroupNeverLowersItsNumber() {
    GroupVersions versions = new GroupVersions(100);
    versions.record("t:a", 9);
    versions.record("t:a", 3); // read late from the log

    assertThat(versions.check(5, List.of("t:a"), unknown)).isEqualTo(Verdict.PURGED);
  }

  @Test
  void forgettingAGroupRaisesTheHorizonSoOlderPagesAreLookedUpNotTrusted() {
    GroupVersions versions = new GroupVersions(1);
    versions.record("t:a", 7);
    versions.record("t:b", 8);
    versions.record("t:c", 9);
    forceEviction(versions);

    assertThat(versions.horizon()).isGreaterThanOrEqualTo(7);
    Verdict verdict = versions.check(2, List.of("t:a", "t:b", "t:c", "t:never"), unknown);
    assertThat(verdict).isIn(Verdict.UNKNOWN, Verdict.PURGED);
    assertThat(versions.check(100, List.of("t:a", "t:never"), new ArrayList<>())).isEqualTo(Verdict.CURRENT);
  }

  @Test
  void groupsLookedUpDecideAnUnknownPage() {
    GroupVersions versions = new GroupVersions(100);
    versions.reset(50);

    assertThat(versions.check(40, List.of("*", "t:a"), unknown)).isEqualTo(Verdict.UNKNOWN);
    assertThat(unknown).containsExactly("*", "t:a");
    versions.recordFetched(Map.of("*", 10L, "t:a", 30L));
    assertThat(versions.check(40, List.of("*", "t:a"), new ArrayList<>())).isEqualTo(Verdict.CURRENT);
    versions.recordFetched(Map.of("t:a", 45L));
    assertThat(versions.check(40, List.of("*", "t:a"), new ArrayList<>())).isEqualTo(Verdict.PURGED);
  }

  @Test
  void aPendingPurgeStopsEveryPageOfItsGroupUntilSettled() {
    GroupVersions versions = new GroupVersions(100);
    versions.recordPending("t:a");
    assertThat(versions.check(1_000_000, List.of("t:a"), unknown)).isEqualTo(Verdict.PURGED);

    versions.settle("t:a", 20);
    assertThat(versions.check(19, List.of("t:a"), unknown)).isEqualTo(Verdict.PURGED);
    assertThat(versions.check(20, List.of("t:a"), unknown)).isEqualTo(Verdict.CURRENT);
  }

  private static void forceEviction(GroupVersions versions) {
    // Caffeine evicts on maintenance; a few reads and writes give it the chance.
    for (int i = 0; i < 50 && versions.groupsKnown() > 1; i++) {
      versions.check(0, List.of("t:c"), new ArrayList<>());
      versions.record("t:c", 9);
    }
  }
}
