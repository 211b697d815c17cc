package dev.pagecache.internal.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AllowListTest {
  private static final AllowList LIST = AllowList.of(List.of("127.0.0.1", "10.0.0.0/8", "192.168.4.0/22", "::1",
      "fd00::/8", "[2001:db8::]/32"));

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "10.0.0.0", "10.255.255.255", "192.168.4.1", "192.168.7.254", "::1",
      "0:0:0:0:0:0:0:1", "[::1]", "fd12:3456::1", "2001:db8:ffff::1", "::1%0",
      "::ffff:10.1.2.3"})
  void addressesInsideAnEntryArePermitted(String client) {
    assertThat(LIST.permits(client)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.2", "11.0.0.1", "192.168.8.1", "192.168.3.255", "::2", "fe00::1", "2001:db9::1",
      "localhost", "", "10.1", "010.0.0.1", "10.0.0.1.5", "::ffff:11.1.2.3", "not an address"})
  void everyOtherAddressIsNot(String client) {
    assertThat(LIST.permits(client)).isFalse();
  }

  @Test
  void nullIsNotAnAddress() {
    assertThat(LIST.permits(null)).isFalse();
  }

  @Test
  void aZeroPrefixCoversItsWholeFamilyOnly() {
    AllowList anyIpv4 = AllowList.of(List.of("0.0.0.0/0"));

    assertThat(anyIpv4.permits("203.0.113.9")).isTrue();
    assertThat(anyIpv4.permits("2001:db8::1")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "example.com", "10.0.0", "10.0.0.256", "010.0.0.1", "10.0.0.0/", "10.0.0.0/x",
      "10.0.0.0/-1", "10.0.0.0/08", "fe80::1%eth0", "::g", "1.2.3.4/24/8", "", "*"})
  void anEntryThatIsNotAnAddressOrRangeIsRefusedByName(String entry) {
    assertThatThrownBy(() -> AllowList.of(List.of(entry))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + entry + "'");
  }

  @Test
  void aPrefixLongerThanTheAddressIsRefused() {
    assertThatThrownBy(() -> AllowList.of(List.of("10.0.0.0/33")))
        .hasMessage("'10.0.0.0/33': the prefix length after / must be 0 to 32");
    assertThatThrownBy(() -> AllowList.of(List.of("::/129")))
        .hasMessage("'::/129': the prefix length after / must be 0 to 128");
  }

  @Test
  void aRangeWithHostBitsSetSaysWhichRangeItMeant() {
    assertThatThrownBy(() -> AllowList.of(List.of("10.1.2.3/8")))
        .hasMessage("'10.1.2.3/8' has bits set after its first 8; write the range as 10.0.0.0/8");
  }

  @Test
  void anIpv4AddressWrittenAsIpv6IsRefusedWithItsUsualForm() {
    assertThatThrownBy(() -> AllowList.of(List.of("::ffff:10.0.0.1")))
        .hasMessage("'::ffff:10.0.0.1' is an IPv4 address written as IPv6; write it as 10.0.0.1");
  }

  @Test
  void anEmptyListIsRefused() {
    assertThatThrownBy(() -> AllowList.of(List.of())).hasMessageContaining("is empty");
  }

  @Test
  void printsItsEntriesAsGiven() {
    assertThat(LIST).hasToString("127.0.0.1, 10.0.0.0/8, 192.168.4.0/22, ::1, fd00::/8, [2001:db8::]/32");
  }
}
