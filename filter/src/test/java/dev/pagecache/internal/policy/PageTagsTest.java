package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.internal.http.Headers;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.QueryKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PageTagsTest {
  private static final CacheRule NO_TAGS = CacheRule.forPath("/*").build();

  private static CacheRule tagging(String... templates) {
    return CacheRule.forPath("/*").keyCookies(List.of("user", "theme")).tags(List.of(templates)).build();
  }

  private static Headers headers(String... namesAndValues) {
    Headers.Builder headers = Headers.builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers.build();
  }

  private static List<String> tags(TestRequest.Builder request, CacheRule rule, Headers response) {
    return PageTags.of(request.build(), rule, response);
  }

  // ---- from the response ----

  @Test
  void surrogateKeyMembersAreSeparatedBySpacesAndSeveralFieldsAddUp() {
    List<String> tags = tags(TestRequest.get("/"), NO_TAGS,
        headers("Surrogate-Key", "article-1  user-7", "surrogate-key", " front\tpage "));

    assertThat(tags).containsExactly("article-1", "user-7", "front", "page");
  }

  @Test
  void cacheTagMembersAreSeparatedByCommasAndTrimmed() {
    List<String> tags = tags(TestRequest.get("/"), NO_TAGS, headers("Cache-Tag", " a , b,,c ", "Cache-Tag", "d"));

    assertThat(tags).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aCacheTagMemberWithASpaceInsideIsDropped() {
    List<String> tags = tags(TestRequest.get("/"), NO_TAGS, headers("Cache-Tag", "two words, one"));

    assertThat(tags).containsExactly("one");
  }

  @Test
  void aResponseWithoutTagFieldsAndARuleWithoutTagsGiveNoTags() {
    assertThat(tags(TestRequest.get("/"), NO_TAGS, headers("Cache-Control", "max-age=60"))).isEmpty();
  }

  // ---- from the rule ----

  @Test
  void ruleTagsComeFirstAndEveryTagIsKeptOnce() {
    List<String> tags = tags(TestRequest.get("/wiki/Home").cookie("user", "alice"), tagging("wiki", "user:{cookie.user}"),
        headers("Surrogate-Key", "page-9 wiki", "Cache-Tag", "page-9,user:alice,other"));

    assertThat(tags).containsExactly("wiki", "user:alice", "page-9", "other");
  }

  @Test
  void pathPlaceholdersTakeDecodedSegmentsCountedFromOne() {
    TestRequest.Builder request = TestRequest.get("/wiki/Caf\u00e9").rawPath("/wiki/Caf%C3%A9");

    assertThat(tags(request, tagging("{path.1}", "page:{path.2}"), Headers.empty()))
        .containsExactly("wiki", "page:Caf\u00e9");
  }

  @Test
  void queryPlaceholdersTakeTheFirstValueDecodedAndMatchTheNameDecoded() {
    TestRequest.Builder request = TestRequest.get("/search?p%61ge=2&page=3&q=a%2Fb+c&cat=x%2Dy");

    assertThat(tags(request, tagging("page:{query.page}", "cat:{query.cat}"), Headers.empty()))
        .containsExactly("page:2", "cat:x-y");
  }

  @Test
  void cookiePlaceholdersTakeTheCookieValue() {
    TestRequest.Builder request = TestRequest.get("/").cookie("user", "alice").cookie("theme", "dark");

    assertThat(tags(request, tagging("{cookie.user}-{cookie.theme}"), Headers.empty())).containsExactly("alice-dark");
  }

  @Test
  void aTemplateWhosePlaceholderHasNoValueGivesNoTag() {
    CacheRule rule = tagging("constant", "user:{cookie.user}", "page:{query.page}", "third:{path.3}", "second:{path.2}");

    assertThat(tags(TestRequest.get("/wiki/"), rule, Headers.empty()))
        .as("no cookie, no query, no third segment, an empty second one").containsExactly("constant");
    assertThat(tags(TestRequest.get("/wiki/?page=").cookie("user", ""), rule, Headers.empty()))
        .as("an empty cookie, an empty parameter").containsExactly("constant");
    assertThat(tags(TestRequest.get("/wiki//x?page"), rule, Headers.empty()))
        .as("a parameter without '=', an empty segment").containsExactly("constant", "third:x");
    assertThat(tags(TestRequest.get("/wiki/x?page=%zz"), rule, Headers.empty()))
        .as("a value that is not percent-encoding").containsExactly("constant", "second:x");
  }

  // ---- bounds ----

  @Test
  void aTagWithASpaceOrAControlCharacterIsDropped() {
    CacheRule rule = tagging("user:{cookie.user}", "page:{query.page}", "p:{path.1}");
    for (String hostile : List.of("a b", "a\tb", "a\nb", "a\u0000b", "a\u007fb", "a\u0085b", "a\u00a0b", "a\u2028b")) {
      TestRequest.Builder request = TestRequest.get("/x?page=" + java.net.URLEncoder.encode(hostile,
          java.nio.charset.StandardCharsets.UTF_8)).cookie("user", hostile);

      assertThat(tags(request, rule, headers("Surrogate-Key", hostile.replace(' ', '_') + "-s", "Cache-Tag", hostile)))
          .as("%s", hostile.chars().mapToObj(c -> Integer.toHexString(c)).toList())
          .allSatisfy(tag -> assertThat(tag).doesNotContain(hostile))
          .contains("p:x");
    }
  }

  @Test
  void aTagOfMoreThan256CharactersIsDropped() {
    String longest = "t".repeat(256);
    String tooLong = "t".repeat(257);
    CacheRule rule = tagging("{cookie.user}", "{cookie.theme}");
    TestRequest.Builder request = TestRequest.get("/").cookie("user", longest).cookie("theme", tooLong);

    assertThat(tags(request, rule, headers("Surrogate-Key", "s" + tooLong + " short", "Cache-Tag", "c" + tooLong)))
        .containsExactly(longest, "short");
  }

  @Test
  void aPageKeepsAtMost64TagsAndRuleTagsAreNotPushedOut() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add("key-" + i);
    }
    List<String> tags = tags(TestRequest.get("/"), tagging("wiki"),
        headers("Surrogate-Key", String.join(" ", many), "Cache-Tag", "late"));

    assertThat(tags).hasSize(64).startsWith("wiki", "key-0").endsWith("key-62").doesNotContain("late");
  }

  @Test
  void droppedAndRepeatedTagsDoNotCountAgainstTheLimit() {
    StringBuilder field = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      field.append("same ").append("x".repeat(300)).append(' ');
    }
    field.append("last");

    assertThat(tags(TestRequest.get("/"), NO_TAGS, headers("Surrogate-Key", field.toString())))
        .containsExactly("same", "last");
  }

  // ---- which fields stay with the cache ----

  @Test
  void tagFieldsAreWithheldFromClientsUnlessTheRuleKeepsThem() {
    Set<String> withheld = PageTags.withheldHeaders(NO_TAGS);

    assertThat(withheld.contains("surrogate-key")).isTrue();
    assertThat(withheld.contains("CACHE-TAG")).isTrue();
    assertThat(withheld.contains("Surrogate-Control")).as("not a tag field").isFalse();
    assertThat(PageTags.withheldHeaders(CacheRule.forPath("/*").keepTagHeaders(true).build())).isEmpty();
  }

  @Test
  void aRuleThatKeysQueryParametersInPartTagsOnlyByThoseItKeys() {
    CacheRule rule = CacheRule.forPath("/*").query(QueryKey.only(Set.of("page"))).tags(List.of("p{query.page}")).build();

    assertThat(tags(TestRequest.get("/?utm=1&page=4"), rule, Headers.empty())).containsExactly("p4");
  }
}
