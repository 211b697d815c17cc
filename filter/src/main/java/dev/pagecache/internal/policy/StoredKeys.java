package dev.pagecache.internal.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.OptionalLong;

/**
 * Reads back what a store key says, for people: the URL a page answers and which variant it is.
 * The inverse of {@link CacheKeys}: a page's key is either its URL's primary key, or a secondary
 * key, the primary key followed by {@code #}, the variant index's generation in hex, and one line
 * per keyed value ({@code s:} steering header, {@code h:} key header, {@code c:} key cookie,
 * {@code v:} header the response varies on).
 */
public final class StoredKeys {
  /** The group name a page's URL is purged by starts so ({@code dev.pagecache.internal.purge.PurgeGroups}). */
  private static final String URL_GROUP = "u:";
  /** Key headers whose values are credentials (names as keys hold them, lower case). */
  private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie");

  private StoredKeys() {}

  /**
   * What one key says.
   *
   * @param primaryKey the URL's primary key
   * @param generation the variant index's generation, for a secondary key
   * @param variant the keyed values in words, e.g. {@code accept-language: fr; cookie theme=#1f9a0c3e};
   *     empty for a primary key
   */
  public record Parsed(String primaryKey, OptionalLong generation, String variant) {
    public boolean isVariant() {
      return generation.isPresent();
    }
  }

  /**
   * @param key the key a page is stored under
   * @param groups the page's purge groups: its URL group names its primary key, which settles
   *     where the primary key ends even when the URL itself holds a {@code #}
   */
  public static Parsed parse(String key, List<String> groups) {
    for (String group : groups) {
      int end = group.length() - URL_GROUP.length();
      if (group.startsWith(URL_GROUP) && key.regionMatches(0, group, URL_GROUP.length(), end)) {
        if (key.length() == end) {
          return new Parsed(key, OptionalLong.empty(), "");
        }
        if (key.charAt(end) == '#') {
          return secondary(key, end);
        }
      }
    }
    int lineEnd = key.indexOf('\n');
    int hash = key.lastIndexOf('#', lineEnd < 0 ? key.length() - 1 : lineEnd);
    if (hash > 0 && isHex(key, hash + 1, lineEnd < 0 ? key.length() : lineEnd)) {
      return secondary(key, hash);
    }
    return new Parsed(key, OptionalLong.empty(), "");
  }

  /**
   * The prefix every variant of one generation of a URL is stored under: the primary key, {@code #}
   * and the generation. A variant's key is this prefix alone or this prefix, a line break and more.
   */
  public static String variantPrefix(String primaryKey, long generation) {
    return primaryKey + '#' + Long.toHexString(generation);
  }

  private static Parsed secondary(String key, int hash) {
    int lineEnd = key.indexOf('\n', hash);
    int generationEnd = lineEnd < 0 ? key.length() : lineEnd;
    long generation = Long.parseUnsignedLong(key.substring(hash + 1, generationEnd), 16);
    StringBuilder variant = new StringBuilder();
    if (lineEnd >= 0) {
      for (String line : key.substring(lineEnd + 1).split("\n")) {
        if (variant.length() > 0) {
          variant.append("; ");
        }
        variant.append(describe(line));
      }
    }
    return new Parsed(key.substring(0, hash), OptionalLong.of(generation), variant.toString());
  }

  private static String describe(String line) {
    if (line.length() < 2 || line.charAt(1) != ':') {
      return line;
    }
    String keyed = line.substring(2);
    int eq = keyed.indexOf('=');
    String name = eq < 0 ? keyed : keyed.substring(0, eq);
    return switch (line.charAt(0)) {
      case 'c' -> "cookie " + name + (eq < 0 ? " (none)" : "=" + fingerprint(keyed.substring(eq + 1)));
      case 's', 'h', 'v' -> name + ": " + (eq < 0 ? "(none)"
          : CREDENTIAL_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT)) ? fingerprint(keyed.substring(eq + 1)) : keyed.substring(eq + 1));
      default -> line;
    };
  }

  /**
   * A cookie's value may be a session id, and a credential header's is a password: whoever may see
   * the admin page may purge, not sign in as someone else. Shown as a short digest, which still
   * tells two variants apart.
   */
  private static String fingerprint(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return "#" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static boolean isHex(String text, int start, int end) {
    if (end <= start || end - start > 16) {
      return false;
    }
    for (int i = start; i < end; i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
