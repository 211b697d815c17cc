package dev.pagecache.internal.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PurgeSettingsTest {

  @ParameterizedTest
  @ValueSource(strings = {"/pagecache/purge", "/purge", "/admin/cache-purge", "/_purge", "/a.b/c"})
  void aPlainPathIsAccepted(String path) {
    PurgeSettings.checkPath("path", path);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/", "purge", "/purge?x=1", "/purge/*", "/p%75rge", "/a//b", "/a/../b", "/a/./b", "/a/..",
      "/purge/", "/pur ge", "http://example.com/purge"})
  void anythingElseIsRefusedWithTheName(String path) {
    assertThatThrownBy(() -> PurgeSettings.checkPath("pagecache.purge.path", path))
        .hasMessage("pagecache.purge.path must be a plain path inside the application such as /pagecache/purge "
            + "(no query, wildcard, escape or dot segment), was '" + path + "'");
  }

  @Test
  void describesItselfWithoutTheToken() {
    PurgeSettings settings = new PurgeSettings("/pagecache/purge", new PurgeAccess(Optional.of(PurgeAccessTest.TOKEN),
        Optional.of(AllowList.of(List.of("127.0.0.1", "::1")))));

    assertThat(settings).hasToString("PURGE <url> and POST /pagecache/purge (bearer token, from 127.0.0.1, ::1)");
  }
}
