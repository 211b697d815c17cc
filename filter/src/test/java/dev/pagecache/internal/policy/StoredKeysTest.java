package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StoredKeysTest {
  private static final String PRIMARY = "http://example.com:80/wiki/Home";

  @Test
  void aPrimaryKeyIsTheUrlItselfWithNoVariant() {
    StoredKeys.Parsed parsed = StoredKeys.parse(PRIMARY, List.of("*", "u:" + PRIMARY));

    assertThat(parsed).isEqualTo(new StoredKeys.Parsed(PRIMARY, OptionalLong.empty(), ""));
    assertThat(parsed.isVariant()).isFalse();
  }

  @Test
  void aSecondaryKeyNamesItsUrlGenerationAndEveryKeyedValueInWords() {
    String key = StoredKeys.variantPrefix(PRIMARY, 0xabcdefL)
        + "\ns:x-pagecache-device=mobile\nh:x-theme=dark\nc:lang=fr\nc:missing\nv:accept-language=fr\nv:x-absent";

    StoredKeys.Parsed parsed = StoredKeys.parse(key, List.of("*", "u:" + PRIMARY));

    assertThat(parsed.primaryKey()).isEqualTo(PRIMARY);
    assertThat(parsed.generation()).hasValue(0xabcdefL);
    assertThat(parsed.variant()).isEqualTo("x-pagecache-device: mobile; x-theme: dark; cookie lang=" + digest("fr")
        + "; cookie missing (none); accept-language: fr; x-absent: (none)");
  }

  /** Whoever may look at the admin page may purge; they must not read a session id or a password off it. */
  @Test
  void cookieValuesAndCredentialHeadersAreShownAsDigestsThatStillTellVariantsApart() {
    String prefix = StoredKeys.variantPrefix(PRIMARY, 1);
    String alice = StoredKeys.parse(prefix + "\nc:JSESSIONID=node0abc123secret\nh:authorization=Basic YWxpY2U6cHc=",
        List.of()).variant();
    String bob = StoredKeys.parse(prefix + "\nc:JSESSIONID=node0xyz789secret\nh:Authorization=Basic Ym9iOnB3",
        List.of()).variant();

    assertThat(alice).doesNotContain("node0abc123secret", "YWxpY2U6cHc=")
        .isEqualTo("cookie JSESSIONID=" + digest("node0abc123secret") + "; authorization: " + digest("Basic YWxpY2U6cHc="));
    assertThat(bob).doesNotContain("node0xyz789secret", "Ym9iOnB3").isNotEqualTo(alice);
  }

  private static String digest(String value) {
    try {
      byte[] sha = java.security.MessageDigest.getInstance("SHA-256")
          .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "#" + java.util.HexFormat.of().formatHex(sha, 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theUrlGroupSettlesWhereAUrlWithAHashEnds() {
    String primary = "http://example.com:80/odd#beef";
    StoredKeys.Parsed plain = StoredKeys.parse(primary, List.of("u:" + primary));
    StoredKeys.Parsed variant = StoredKeys.parse(StoredKeys.variantPrefix(primary, -1L) + "\nv:accept-language=en",
        List.of("u:" + primary));

    assertThat(plain.primaryKey()).isEqualTo(primary);
    assertThat(plain.isVariant()).isFalse();
    assertThat(variant.primaryKey()).isEqualTo(primary);
    assertThat(variant.generation()).hasValue(-1L);
  }

  @Test
  void withoutAUrlGroupTheKeyIsReadByItsShape() {
    StoredKeys.Parsed parsed = StoredKeys.parse(PRIMARY + "#1f\nv:accept-encoding=gzip", List.of());

    assertThat(parsed.primaryKey()).isEqualTo(PRIMARY);
    assertThat(parsed.variant()).isEqualTo("accept-encoding: gzip");
    assertThat(StoredKeys.parse(PRIMARY + "?q=1", List.of()).isVariant()).isFalse();
  }

  @Test
  void theKeysCacheKeysBuildsAreReadBack() {
    dev.pagecache.rules.CacheRule rule = dev.pagecache.rules.RulesFileParser
        .parse("rules = [ { path = \"/p\", keyHeaders = [X-Theme] } ]", "test").rules().get(0);
    TestRequest request = TestRequest.get("/p").header("X-Theme", "<b>&\"dark\"").build();
    String primary = CacheKeys.primary(request, rule);
    String secondary = CacheKeys.secondary(primary, 42, request, rule, List.of(), List.of("accept-language"));

    StoredKeys.Parsed parsed = StoredKeys.parse(secondary, List.of("u:" + primary));

    assertThat(parsed.primaryKey()).isEqualTo(primary);
    assertThat(parsed.generation()).hasValue(42);
    assertThat(parsed.variant()).isEqualTo("x-theme: <b>&\"dark\"; accept-language: (none)");
  }
}
