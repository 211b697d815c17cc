package dev.pagecache.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
  private long now = 5_000_000_000L;
  private final List<String> logged = new ArrayList<>();
  private final RateLimitedLog log = new RateLimitedLog(new Recording(logged), 60_000, () -> now);

  /** A logger at INFO that keeps what it is given. */
  private record Recording(List<String> logged) implements Logger {
    @Override
    public String getName() {
      return "test";
    }

    @Override
    public boolean isLoggable(Level level) {
      return level.getSeverity() >= Level.INFO.getSeverity();
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
      logged.add(level + " " + message);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      logged.add(level + " " + format);
    }
  }

  @Test
  void onceAMinutePerTopicSayingHowManyWereHeldBack() {
    for (int i = 0; i <= 30; i++) { // every 2 s for a minute
      log.log(Level.WARNING, "reconnect", () -> "memcached refused");
      now += TimeUnit.SECONDS.toNanos(2);
    }
    log.log(Level.WARNING, "other", () -> "something else");

    assertThat(logged).containsExactly("WARNING memcached refused",
        "WARNING memcached refused (and 29 more like it since the last one logged)", "WARNING something else");
  }

  @Test
  void levelsTheLoggerDropsCostNothingAndHoldNothingBack() {
    log.log(Level.DEBUG, "chatter", () -> {
      throw new AssertionError("not built");
    });

    assertThat(logged).isEmpty();
  }
}
