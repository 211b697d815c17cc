package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.rules.CacheRule;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SteeringHeadersTest {
  private static final CacheRule RULE = CacheRule.forPath("/*").build();

  @Test
  void aPlainRequestHasNoSteeringKey() {
    assertThat(SteeringHeaders.keyed(TestRequest.get("/").header("Accept", "text/html").build(), RULE)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-Forwarded-Host", "X-Forwarded-Scheme", "X-Forwarded-Proto", "X-Forwarded-Port",
      "X-Forwarded-Prefix", "X-Host", "X-Original-URL", "X-Rewrite-URL", "X-HTTP-Method-Override", "X-HTTP-Method",
      "X-Method-Override", "x-forwarded-host"})
  void eachSteeringHeaderKeysItsValue(String name) {
    List<String> evil = SteeringHeaders.keyed(TestRequest.get("/").header(name, "evil.test").build(), RULE);
    List<String> other = SteeringHeaders.keyed(TestRequest.get("/").header(name, "other.test").build(), RULE);

    assertThat(evil).hasSize(1).isNotEqualTo(other);
  }

  @Test
  void trustedAndIgnoredHeadersStayOutOfTheKey() {
    TestRequest request = TestRequest.get("/").header("X-Forwarded-Proto", "https").header("X-Original-URL", "/admin")
        .header("X-Forwarded-Host", "evil.test").build();
    CacheRule rule = CacheRule.forPath("/*").trustedHeaders(List.of("X-Forwarded-Proto"))
        .ignoredHeaders(List.of("x-original-url")).build();

    assertThat(SteeringHeaders.keyed(request, rule)).containsExactly("x-forwarded-host=evil.test");
  }

  @Test
  void forwardedIsKeyedByWhatSteersNotByTheClientsAddress() {
    TestRequest one = TestRequest.get("/").header("Forwarded", "for=192.0.2.60;proto=https;host=www.example.com").build();
    TestRequest another = TestRequest.get("/").header("Forwarded", "for=\"[2001:db8::1]\";host=www.example.com;proto=https").build();
    TestRequest evil = TestRequest.get("/").header("Forwarded", "for=192.0.2.60;proto=https;host=evil.test").build();
    TestRequest addressesOnly = TestRequest.get("/").header("Forwarded", "for=192.0.2.60, for=198.51.100.17").build();

    assertThat(SteeringHeaders.keyed(one, RULE)).containsExactly("forwarded=proto=https;host=www.example.com");
    assertThat(SteeringHeaders.keyed(another, RULE)).containsExactly("forwarded=host=www.example.com;proto=https");
    assertThat(SteeringHeaders.keyed(evil, RULE)).isNotEqualTo(SteeringHeaders.keyed(one, RULE));
    assertThat(SteeringHeaders.keyed(addressesOnly, RULE)).isEmpty();
  }

  @Test
  void theSecondaryKeyHoldsTheSteeringValues() {
    TestRequest request = TestRequest.get("/").build();

    assertThat(CacheKeys.secondary("P", 1, request, RULE, List.of("x-forwarded-host=evil.test"), List.of()))
        .isEqualTo("P#1\ns:x-forwarded-host=evil.test");
  }
}
