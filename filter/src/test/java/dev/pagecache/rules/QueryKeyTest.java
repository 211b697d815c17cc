package dev.pagecache.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QueryKeyTest {

  static Stream<Arguments> inclusion() {
    return Stream.of(
        arguments(QueryKey.all(), "page", true),
        arguments(QueryKey.all(), "utm_source", true),
        arguments(QueryKey.none(), "page", false),
        arguments(QueryKey.only(Set.of("page", "sort")), "page", true),
        arguments(QueryKey.only(Set.of("page", "sort")), "utm_source", false),
        arguments(QueryKey.allExcept(Set.of("utm_source")), "page", true),
        arguments(QueryKey.allExcept(Set.of("utm_source")), "utm_source", false),
        arguments(QueryKey.only(Set.of("page")), "Page", false));
  }

  @ParameterizedTest(name = "{0} includes {1}: {2}")
  @MethodSource("inclusion")
  void includesTheParametersItsModeSelects(QueryKey key, String name, boolean included) {
    assertThat(key.includes(name)).isEqualTo(included);
  }

  @Test
  void namesAreCopiedIn() {
    Set<String> names = new HashSet<>(Set.of("page"));
    QueryKey key = QueryKey.only(names);

    names.add("sort");

    assertThat(key.includes("sort")).isFalse();
    assertThat(key.names()).containsExactly("page");
  }

  @Test
  void describesItself() {
    assertThat(QueryKey.all()).hasToString("all");
    assertThat(QueryKey.none()).hasToString("none");
    assertThat(QueryKey.only(Set.of("page"))).hasToString("only [page]");
    assertThat(QueryKey.allExcept(Set.of("utm"))).hasToString("all except [utm]");
  }

  @Test
  void equalWhenModeAndNamesAreEqual() {
    assertThat(QueryKey.only(Set.of("a", "b"))).isEqualTo(QueryKey.only(Set.of("b", "a")));
    assertThat(QueryKey.only(Set.of("a"))).isNotEqualTo(QueryKey.allExcept(Set.of("a")));
    assertThat(QueryKey.all()).isEqualTo(new QueryKey(QueryKey.Mode.ALL, Set.of()));
  }
}
