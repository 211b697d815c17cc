package dev.pagecache.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.rules.CacheRule;
import dev.pagecache.internal.store.CachedPage;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReusePolicyTest {
  // Timeline: stored at STORED, fresh for 60 s, then 30 s of stale-while-revalidate and 300 s of stale-if-error.
  private static final Instant STORED = Instant.parse("2025-03-01T12:00:00Z");
  private static final CacheRule RULE = CacheRule.forPath("/*").build();
  private static final CachedPage PAGE = CachedPage.builder().date(STORED).storedAt(STORED)
      .expiresAt(STORED.plusSeconds(60))
      .staleWhileRevalidateUntil(STORED.plusSeconds(90))
      .staleIfErrorUntil(STORED.plusSeconds(360))
      .build();
  private static final TestRequest GET = TestRequest.get("/a").build();
  private static final TestRequest HEAD = TestRequest.head("/a").build();
  private static final TestRequest NO_STORE = TestRequest.get("/a").header("Cache-Control", "no-store").build();

  private static Decision decide(TestRequest request, CachedPage stored, long secondsAfterStoring) {
    return ReusePolicy.decide(request, RULE, Optional.ofNullable(stored), STORED.plusSeconds(secondsAfterStoring));
  }

  @Test
  void aFreshPageIsServedToEveryRequest() {
    for (TestRequest request : new TestRequest[] {GET, HEAD, NO_STORE}) {
      assertThat(decide(request, PAGE, 59)).as(request.toString()).isEqualTo(new Decision.Serve(PAGE));
    }
  }

  @Test
  void aMissIsRenderedAndOnlyAStorableRequestLetsOthersWaitForIt() {
    assertThat(decide(GET, null, 0)).isEqualTo(new Decision.Render(true, Optional.empty()));
    assertThat(decide(HEAD, null, 0)).isEqualTo(new Decision.Render(false, Optional.empty()));
    assertThat(decide(NO_STORE, null, 0)).isEqualTo(new Decision.Render(false, Optional.empty()));
  }

  @Test
  void anExpiredPageIsServedWhileItsSuccessorRendersAndOnlyAStorableRequestRefreshes() {
    assertThat(decide(GET, PAGE, 60)).isEqualTo(new Decision.ServeStale(PAGE, true));
    assertThat(decide(GET, PAGE, 89)).isEqualTo(new Decision.ServeStale(PAGE, true));
    assertThat(decide(HEAD, PAGE, 70)).isEqualTo(new Decision.ServeStale(PAGE, false));
    assertThat(decide(NO_STORE, PAGE, 70)).isEqualTo(new Decision.ServeStale(PAGE, false));
  }

  @Test
  void pastStaleWhileRevalidateThePageOnlyStandsInForAFailure() {
    assertThat(decide(GET, PAGE, 90)).isEqualTo(new Decision.Render(true, Optional.of(PAGE)));
    assertThat(decide(GET, PAGE, 359)).isEqualTo(new Decision.Render(true, Optional.of(PAGE)));
    assertThat(decide(GET, PAGE, 360)).isEqualTo(new Decision.Render(true, Optional.empty()));
  }
}
