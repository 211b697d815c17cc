package dev.pagecache.internal.purge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PurgeGroupsTest {
  private static final String SITE = "http://example.com:80";

  @Test
  void aPageIsInEverythingItsUrlEachWholeSegmentPrefixAndItsTags() {
    assertThat(PurgeGroups.of(SITE, "/wiki/a/b", SITE + "/wiki/a/b?x=1", List.of("wiki", "user:42")))
        .containsExactly("*", "u:" + SITE + "/wiki/a/b?x=1", "p:" + SITE + "/", "p:" + SITE + "/wiki",
            "p:" + SITE + "/wiki/a", "p:" + SITE + "/wiki/a/b", "t:wiki", "t:user:42");
  }

  @Test
  void aPrefixNamesWholeSegmentsWithOrWithoutItsTrailingSlash() {
    assertThat(PurgeGroups.prefix(SITE, "/wiki/")).isEqualTo(PurgeGroups.prefix(SITE, "/wiki")).isEqualTo("p:" + SITE + "/wiki");
    assertThat(PurgeGroups.prefix(SITE, "/")).isEqualTo("p:" + SITE + "/");
    assertThat(PurgeGroups.prefix(SITE, "")).isEqualTo("p:" + SITE + "/");
    assertThat(PurgeGroups.of(SITE, "/wikis", SITE + "/wikis", List.of())).doesNotContain(PurgeGroups.prefix(SITE, "/wiki"));
  }

  @Test
  void aTrailingSlashPageIsUnderItsDirectory() {
    assertThat(PurgeGroups.of(SITE, "/wiki/", SITE + "/wiki/", List.of())).contains(PurgeGroups.prefix(SITE, "/wiki"));
  }

  @Test
  void deepPathsHaveAtMostTheMaximumPrefixes() {
    String deep = "/a".repeat(100);
    List<String> groups = PurgeGroups.of(SITE, deep, SITE + deep, List.of());
    assertThat(groups.stream().filter(g -> g.startsWith("p:"))).hasSize(PurgeGroups.MAX_PREFIX_DEPTH + 1);
  }

  @Test
  void aTagAndAUrlNeverShareAGroup() {
    assertThat(PurgeGroups.tag("u:" + SITE + "/x")).isNotEqualTo(PurgeGroups.url(SITE + "/x"));
  }

  @Test
  void aPrefixDeeperThanPagesKeepPurgesItsFirstSegmentsMoreNotLess() {
    String deep = "/a".repeat(20);
    String sixteen = "/a".repeat(PurgeGroups.MAX_PREFIX_DEPTH);
    assertThat(PurgeGroups.prefix(SITE, deep)).isEqualTo(PurgeGroups.prefix(SITE, sixteen));
    assertThat(PurgeGroups.of(SITE, deep, SITE + deep, List.of())).contains(PurgeGroups.prefix(SITE, deep));
  }
}
