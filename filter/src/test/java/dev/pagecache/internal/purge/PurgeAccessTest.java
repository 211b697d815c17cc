package dev.pagecache.internal.purge;

import static dev.pagecache.internal.purge.PurgeAccess.Verdict.ADDRESS_NOT_ALLOWED;
import static dev.pagecache.internal.purge.PurgeAccess.Verdict.CROSS_SITE;
import static dev.pagecache.internal.purge.PurgeAccess.Verdict.GRANTED;
import static dev.pagecache.internal.purge.PurgeAccess.Verdict.NO_TOKEN;
import static dev.pagecache.internal.purge.PurgeAccess.Verdict.WRONG_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PurgeAccessTest {
  static final String TOKEN = "s3cret-purge_token.0123456789~+/==";
  static final String OWN_ORIGIN = "http://www.example.com";

  private static final PurgeAccess TOKEN_ONLY = new PurgeAccess(Optional.of(TOKEN), Optional.empty());
  private static final PurgeAccess ADDRESSES_ONLY =
      new PurgeAccess(Optional.empty(), Optional.of(AllowList.of(List.of("10.0.0.0/8"))));
  private static final PurgeAccess BOTH =
      new PurgeAccess(Optional.of(TOKEN), Optional.of(AllowList.of(List.of("10.0.0.0/8"))));

  static PurgeAccess.Caller caller(String authorization, String address) {
    return new PurgeAccess.Caller(authorization, address, null, null, OWN_ORIGIN);
  }

  @Test
  void theRightBearerTokenIsGranted() {
    assertThat(TOKEN_ONLY.check(caller("Bearer " + TOKEN, "203.0.113.9"))).isEqualTo(GRANTED);
    assertThat(TOKEN_ONLY.check(caller("bearer " + TOKEN, "203.0.113.9"))).as("the scheme in any case").isEqualTo(GRANTED);
    assertThat(TOKEN_ONLY.check(caller("BEARER  " + TOKEN + " ", "203.0.113.9"))).isEqualTo(GRANTED);
  }

  @Test
  void noTokenOrAnotherSchemeIsAskedForOne() {
    assertThat(TOKEN_ONLY.check(caller(null, "203.0.113.9"))).isEqualTo(NO_TOKEN);
    assertThat(TOKEN_ONLY.check(caller("", "203.0.113.9"))).isEqualTo(NO_TOKEN);
    assertThat(TOKEN_ONLY.check(caller("Bearer ", "203.0.113.9"))).isEqualTo(NO_TOKEN);
    assertThat(TOKEN_ONLY.check(caller("Basic dXNlcjpwYXNz", "203.0.113.9"))).isEqualTo(NO_TOKEN);
    assertThat(TOKEN_ONLY.check(caller(TOKEN, "203.0.113.9"))).as("no scheme").isEqualTo(NO_TOKEN);
    assertThat(NO_TOKEN.status()).isEqualTo(401);
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3cret-purge_token.0123456789~+/=", "s3cret-purge_token.0123456789~+/===",
      "S3cret-purge_token.0123456789~+/==", "s3cret-purge_token", "x", "s3cret-purge_token.0123456789~+/==x"})
  void anyOtherTokenIsWrong(String presented) {
    assertThat(TOKEN_ONLY.check(caller("Bearer " + presented, "203.0.113.9"))).isEqualTo(WRONG_TOKEN);
    assertThat(WRONG_TOKEN.status()).isEqualTo(401);
  }

  @Test
  void anAllowListAloneLetsItsAddressesInWithoutAToken() {
    assertThat(ADDRESSES_ONLY.check(caller(null, "10.1.2.3"))).isEqualTo(GRANTED);
    assertThat(ADDRESSES_ONLY.check(caller(null, "11.1.2.3"))).isEqualTo(ADDRESS_NOT_ALLOWED);
    assertThat(ADDRESS_NOT_ALLOWED.status()).isEqualTo(403);
  }

  @Test
  void withBothBothMustPassAndTheAddressIsCheckedFirst() {
    assertThat(BOTH.check(caller("Bearer " + TOKEN, "10.1.2.3"))).isEqualTo(GRANTED);
    assertThat(BOTH.check(caller("Bearer wrong-token-wrong-token", "10.1.2.3"))).isEqualTo(WRONG_TOKEN);
    assertThat(BOTH.check(caller("Bearer " + TOKEN, "11.1.2.3"))).isEqualTo(ADDRESS_NOT_ALLOWED);
    assertThat(BOTH.check(caller("Bearer wrong-token-wrong-token", "11.1.2.3")))
        .as("an outsider cannot probe tokens").isEqualTo(ADDRESS_NOT_ALLOWED);
  }

  @Test
  void aBrowserRequestFromAnotherSiteIsRefusedEvenFromAnAllowedAddress() {
    assertThat(ADDRESSES_ONLY.check(new PurgeAccess.Caller(null, "10.1.2.3", "https://evil.test", "cross-site", OWN_ORIGIN)))
        .isEqualTo(CROSS_SITE);
    assertThat(ADDRESSES_ONLY.check(new PurgeAccess.Caller(null, "10.1.2.3", null, "same-site", OWN_ORIGIN)))
        .isEqualTo(CROSS_SITE);
    assertThat(ADDRESSES_ONLY.check(new PurgeAccess.Caller(null, "10.1.2.3", "https://evil.test", null, OWN_ORIGIN)))
        .as("a browser without Fetch Metadata").isEqualTo(CROSS_SITE);
    assertThat(ADDRESSES_ONLY.check(new PurgeAccess.Caller(null, "10.1.2.3", "null", null, OWN_ORIGIN)))
        .as("a sandboxed page").isEqualTo(CROSS_SITE);
    assertThat(CROSS_SITE.status()).isEqualTo(403);
  }

  @Test
  void aBrowserRequestFromTheSameOriginIsNotCrossSite() {
    assertThat(ADDRESSES_ONLY.check(new PurgeAccess.Caller(null, "10.1.2.3", OWN_ORIGIN, "same-origin", OWN_ORIGIN)))
        .isEqualTo(GRANTED);
    assertThat(ADDRESSES_ONLY.check(new PurgeAccess.Caller(null, "10.1.2.3", null, "none", OWN_ORIGIN)))
        .as("typed into the address bar").isEqualTo(GRANTED);
    assertThat(ADDRESSES_ONLY.check(new PurgeAccess.Caller(null, "10.1.2.3", "HTTP://WWW.example.com", null, OWN_ORIGIN)))
        .isEqualTo(GRANTED);
  }

  @Test
  void aTokenMustBeLongAndABearerToken() {
    assertThatThrownBy(() -> PurgeAccess.checkToken("token", ""))
        .hasMessage("token is empty: give a random token of at least 16 characters, or leave it out");
    assertThatThrownBy(() -> PurgeAccess.checkToken("token", "fifteen-chars-x"))
        .hasMessageStartingWith("token is shorter than 16 characters");
    assertThatThrownBy(() -> PurgeAccess.checkToken("token", "sixteen chars xyz"))
        .hasMessage("token may hold only letters, digits and - . _ ~ + / (then = at the end), as a bearer token must");
    assertThatThrownBy(() -> PurgeAccess.checkToken("token", "================"))
        .hasMessageContaining("may hold only");
    assertThatThrownBy(() -> PurgeAccess.checkToken("token", "x".repeat(1025))).hasMessageContaining("longer than 1024");
    PurgeAccess.checkToken("token", "0123456789abcdef");
  }

  @Test
  void messagesAndDescriptionsNeverHoldTheToken() {
    assertThat(TOKEN_ONLY.toString()).doesNotContain(TOKEN).isEqualTo("bearer token, from any address");
    assertThat(BOTH.toString()).isEqualTo("bearer token, from 10.0.0.0/8");
    assertThat(caller("Bearer " + TOKEN, "10.1.2.3").toString()).doesNotContain(TOKEN);
    for (PurgeAccess.Verdict verdict : PurgeAccess.Verdict.values()) {
      assertThat(verdict.message()).doesNotContain(TOKEN);
    }
    String shortToken = "short-token";
    assertThatThrownBy(() -> PurgeAccess.checkToken("token", shortToken)).message().doesNotContain(shortToken);
    String spaced = "a token with spaces in it";
    assertThatThrownBy(() -> PurgeAccess.checkToken("token", spaced)).message().doesNotContain(spaced);
  }

  @Test
  void withNeitherATokenNorAnAllowListThereIsNoEndpoint() {
    assertThatThrownBy(() -> new PurgeAccess(Optional.empty(), Optional.empty()))
        .hasMessageContaining("needs a token, an allow-list of addresses, or both");
  }
}
