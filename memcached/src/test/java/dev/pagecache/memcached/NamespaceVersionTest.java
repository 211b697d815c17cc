package dev.pagecache.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NamespaceVersionTest {
  /** The answers the next reads get, in order; a read with none left is never answered. */
  private final ConcurrentLinkedDeque<CompletableFuture<byte[]>> answers = new ConcurrentLinkedDeque<>();
  private final NamespaceVersion version = new NamespaceVersion(this::send, 50);

  private Future<byte[]> send() {
    CompletableFuture<byte[]> answer = answers.poll();
    return answer != null ? answer : new CompletableFuture<>();
  }

  private void answer(String value) {
    answers.add(CompletableFuture.completedFuture(value == null ? null : value.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void unknownUntilARefreshIsAnswered() {
    assertThat(version.current()).isEmpty();

    answer("7");

    assertThat(version.refresh(50)).isTrue();
    assertThat(version.current()).isEqualTo(OptionalLong.of(7));
  }

  @Test
  void noVersionKeyMeansNoPurgeYetThatIsVersionZero() {
    answer(null);

    version.refresh(50);

    assertThat(version.current()).isEqualTo(OptionalLong.of(0));
  }

  @Test
  void aReadThatFailsOrIsNotAnsweredKeepsTheVersionAndWaitsAtMostTheTimeout() {
    answer("3");
    version.refresh(50);
    answers.add(CompletableFuture.failedFuture(new IllegalStateException("memcached went away")));
    answer("not a number");

    assertThat(version.refresh(50)).isTrue();
    assertThat(version.refresh(50)).isTrue();
    long started = System.nanoTime();
    assertThat(version.refresh(10_000)).as("never answered").isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(40L, 1_000L);
    assertThat(version.current()).isEqualTo(OptionalLong.of(3));
  }

  @Test
  void ourOwnPurgeSetsItAtOnceAndAReadSentBeforeCannotUndoIt() {
    CompletableFuture<byte[]> late = new CompletableFuture<>();
    answers.add(late);
    CompletableFuture<Boolean> refreshing = CompletableFuture.supplyAsync(() -> version.refresh(5_000));
    while (!answers.isEmpty()) {
      Thread.onSpinWait(); // until the read is sent
    }

    version.set(12);
    late.complete("11".getBytes(StandardCharsets.US_ASCII));
    refreshing.join();

    assertThat(version.current()).isEqualTo(OptionalLong.of(12));
  }

  @Test
  void reReadOnAThreadOfItsOwnUntilClosed() throws Exception {
    answer("1");
    answer("2");
    version.refreshEvery(10);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!version.current().equals(OptionalLong.of(2)) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(version.current()).isEqualTo(OptionalLong.of(2));

    version.close();
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (refresherAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(refresherAlive()).isFalse();
  }

  private static boolean refresherAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(thread -> thread.getName().equals(NamespaceVersion.THREAD_NAME) && thread.isAlive());
  }
}
