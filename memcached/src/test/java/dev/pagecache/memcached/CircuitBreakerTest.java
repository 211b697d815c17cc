package dev.pagecache.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private Instant now = Instant.parse("2026-11-21T08:00:00Z");
  private final InstantSource clock = () -> now;
  private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(5), clock);

  @Test
  void opensAfterConsecutiveFailuresAndProbesOnceAfterTheCoolDown() {
    breaker.recordFailure();
    breaker.recordFailure();
    assertThat(breaker.allows()).isTrue();
    breaker.recordFailure();
    assertThat(breaker.allows()).as("open").isFalse();

    now = now.plusSeconds(5);
    assertThat(breaker.allows()).as("the probe").isTrue();
    assertThat(breaker.allows()).as("only one probe").isFalse();
    breaker.recordSuccess();
    assertThat(breaker.allows()).isTrue();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void countsEachOpeningOnceHoweverManyFailuresArriveWhileItIsOpen() {
    for (int i = 0; i < 3; i++) {
      breaker.recordFailure();
    }
    breaker.recordFailure(); // a call sent before it opened, failing late
    assertThat(breaker.openings()).isEqualTo(1);

    now = now.plusSeconds(5);
    assertThat(breaker.allows()).as("the probe").isTrue();
    breaker.recordFailure();
    assertThat(breaker.openings()).as("the failed probe opened it again").isEqualTo(2);
  }

  @Test
  void aFailedProbeOpensItAgain() {
    for (int i = 0; i < 3; i++) {
      breaker.recordFailure();
    }
    now = now.plusSeconds(6);
    assertThat(breaker.allows()).isTrue();
    breaker.recordFailure();
    assertThat(breaker.allows()).isFalse();
    now = now.plusSeconds(4);
    assertThat(breaker.allows()).isFalse();
  }

  @Test
  void aProbeThatNeverReportsBackDoesNotWedgeTheBreaker() {
    for (int i = 0; i < 3; i++) {
      breaker.recordFailure();
    }
    now = now.plusSeconds(5);
    assertThat(breaker.allows()).as("a probe, lost").isTrue();
    now = now.plusSeconds(4);
    assertThat(breaker.allows()).isFalse();
    now = now.plusSeconds(1);
    assertThat(breaker.allows()).as("another probe a cool-down later").isTrue();
  }

  @Test
  void aSuccessResetsTheCount() {
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    breaker.recordFailure();
    assertThat(breaker.allows()).isTrue();
  }
}
