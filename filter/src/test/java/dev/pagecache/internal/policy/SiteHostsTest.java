package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SiteHostsTest {
  private static final SiteHosts HOSTS = SiteHosts.of(List.of("www.example.com", "*.example.org", "127.0.0.1", "[::1]"));

  @Test
  void listedNamesAndSubdomainsOfAWildcardAreAllowed() {
    assertThat(HOSTS.allows("www.example.com")).isTrue();
    assertThat(HOSTS.allows("a.example.org")).isTrue();
    assertThat(HOSTS.allows("a.b.example.org")).isTrue();
    assertThat(HOSTS.allows("127.0.0.1")).isTrue();
    assertThat(HOSTS.allows("[::1]")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"evil.test", "example.com", "example.org", "www.example.com.evil.test", "evilexample.org",
      "wwwexample.com", ""})
  void everyOtherHostIsNot(String host) {
    assertThat(HOSTS.allows(host)).isFalse();
  }

  @Test
  void withoutAListEveryHostIsAllowed() {
    assertThat(SiteHosts.any().allows("evil.test")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://www.example.com", "www.example.com:8080", "www.example.com/path", "*", "a b", ""})
  void anEntryThatIsNotAHostNameIsRefused(String entry) {
    assertThatThrownBy(() -> SiteHosts.of(List.of(entry))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a host name");
  }
}
