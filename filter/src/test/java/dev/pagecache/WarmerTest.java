package dev.pagecache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WarmerTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final URI SITE = URI.create("https://www.example.com");

  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private final List<String> rendered = new CopyOnWriteArrayList<>();
  private final List<Warmer.Target> targets = new CopyOnWriteArrayList<>();

  private Warmer warmer(Optional<URI> site) {
    scheduler.setRemoveOnCancelPolicy(true);
    return new Warmer(InstantSource.fixed(NOW), site, scheduler, (target, path, token) -> {
      targets.add(target);
      rendered.add(path);
      return 200;
    });
  }

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void eachPageHasOneScheduleHoweverOftenItIsStored() {
    Warmer warmer = warmer(Optional.of(SITE));
    warmer.keepWarm("/hot");
    warmer.keepWarm("/other");
    warmer.learn("127.0.0.1", 8080, "");
    awaitRenders(2);

    // Stored again and again, by warm renders and by clients' misses: still one pending refresh each.
    for (int i = 0; i < 5; i++) {
      warmer.stored("/hot", NOW, NOW.plus(Duration.ofMinutes(10)));
      warmer.stored("/other", NOW, NOW.plus(Duration.ofMinutes(10)));
    }

    assertThat(warmer.pending()).isEqualTo(2);
    assertThat(scheduler.getQueue()).hasSize(2);
  }

  @Test
  void aPathThatIsNotKeptWarmIsNeverScheduled() {
    Warmer warmer = warmer(Optional.of(SITE));
    warmer.keepWarm("/hot");
    warmer.learn("127.0.0.1", 8080, "");
    awaitRenders(1);

    warmer.stored("/cold", NOW, NOW.plus(Duration.ofMinutes(10)));

    assertThat(scheduler.getQueue()).isEmpty();
  }

  @Test
  void theTargetIsTheSocketTheServerListensOnAndTheConfiguredSite() {
    Warmer warmer = warmer(Optional.of(SITE));
    warmer.keepWarm("/hot");
    warmer.learn("127.0.0.1", 8080, "/app");
    awaitRenders(1);

    assertThat(targets).containsExactly(new Warmer.Target("127.0.0.1", 8080, SITE, "/app"));
  }

  @Test
  void onlyTheFiltersOwnTokenMarksAWarmRender() {
    Warmer warmer = warmer(Optional.of(SITE));
    Warmer another = warmer(Optional.of(SITE));
    String[] token = new String[1];
    Warmer capturing = new Warmer(InstantSource.fixed(NOW), Optional.of(SITE), scheduler, (target, path, t) -> {
      token[0] = t;
      return 200;
    });
    capturing.keepWarm("/hot");
    capturing.learn("127.0.0.1", 8080, "");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (token[0] == null && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }

    assertThat(token[0]).matches("[0-9a-f]{32}");
    assertThat(capturing.isRefresh(token[0])).isTrue();
    assertThat(warmer.isRefresh(token[0])).as("another filter's token").isFalse();
    assertThat(another.isRefresh(null)).isFalse();
    assertThat(capturing.isRefresh(token[0].substring(1))).isFalse();
    assertThat(capturing.isRefresh(token[0] + "0")).isFalse();
    assertThat(capturing.isRefresh("")).isFalse();
  }

  @Test
  void keepingAPageWarmNeedsTheSitesBaseUrl() {
    Warmer warmer = warmer(Optional.empty());

    assertThatThrownBy(() -> warmer.keepWarm("/hot"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pagecache.warm.baseUrl");
  }

  private void awaitRenders(int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (rendered.size() < count && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(rendered).hasSizeGreaterThanOrEqualTo(count);
  }
}
