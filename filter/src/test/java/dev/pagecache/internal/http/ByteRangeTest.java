package dev.pagecache.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {
  private static final long LENGTH = 10_000;

  private static Optional<ByteRange.Slice> sliceOf(String field) {
    return ByteRange.parse(List.of(field)).orElseThrow().within(LENGTH);
  }

  static Stream<Arguments> honoured() {
    return Stream.of(
        arguments("bytes=0-499", 0, 499),
        arguments("bytes=500-999", 500, 999),
        arguments("bytes=9500-", 9500, 9999),
        arguments("bytes=-500", 9500, 9999),
        arguments("bytes=0-0", 0, 0),
        arguments("bytes=-1", 9999, 9999),
        arguments("bytes=9999-9999", 9999, 9999),
        // §14.1.2: a last position past the end means "to the end".
        arguments("bytes=9000-20000", 9000, 9999),
        arguments("bytes=0-99999999999999999999999999", 0, 9999),
        // A suffix longer than the representation is all of it.
        arguments("bytes=-20000", 0, 9999),
        arguments("bytes=-99999999999999999999999999", 0, 9999),
        // Units are case-insensitive; OWS around the value and list elements, empty elements.
        arguments("BYTES=1-2", 1, 2),
        arguments("  bytes=1-2\t", 1, 2),
        arguments("bytes= 1-2 ", 1, 2),
        arguments("bytes=,1-2", 1, 2),
        arguments("bytes=1-2,", 1, 2),
        arguments("bytes=, ,1-2, ,", 1, 2),
        arguments("bytes=0000000000000000000000000000000000000001-2", 1, 2));
  }

  @ParameterizedTest(name = "{0} -> {1}-{2}")
  @MethodSource("honoured")
  void honoursOneRange(String field, long first, long last) {
    assertThat(sliceOf(field)).contains(new ByteRange.Slice(first, last));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=10000-", "bytes=10000-10005", "bytes=99999999999999999999999-",
      "bytes=-0", "bytes=-000"})
  void rangesPastTheEndAndEmptySuffixesSelectNothing(String field) {
    assertThat(sliceOf(field)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "bytes", "bytes=", "bytes= ", "bytes=,", "bytes=-", "bytes=--1", "bytes=1--2",
      "bytes=a-b", "bytes=1-a", "bytes=+1-2", "bytes=1-+2", "bytes=-+2", "bytes=0x10-20", "bytes=1.5-2",
      "bytes=5-4", "bytes=1 -2", "bytes=1- 2", "bytes =1-2", "bytes:1-2", "bits=1-2", "items=0-5",
      "bytes=1-2;x", "=1-2", "bytes=1-2-3", "bytes=١-٢", "bytes=0-0\r\n", "bytes=\u00000-1"})
  void malformedFieldsAreNoRange(String field) {
    assertThat(ByteRange.parse(List.of(field))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=0-1,2-3", "bytes=0-1, 5-", "bytes=-5,0-1", "bytes=0-1,0-1", "bytes=0-1,x"})
  void severalRangesAreNoRange(String field) {
    assertThat(ByteRange.parse(List.of(field))).isEmpty();
  }

  @Test
  void thousandsOfRangesAreRefusedUnread() {
    List<String> ranges = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      ranges.add(i + "-" + i);
    }
    assertThat(ByteRange.parse(List.of("bytes=" + String.join(",", ranges)))).isEmpty();
  }

  @Test
  void aFieldJustUnderTheLimitIsRead() {
    char[] zeros = new char[ByteRange.MAX_FIELD_LENGTH - "bytes=-1".length()];
    Arrays.fill(zeros, '0');
    String field = "bytes=" + new String(zeros) + "-1";
    assertThat(field).hasSize(ByteRange.MAX_FIELD_LENGTH);
    assertThat(ByteRange.parse(List.of(field))).contains(new ByteRange.FromTo(0, 1));
    assertThat(ByteRange.parse(List.of(" " + field))).isEmpty();
  }

  @Test
  void repeatedOrMissingFieldLinesAreNoRange() {
    assertThat(ByteRange.parse(List.of())).isEmpty();
    assertThat(ByteRange.parse(List.of("bytes=0-1", "bytes=0-1"))).isEmpty();
  }

  @Test
  void openEndedRangesRunToTheEnd() {
    assertThat(ByteRange.parse(List.of("bytes=7-"))).contains(new ByteRange.FromTo(7, Long.MAX_VALUE));
    assertThat(ByteRange.parse(List.of("bytes=-7"))).contains(new ByteRange.Suffix(7));
  }

  @Test
  void nothingIsSatisfiableInAnEmptyRepresentation() {
    assertThat(new ByteRange.FromTo(0, 5).within(0)).isEmpty();
    assertThat(new ByteRange.Suffix(5).within(0)).isEmpty();
  }

  @Test
  void sliceLengthsCountBothEnds() {
    assertThat(new ByteRange.Slice(0, 0).length()).isEqualTo(1);
    assertThat(new ByteRange.Slice(5, 9).length()).isEqualTo(5);
  }
}
