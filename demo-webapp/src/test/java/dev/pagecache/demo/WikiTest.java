package dev.pagecache.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WikiTest {
  static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

  Wiki wiki = new Wiki(Records.inMemory(Wiki.MAX_PAGES + 1), InstantSource.fixed(NOW));

  @Test
  void aNewWikiHoldsItsSeedPages() {
    assertThat(wiki.names()).containsExactly("Home", "Caching", "CacheStatus", "Sandbox");
    assertThat(wiki.page("Home")).hasValueSatisfying(home -> assertThat(home.number()).isEqualTo(1));
    assertThat(wiki.page("Nope")).isEmpty();
  }

  @Test
  void anEditCountsRevisionsAndANewPageStartsAtOne() {
    Optional<Wiki.Revision> sandbox = wiki.edit("Sandbox", "Changed\r\nlines\r");
    Optional<Wiki.Revision> created = wiki.edit("Fresh", "New");

    assertThat(sandbox).contains(new Wiki.Revision("Changed\nlines", 2, NOW));
    assertThat(created).contains(new Wiki.Revision("New", 1, NOW));
    assertThat(wiki.names()).endsWith("Fresh");
    assertThat(wiki.pages(wiki.names())).containsKeys("Home", "Sandbox", "Fresh").hasSize(5);
  }

  @Test
  void aFullWikiRefusesNewPagesButTakesEditsOfItsOwn() {
    for (int i = wiki.names().size(); i < Wiki.MAX_PAGES; i++) {
      assertThat(wiki.edit("Page" + i, "text")).isPresent();
    }

    assertThat(wiki.edit("OneTooMany", "text")).isEmpty();
    assertThat(wiki.page("OneTooMany")).isEmpty();
    assertThat(wiki.edit("Home", "still editable")).hasValueSatisfying(home -> assertThat(home.number()).isEqualTo(2));
    assertThat(wiki.names()).hasSize(Wiki.MAX_PAGES);
  }

  @Test
  void theIndexHasRoomForTheRulesTagAndOneTagForEachPage() {
    assertThat(Wiki.MAX_PAGES + 1).isLessThanOrEqualTo(dev.pagecache.rules.TagTemplate.MAX_TAGS_PER_PAGE);
  }

  @Test
  void aRecordWrittenElsewhereIsAPageOnlyWhenWellFormed() {
    assertThat(Wiki.decode(Wiki.encode(new Wiki.Revision("text\nmore", 3, NOW))))
        .contains(new Wiki.Revision("text\nmore", 3, NOW));
    assertThat(Wiki.decode("just text")).isEmpty();
    assertThat(Wiki.decode("0\n1\ntext")).isEmpty();
    assertThat(Wiki.decode("x\n1\ntext")).isEmpty();
    assertThat(Wiki.decode("1\n1\n" + "x".repeat(Wiki.MAX_TEXT + 1))).isEmpty();
    assertThat(Wiki.decodeNames("Home\n../etc\nHome\n\n<b>\nOther")).containsExactly("Home", "Other");
  }
}
