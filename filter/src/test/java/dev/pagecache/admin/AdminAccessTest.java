package dev.pagecache.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.internal.purge.AllowList;
import dev.pagecache.internal.purge.PurgeAccess;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminAccessTest {
  private static final String TOKEN = "admin-test-token_0123456789";
  private static final String OWN = "https://shop.example";
  private static final Optional<PurgeAccess> BY_TOKEN = Optional.of(new PurgeAccess(Optional.of(TOKEN), Optional.empty()));
  private static final Optional<PurgeAccess> BY_ADDRESS =
      Optional.of(new PurgeAccess(Optional.empty(), Optional.of(AllowList.of(List.of("10.0.0.0/8")))));

  private final AdminAccess access = new AdminAccess();

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static AdminAccess.Caller caller(String authorization, String origin, String fetchSite) {
    return new AdminAccess.Caller(authorization, "10.1.2.3", origin, fetchSite, OWN);
  }

  @Test
  void basicCredentialsCarryTheTokenAsThePasswordWhateverTheUserName() {
    assertThat(AdminAccess.asBearer(basic("anyone", TOKEN))).isEqualTo("Bearer " + TOKEN);
    assertThat(AdminAccess.asBearer(basic("", "a:b"))).isEqualTo("Bearer a:b");
    assertThat(AdminAccess.asBearer("bearer " + TOKEN)).isEqualTo("bearer " + TOKEN);
    assertThat(AdminAccess.asBearer(basic("user", ""))).isNull();
    assertThat(AdminAccess.asBearer("Basic %%%not-base64")).isNull();
    assertThat(AdminAccess.asBearer("Digest x")).isNull();
    assertThat(AdminAccess.asBearer(null)).isNull();
    assertThat(AdminAccess.asBearer("Basic " + "A".repeat(5000))).isNull();
  }

  @Test
  void readingNeedsTheTokenOrAnAllowedAddressAndNothingConfiguredMeansClosed() {
    assertThat(access.checkRead(BY_TOKEN, caller(basic("u", TOKEN), null, null))).isEmpty();
    assertThat(access.checkRead(BY_TOKEN, caller(null, null, null))).hasValueSatisfying(refusal -> {
      assertThat(refusal.status()).isEqualTo(401);
      assertThat(refusal.challenge()).isTrue();
    });
    assertThat(access.checkRead(BY_TOKEN, caller(basic("u", TOKEN + "x"), null, null)).orElseThrow().status())
        .isEqualTo(401);
    assertThat(access.checkRead(BY_ADDRESS, caller(null, null, null))).isEmpty();
    assertThat(access.checkRead(BY_ADDRESS, new AdminAccess.Caller(null, "192.168.0.1", null, null, OWN))
        .orElseThrow().status()).isEqualTo(403);
    assertThat(access.checkRead(Optional.empty(), caller(basic("u", TOKEN), null, null)).orElseThrow().message())
        .contains("closed", "pagecache.purge.token", "pagecache.admin.token");
  }

  @Test
  void aLinkFromAnotherSiteMayOpenThePageForItCannotReadIt() {
    assertThat(access.checkRead(BY_TOKEN, caller(basic("u", TOKEN), "https://evil.example", "cross-site"))).isEmpty();
  }

  @Test
  void aPurgeNeedsTheSameOriginAndThePagesFormToken() {
    AdminAccess.Caller sameSite = caller(basic("u", TOKEN), OWN, "same-origin");
    String formToken = access.formToken(sameSite);

    assertThat(access.checkPurge(BY_TOKEN, sameSite, () -> formToken)).isEmpty();
    assertThat(access.checkPurge(BY_TOKEN, caller(basic("u", TOKEN), OWN, null), () -> formToken)).isEmpty();
    assertThat(access.checkPurge(BY_TOKEN, caller(basic("u", TOKEN), OWN, "cross-site"), () -> formToken)
        .orElseThrow().status()).isEqualTo(403);
    assertThat(access.checkPurge(BY_TOKEN, caller(basic("u", TOKEN), OWN, "none"), () -> formToken))
        .as("typed into the address bar: no form of this page").isPresent();
    assertThat(access.checkPurge(BY_TOKEN, caller(basic("u", TOKEN), "https://evil.example", null), () -> formToken))
        .isPresent();
    assertThat(access.checkPurge(BY_TOKEN, caller(basic("u", TOKEN), null, null), () -> formToken)).isPresent();
    assertThat(access.checkPurge(BY_TOKEN, sameSite, () -> null)).isPresent();
    assertThat(access.checkPurge(BY_TOKEN, sameSite, () -> formToken + "A")).isPresent();
    assertThat(new AdminAccess().checkPurge(BY_TOKEN, sameSite, () -> formToken))
        .as("another start-up's key").isPresent();
  }

  @Test
  void theFormTokenIsNeverReadForACallerWhoMayNotPurge() {
    assertThat(access.checkPurge(BY_TOKEN, caller(null, OWN, "same-origin"), () -> {
      throw new AssertionError("the form was read");
    })).isPresent();
  }

  @Test
  void theFormTokenBelongsToTheCallersCredentials() {
    String mine = access.formToken(caller(basic("u", TOKEN), OWN, "same-origin"));
    assertThat(access.checkPurge(BY_ADDRESS, caller(null, OWN, "same-origin"), () -> mine)).isPresent();
  }
}
