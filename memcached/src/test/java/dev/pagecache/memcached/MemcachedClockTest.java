package dev.pagecache.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemcachedClockTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00.250Z");

  @Test
  void aClockTenMinutesBehindMemcachedIsSetForward() {
    MemcachedClock clock = new MemcachedClock(InstantSource.fixed(NOW.minusSeconds(600)));
    clock.refresh(() -> List.of(NOW.getEpochSecond()));

    assertThat(Math.abs(clock.instant().toEpochMilli() - NOW.toEpochMilli())).isLessThanOrEqualTo(1000);
  }

  @Test
  void withinTheToleranceNothingChanges() {
    MemcachedClock clock = new MemcachedClock(InstantSource.fixed(NOW));
    clock.refresh(() -> List.of(NOW.getEpochSecond() + 1));

    assertThat(clock.offsetMillis()).isZero();
    assertThat(clock.instant()).isEqualTo(NOW);
  }

  @Test
  void severalServersGiveTheirMiddleTimeAndAFailedReadKeepsTheClockAsItWas() {
    MemcachedClock clock = new MemcachedClock(InstantSource.fixed(NOW));
    clock.refresh(() -> List.of(NOW.getEpochSecond() + 300, NOW.getEpochSecond() + 60, NOW.getEpochSecond() + 61));
    long offset = clock.offsetMillis();
    assertThat(offset).isBetween(60_000L, 62_000L);

    clock.refresh(() -> {
      throw new IllegalStateException("memcached down");
    });
    clock.refresh(List::of);
    assertThat(clock.offsetMillis()).isEqualTo(offset);
  }
}
