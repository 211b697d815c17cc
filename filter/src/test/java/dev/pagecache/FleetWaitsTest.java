package dev.pagecache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.FleetWaits.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The watch over other JVMs' leases, ticked by hand: the thread that ticks it runs in FleetWaitsIT. */
class FleetWaitsTest {
  /** The leases held in the fleet, and every question asked about them. */
  private final Set<String> held = new HashSet<>();
  private final List<List<String>> asked = new ArrayList<>();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final FleetWaits waits = new FleetWaits(this::held, false);

  private Set<String> held(Collection<String> keys) {
    asked.add(keys.stream().sorted().toList());
    if (failure.get() != null) {
      throw failure.get();
    }
    Set<String> answer = new HashSet<>(keys);
    answer.retainAll(held);
    return answer;
  }

  /** Already woken: returns at once, whatever the bound. */
  private static Outcome outcome(FleetWaits.Wait wait) throws InterruptedException {
    assertThat(wait.isWoken()).as("woken").isTrue();
    return wait.await(Duration.ofDays(1));
  }

  @Test
  void everyWatchedLeaseIsAskedAboutInOneQuestionPerTick() {
    for (int i = 0; i < 20; i++) {
      held.add("page-" + i);
      waits.watch("page-" + i);
    }

    waits.check();
    waits.check();

    assertThat(asked).hasSize(2);
    assertThat(asked.get(0)).hasSize(20);
  }

  @Test
  void theWaitersOfExactlyTheLeasesThatAreGoneAreWoken() throws Exception {
    held.addAll(List.of("a", "b", "c"));
    FleetWaits.Wait a = waits.watch("a");
    FleetWaits.Wait b = waits.watch("b");
    FleetWaits.Wait c = waits.watch("c");
    held.removeAll(List.of("a", "c"));

    waits.check();

    assertThat(outcome(a)).isEqualTo(Outcome.RELEASED);
    assertThat(outcome(c)).isEqualTo(Outcome.RELEASED);
    assertThat(b.isWoken()).as("b, still leased").isFalse();
    assertThat(waits.watchedKeys()).as("only b is asked about next").isEqualTo(1);
  }

  @Test
  void allWaitersOfOneKeyAreWokenTogether() throws Exception {
    FleetWaits.Wait first = waits.watch("a");
    FleetWaits.Wait second = waits.watch("a");

    waits.check();

    assertThat(outcome(first)).isEqualTo(Outcome.RELEASED);
    assertThat(outcome(second)).isEqualTo(Outcome.RELEASED);
    assertThat(asked).containsExactly(List.of("a"));
  }

  @Test
  void whenTheSharedLayerCannotSayEveryWaiterIsWokenToRenderForItself() throws Exception {
    held.addAll(List.of("a", "b"));
    FleetWaits.Wait a = waits.watch("a");
    FleetWaits.Wait b = waits.watch("b");
    failure.set(new IllegalStateException("circuit breaker open"));

    waits.check();

    assertThat(outcome(a)).isEqualTo(Outcome.UNKNOWN);
    assertThat(outcome(b)).isEqualTo(Outcome.UNKNOWN);
    assertThat(waits.watchedKeys()).isZero();
  }

  @Test
  void aKeyIsNoLongerAskedAboutOnceItsLastWaiterLeaves() {
    held.add("a");
    FleetWaits.Wait first = waits.watch("a");
    FleetWaits.Wait second = waits.watch("a");

    first.close();
    waits.check();
    second.close();
    second.close(); // twice: harmless
    waits.check();

    assertThat(asked).as("asked while one waiter was left, then never").containsExactly(List.of("a"));
    assertThat(waits.watchedKeys()).isZero();
  }

  @Test
  void aWaiterLeavingLateDoesNotDropTheWatchOfTheNextWaiterOfItsKey() {
    held.add("a");
    FleetWaits.Wait woken = waits.watch("a");
    held.remove("a");
    waits.check();
    held.add("a"); // leased again, by another JVM's next render
    FleetWaits.Wait next = waits.watch("a");

    woken.close();
    waits.check();

    assertThat(next.isWoken()).isFalse();
    assertThat(waits.watchedKeys()).isEqualTo(1);
  }

  @Test
  void aKeyWatchedOnlySinceTheQuestionWasAskedWaitsForTheNextTick() {
    AtomicReference<FleetWaits> self = new AtomicReference<>();
    AtomicReference<FleetWaits.Wait> late = new AtomicReference<>();
    FleetWaits watching = new FleetWaits(keys -> {
      if (late.get() == null) {
        late.set(self.get().watch("late")); // its lease was taken after this answer was read
      }
      return Set.of();
    }, false);
    self.set(watching);
    watching.watch("early");

    watching.check();
    assertThat(late.get().isWoken()).as("by the answer that predates its watch").isFalse();
    watching.check();
    assertThat(late.get().isWoken()).as("by the next answer").isTrue();
  }

  @Test
  void closingWakesEveryWaiterAndAnyLaterOne() throws Exception {
    held.add("a");
    FleetWaits.Wait before = waits.watch("a");

    waits.close();
    FleetWaits.Wait after = waits.watch("b");

    assertThat(outcome(before)).isEqualTo(Outcome.UNKNOWN);
    assertThat(outcome(after)).isEqualTo(Outcome.UNKNOWN);
    assertThat(waits.watchedKeys()).isZero();
  }
}
