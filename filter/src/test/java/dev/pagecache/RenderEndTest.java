package dev.pagecache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RenderEndTest {

  @Test
  void aSynchronousRenderEndsOnTheRequestThread() {
    RenderEnd end = new RenderEnd();

    assertThat(end.endsOnRequestThread()).isTrue();
    assertThat(end.hasEnded()).isTrue();
    assertThat(end.claim()).as("nothing else ends it again").isFalse();
  }

  @Test
  void anAsynchronousRenderIsNotEndedByTheRequestThread() {
    RenderEnd end = new RenderEnd();
    end.wentAsync();

    assertThat(end.endsOnRequestThread()).isFalse();
    assertThat(end.hasEnded()).isFalse();
    assertThat(end.claim()).as("complete(), a timeout... ends it").isTrue();
  }

  @Test
  void onlyTheFirstClaimEndsTheRender() {
    RenderEnd end = new RenderEnd();
    end.wentAsync();

    assertThat(end.claim()).isTrue();
    assertThat(end.claim()).isFalse();
    assertThat(end.endsOnRequestThread()).isFalse();
  }

  @Test
  void aRenderAlreadyEndedByCompleteIsNotEndedAgainWhenTheRequestThreadReturns() {
    RenderEnd end = new RenderEnd();
    end.wentAsync();
    end.claim(); // complete() on another thread, before the chain returned

    assertThat(end.endsOnRequestThread()).isFalse();
  }

  @Test
  void racingClaimsHaveExactlyOneWinner() throws Exception {
    for (int round = 0; round < 200; round++) {
      RenderEnd end = new RenderEnd();
      end.wentAsync();
      CountDownLatch go = new CountDownLatch(1);
      AtomicInteger winners = new AtomicInteger();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Thread thread = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          if (end.claim()) {
            winners.incrementAndGet();
          }
        });
        thread.start();
        threads.add(thread);
      }
      go.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
      assertThat(winners.get()).isEqualTo(1);
    }
  }
}
