package dev.pagecache.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordsTest {

  @Test
  void anUpdateSeesTheCurrentValueAndStoresWhatItReturns() {
    Records records = Records.inMemory(10);

    Optional<String> first = records.update("k", current -> Optional.of(current.orElse("") + "a"));
    Optional<String> second = records.update("k", current -> Optional.of(current.orElse("") + "b"));

    assertThat(first).contains("a");
    assertThat(second).contains("ab");
    assertThat(records.get("k")).contains("ab");
  }

  @Test
  void anUpdateReturningEmptyLeavesTheRecordAsItIs() {
    Records records = Records.inMemory(10);
    records.update("k", current -> Optional.of("kept"));

    assertThat(records.update("k", current -> Optional.empty())).contains("kept");
    assertThat(records.update("absent", current -> Optional.empty())).isEmpty();
    assertThat(records.get("absent")).isEmpty();
  }

  @Test
  void pastItsLimitMemoryForgetsTheRecordUsedLeastRecently() {
    Records records = Records.inMemory(2);
    records.update("a", current -> Optional.of("1"));
    records.update("b", current -> Optional.of("2"));
    records.get("a");
    records.update("c", current -> Optional.of("3"));

    assertThat(records.getAll(List.of("a", "b", "c"))).containsOnlyKeys("a", "c");
  }
}
