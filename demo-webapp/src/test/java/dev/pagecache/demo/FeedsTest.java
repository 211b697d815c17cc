package dev.pagecache.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FeedsTest {

  @ParameterizedTest
  @ValueSource(strings = {"https://example.com/feed.xml", "http://example.com", "HTTPS://Example.com/a?b=1&c='2'#top",
      "http://127.0.0.1:8080/rss"})
  void httpAndHttpsUrlsAreFeeds(String url) {
    assertThat(Feeds.feedUrl(url)).contains(url);
  }

  @Test
  void spacesAroundAUrlAreNotPartOfIt() {
    assertThat(Feeds.feedUrl("  https://example.com/feed  ")).contains("https://example.com/feed");
  }

  static Stream<String> notFeeds() {
    return Stream.of(null, "", "   ", "example.com/feed", "/feed.xml", "javascript:alert(1)", "ftp://example.com/feed",
        "data:text/html,<b>", "https://", "https:///path", "https://user:secret@example.com/feed",
        "https://example.com/a b", "https://example.com/<script>", "https://example.com/\"x\"",
        "https://exämple.com/", "https://example.com/\u202Egnp.exe", "https://example.com/\nSet-Cookie: x=1",
        "https://example.com/" + "a".repeat(Feeds.MAX_URL_LENGTH - "https://example.com/".length() + 1));
  }

  @ParameterizedTest
  @MethodSource("notFeeds")
  void otherTextIsNoFeed(String text) {
    assertThat(Feeds.feedUrl(text)).isEmpty();
  }

  @Test
  void aUrlOfTheLongestLengthIsAFeed() {
    String url = "https://example.com/" + "a".repeat(Feeds.MAX_URL_LENGTH - "https://example.com/".length());

    assertThat(Feeds.feedUrl(url)).contains(url);
  }

  @Test
  void feedsAreNewestFirstAndARepeatedOneMovesToTheFront() {
    Feeds feeds = new Feeds(Records.inMemory(10));
    feeds.add("alice", "https://a.example/1");
    feeds.add("alice", "https://a.example/2");
    feeds.add("alice", "https://a.example/1");

    assertThat(feeds.of("alice")).containsExactly("https://a.example/1", "https://a.example/2");
    assertThat(feeds.of("bob")).isEmpty();
  }

  @Test
  void aUserKeepsTheNewestTwentyFeeds() {
    Feeds feeds = new Feeds(Records.inMemory(10));
    List<String> added = new ArrayList<>();
    for (int i = 1; i <= Feeds.MAX_PER_USER + 5; i++) {
      added.add(0, "https://a.example/" + i);
      feeds.add("alice", added.get(0));
    }

    assertThat(feeds.of("alice")).hasSize(Feeds.MAX_PER_USER).containsExactlyElementsOf(added.subList(0, Feeds.MAX_PER_USER));
  }

  @Test
  void aRecordWrittenElsewhereIsReadOnlyForItsValidFeedsAtMostTwenty() {
    StringBuilder record = new StringBuilder("javascript:alert(1)\nhttps://ok.example/a\n\nhttps://ok.example/a\n");
    for (int i = 0; i < 30; i++) {
      record.append("https://ok.example/n").append(i).append('\n');
    }

    List<String> feeds = Feeds.decode(record.toString());

    assertThat(feeds).hasSize(Feeds.MAX_PER_USER).startsWith("https://ok.example/a", "https://ok.example/n0")
        .allMatch(feed -> feed.startsWith("https://ok.example/"));
  }
}
