package dev.pagecache.internal.purge;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The client addresses the purge endpoint answers: single addresses and CIDR ranges, IPv4
 * ({@code 10.0.0.0/8}) and IPv6 ({@code fd00::/8}, {@code ::1}). Entries are IP literals only:
 * a host name would need DNS at start-up and again whenever it changes, and is refused.
 *
 * <p>Nothing here resolves a name: IPv4 is read by a strict pattern (no octal, no short forms
 * such as {@code 10.1}), and IPv6 is handed to {@link InetAddress} in brackets, which it then
 * parses as a literal or refuses without a lookup.
 */
public final class AllowList {
  private static final Pattern IPV4 = Pattern.compile(
      "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  private static final Pattern PREFIX_LENGTH = Pattern.compile("0|[1-9][0-9]{0,2}");

  /** An address and how many of its leading bits a client's must share. */
  private record Range(byte[] network, int prefixLength, String text) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = prefixLength / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixLength % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[whole] & mask) == (network[whole] & mask);
    }
  }

  private final List<Range> ranges;

  private AllowList(List<Range> ranges) {
    this.ranges = ranges;
  }

  /**
   * @param entries addresses ({@code 127.0.0.1}, {@code ::1}) and ranges ({@code 10.0.0.0/8},
   *     {@code fd00::/8})
   * @throws IllegalArgumentException naming the first entry that is not one
   */
  public static AllowList of(List<String> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("is empty: list at least one address or range, e.g. 127.0.0.1, ::1");
    }
    List<Range> ranges = new ArrayList<>();
    for (String entry : entries) {
      ranges.add(range(entry.trim()));
    }
    return new AllowList(List.copyOf(ranges));
  }

  /**
   * Whether a client at {@code remoteAddress} (as {@code ServletRequest.getRemoteAddr()} gives
   * it) may use the endpoint. Anything that is not an IP literal is not allowed.
   */
  public boolean permits(String remoteAddress) {
    Optional<byte[]> address = parseClient(remoteAddress);
    if (address.isEmpty()) {
      return false;
    }
    for (Range range : ranges) {
      if (range.contains(address.get())) {
        return true;
      }
    }
    return false;
  }

  private static Range range(String entry) {
    int slash = entry.indexOf('/');
    String addressText = slash < 0 ? entry : entry.substring(0, slash);
    byte[] address = parseEntryAddress(entry, addressText);
    int bits = address.length * 8;
    int prefixLength = bits;
    if (slash >= 0) {
      String length = entry.substring(slash + 1);
      if (!PREFIX_LENGTH.matcher(length).matches() || Integer.parseInt(length) > bits) {
        throw new IllegalArgumentException("'" + entry + "': the prefix length after / must be 0 to " + bits);
      }
      prefixLength = Integer.parseInt(length);
    }
    byte[] network = network(address, prefixLength);
    if (!Arrays.equals(network, address)) {
      // 10.0.0.1/8 is most likely a typo for a single address or for 10.0.0.0/8: say which it covers.
      throw new IllegalArgumentException("'" + entry + "' has bits set after its first " + prefixLength
          + "; write the range as " + format(network) + "/" + prefixLength);
    }
    return new Range(address, prefixLength, entry);
  }

  private static byte[] parseEntryAddress(String entry, String text) {
    if (IPV4.matcher(text).matches()) {
      return ipv4(text);
    }
    String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    if (literal.indexOf(':') >= 0 && literal.indexOf('%') < 0) {
      Optional<InetAddress> address = ipv6Literal(literal);
      if (address.isPresent() && address.get() instanceof Inet6Address) {
        return address.get().getAddress();
      }
      if (address.isPresent()) {
        throw new IllegalArgumentException("'" + entry + "' is an IPv4 address written as IPv6; write it as "
            + address.get().getHostAddress());
      }
    }
    throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR range (e.g. 10.0.0.0/8, "
        + "192.168.1.7, fd00::/8, ::1; host names are not allowed)");
  }

  /** The client's address, or empty when it is not an IP literal. */
  private static Optional<byte[]> parseClient(String remoteAddress) {
    if (remoteAddress == null || remoteAddress.isEmpty() || remoteAddress.length() > 100) {
      return Optional.empty();
    }
    if (IPV4.matcher(remoteAddress).matches()) {
      return Optional.of(ipv4(remoteAddress));
    }
    String literal = remoteAddress.startsWith("[") && remoteAddress.endsWith("]")
        ? remoteAddress.substring(1, remoteAddress.length() - 1) : remoteAddress;
    int zone = literal.indexOf('%'); // fe80::1%eth0: the zone says which link, not who
    if (zone >= 0) {
      literal = literal.substring(0, zone);
    }
    if (literal.indexOf(':') < 0) {
      return Optional.empty();
    }
    // An IPv4 client on a dual-stack socket may show as ::ffff:10.1.2.3; InetAddress makes that IPv4.
    return ipv6Literal(literal).map(InetAddress::getAddress);
  }

  /** Parses an IPv6 literal; the brackets make InetAddress refuse anything else instead of looking it up. */
  private static Optional<InetAddress> ipv6Literal(String literal) {
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(InetAddress.getByName("[" + literal + "]"));
    } catch (UnknownHostException notALiteral) {
      return Optional.empty();
    }
  }

  private static byte[] ipv4(String text) {
    String[] parts = text.split("\\.");
    byte[] address = new byte[4];
    for (int i = 0; i < 4; i++) {
      address[i] = (byte) Integer.parseInt(parts[i]);
    }
    return address;
  }

  private static byte[] network(byte[] address, int prefixLength) {
    byte[] network = address.clone();
    for (int bit = prefixLength; bit < network.length * 8; bit++) {
      network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return network;
  }

  private static String format(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  @Override
  public String toString() {
    List<String> texts = new ArrayList<>();
    ranges.forEach(range -> texts.add(range.text()));
    return String.join(", ", texts);
  }
}
