package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.internal.http.Headers;
import dev.pagecache.rules.CacheRule;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StalenessTest {
  private static final CacheRule NO_GRACE = CacheRule.forPath("/*").build();
  private static final CacheRule GRACE = CacheRule.forPath("/*")
      .staleWhileRevalidate(Duration.ofSeconds(30)).staleIfError(Duration.ofMinutes(5)).build();

  private static Headers cacheControl(String value) {
    return Headers.builder().add("Cache-Control", value).build();
  }

  @Test
  void theLongerOfTheRulesWindowAndTheOriginsDirectiveApplies() {
    assertThat(Staleness.windows(cacheControl("max-age=60, stale-while-revalidate=90, stale-if-error=10"), GRACE))
        .isEqualTo(new Staleness.Windows(Duration.ofSeconds(90), Duration.ofMinutes(5)));
    assertThat(Staleness.windows(cacheControl("max-age=60"), NO_GRACE)).isEqualTo(Staleness.Windows.NONE);
  }

  @Test
  void revalidationDirectivesForbidServingStale() {
    for (String directives : new String[] {"max-age=60, must-revalidate", "max-age=60, proxy-revalidate",
        "s-maxage=60, stale-while-revalidate=30"}) {
      assertThat(Staleness.windows(cacheControl(directives), GRACE)).as(directives).isEqualTo(Staleness.Windows.NONE);
    }
  }

  @Test
  void cacheControlGovernsPastExpiryWhenSurrogateControlGivesNoLifetime() {
    Headers headers = Headers.builder().add("Cache-Control", "max-age=60, must-revalidate")
        .add("Surrogate-Control", "content=\"ESI/1.0\"").build();

    assertThat(Staleness.windows(headers, GRACE)).isEqualTo(Staleness.Windows.NONE);
  }

  @Test
  void surrogateControlSpeaksForTheCacheWhenItGivesTheLifetime() {
    Headers headers = Headers.builder().add("Cache-Control", "max-age=0, must-revalidate")
        .add("Surrogate-Control", "max-age=60, stale-while-revalidate=20").build();

    assertThat(Staleness.windows(headers, NO_GRACE).whileRevalidate()).isEqualTo(Duration.ofSeconds(20));
  }
}
