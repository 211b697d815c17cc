package dev.pagecache.internal.purge;

import java.util.ArrayList;
import java.util.List;

/**
 * The version groups a page belongs to, and the group each kind of purge moves on. A page is in
 * the group of its URL ({@code u:} and its primary key), of every whole-segment prefix of its path
 * ({@code p:} and scheme, host, port and path up to a segment's end, the root {@code /} included)
 * and of each of its tags ({@code t:}). A purge of one URL, of a prefix or of a tag is then one
 * version to move on, however many pages it reaches.
 */
public final class PurgeGroups {
  /** Deeper prefixes of a path are not groups of their own: purge a shallower prefix. */
  public static final int MAX_PREFIX_DEPTH = 16;

  /** The group every page is in: its purge is a purge of everything. */
  public static final String EVERYTHING = "*";

  private PurgeGroups() {}

  /** Longer names are kept as a readable start and a hash: the fleet's log and every JVM hold names. */
  static final int MAX_NAME = 512;

  public static String url(String primaryKey) {
    return bounded("u:" + primaryKey);
  }

  /** What every tag's group starts with. */
  public static final String TAG_PREFIX = "t:";

  public static String tag(String tag) {
    return bounded(TAG_PREFIX + tag);
  }

  /**
   * The group of every URL on {@code origin} whose path is {@code normalisedPath} or lies under it:
   * {@code /wiki} and {@code /wiki/} both name {@code /wiki} and everything under it.
   *
   * @param origin {@code scheme://host:port}, as the primary key starts
   */
  public static String prefix(String origin, String normalisedPath) {
    String path = normalisedPath.isEmpty() ? "/" : normalisedPath;
    // A page is in the groups of its first MAX_PREFIX_DEPTH segments only: a deeper prefix purges
    // the prefix of that depth, more than asked for, never less.
    int slash = 0;
    for (int depth = 0; depth < MAX_PREFIX_DEPTH && slash >= 0; depth++) {
      slash = path.indexOf('/', slash + 1); // the end of segment depth + 1
    }
    if (slash > 0) {
      path = path.substring(0, slash);
    }
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return bounded("p:" + origin + path);
  }

  private static String bounded(String name) {
    if (name.length() <= MAX_NAME) {
      return name;
    }
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return name.substring(0, 128) + "#" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * All groups of a page: everything, its URL, the prefixes of its path (up to {@link #MAX_PREFIX_DEPTH}
   * segments), and its tags.
   */
  public static List<String> of(String origin, String normalisedPath, String primaryKey, List<String> tags) {
    List<String> groups = new ArrayList<>(5 + tags.size());
    groups.add(EVERYTHING);
    groups.add(url(primaryKey));
    groups.add(prefix(origin, "/"));
    int depth = 0;
    for (int slash = normalisedPath.indexOf('/', 1); depth < MAX_PREFIX_DEPTH; slash = normalisedPath.indexOf('/', slash + 1)) {
      String upTo = slash < 0 ? normalisedPath : normalisedPath.substring(0, slash);
      if (upTo.length() > 1) {
        String group = prefix(origin, upTo);
        if (!groups.contains(group)) {
          groups.add(group);
        }
      }
      depth++;
      if (slash < 0) {
        break;
      }
    }
    for (String tag : tags) {
      String group = tag(tag);
      if (!groups.contains(group)) {
        groups.add(group);
      }
    }
    return groups;
  }
}
