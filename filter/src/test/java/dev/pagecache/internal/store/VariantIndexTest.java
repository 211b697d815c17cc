package dev.pagecache.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VariantIndexTest {
  private static final Instant T = Instant.parse("2025-03-01T12:00:00Z");

  @Test
  void extendingToALaterInstantMovesEvictableAtAndKeepsTheRest() {
    VariantIndex index = new VariantIndex(9, List.of("accept"), T);

    VariantIndex extended = index.extendedTo(T.plusSeconds(60));

    assertThat(extended).isEqualTo(new VariantIndex(9, List.of("accept"), T.plusSeconds(60)));
  }

  @Test
  void extendingToAnEarlierOrEqualInstantChangesNothing() {
    VariantIndex index = new VariantIndex(9, List.of("accept"), T);

    assertThat(index.extendedTo(T.minusSeconds(60))).isSameAs(index);
    assertThat(index.extendedTo(T)).isSameAs(index);
  }

  @Test
  void varyHeadersAreCopiedIn() {
    List<String> names = new ArrayList<>(List.of("accept"));
    VariantIndex index = new VariantIndex(1, names, T);

    names.add("cookie");

    assertThat(index.varyHeaders()).containsExactly("accept");
    assertThatThrownBy(() -> index.varyHeaders().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void weightGrowsWithTheVaryHeaders() {
    assertThat(new VariantIndex(1, List.of(), T).weight()).isEqualTo(64);
    assertThat(new VariantIndex(1, List.of("accept", "accept-language"), T).weight())
        .isEqualTo(64 + 40 + 6 + 40 + 15);
  }
}
