package dev.pagecache.internal.policy;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The host names a site answers to. A request for any other {@code Host} skips the cache: every
 * value a client can type would otherwise get its own copies (unbounded pollution, and per-host
 * pages whose links point wherever the client said). Exact names ({@code www.example.com}) and
 * subdomain wildcards ({@code *.example.com}, which does not match {@code example.com} itself).
 */
public final class SiteHosts {
  private static final SiteHosts ANY = new SiteHosts(Set.of(), List.of(), true);

  private final Set<String> exact;
  private final List<String> suffixes;
  private final boolean any;

  private SiteHosts(Set<String> exact, List<String> suffixes, boolean any) {
    this.exact = exact;
    this.suffixes = suffixes;
    this.any = any;
  }

  /** No allow-list: every host is cached (under its own key). */
  public static SiteHosts any() {
    return ANY;
  }

  /** @throws IllegalArgumentException naming an entry that is not a host name */
  public static SiteHosts of(List<String> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("list at least one host name, e.g. www.example.com");
    }
    java.util.Set<String> exact = new java.util.HashSet<>();
    List<String> suffixes = new ArrayList<>();
    for (String name : names) {
      String trimmed = name.trim().toLowerCase(Locale.ROOT);
      boolean wildcard = trimmed.startsWith("*.");
      String host = wildcard ? trimmed.substring(2) : trimmed;
      if (!isHostName(host)) {
        throw new IllegalArgumentException("'" + name + "' is not a host name (www.example.com, *.example.com, "
            + "an IP address; no scheme, port or path)");
      }
      if (wildcard) {
        suffixes.add("." + host);
      } else {
        exact.add(host);
      }
    }
    return new SiteHosts(Set.copyOf(exact), List.copyOf(suffixes), false);
  }

  /** @param host the request's host, lower-case, without port */
  public boolean allows(String host) {
    if (any || exact.contains(host)) {
      return true;
    }
    for (String suffix : suffixes) {
      if (host.endsWith(suffix) && host.length() > suffix.length()) {
        return true;
      }
    }
    return false;
  }

  public boolean allowsAny() {
    return any;
  }

  private static boolean isHostName(String host) {
    if (host.isEmpty() || host.length() > 253) {
      return false;
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      return host.length() > 2 && host.substring(1, host.length() - 1).chars()
          .allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
    }
    String ascii;
    try {
      ascii = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
    } catch (IllegalArgumentException notAName) {
      return false;
    }
    return !ascii.isEmpty() && !ascii.startsWith(".") && !ascii.endsWith(".") && !ascii.contains("..");
  }

  @Override
  public String toString() {
    if (any) {
      return "any host";
    }
    List<String> all = new ArrayList<>(exact);
    suffixes.forEach(suffix -> all.add("*" + suffix));
    all.sort(null);
    return String.join(", ", all);
  }
}
