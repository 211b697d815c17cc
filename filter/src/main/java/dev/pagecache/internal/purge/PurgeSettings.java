package dev.pagecache.internal.purge;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The purge endpoint's settings: where it listens inside the application, and who may use it.
 * It is on only when some access is configured (a token, an allow-list, or both).
 *
 * @param path the path of {@code POST} purges inside the application, e.g. {@value #DEFAULT_PATH}
 * @param access who may purge
 */
public record PurgeSettings(String path, PurgeAccess access) {
  /** Where {@code POST} purges go unless configured otherwise: {@value}. */
  public static final String DEFAULT_PATH = "/pagecache/purge";

  /** Segments of plain characters: no query, fragment, wildcard, percent-escape or dot segment. */
  private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9_~!$&'()+,;=:@.-]+)+");

  public PurgeSettings {
    checkPath("path", path);
    Objects.requireNonNull(access, "access");
  }

  /**
   * @throws IllegalArgumentException naming {@code name} when {@code path} is not a plain path
   *     inside the application
   */
  public static void checkPath(String name, String path) {
    Objects.requireNonNull(path, name);
    if (!PATH.matcher(path).matches() || path.contains("/./") || path.contains("/../")
        || path.endsWith("/.") || path.endsWith("/..")) {
      throw new IllegalArgumentException(name + " must be a plain path inside the application such as "
          + DEFAULT_PATH + " (no query, wildcard, escape or dot segment), was '" + path + "'");
    }
  }

  @Override
  public String toString() {
    return "PURGE <url> and POST " + path + " (" + access + ")";
  }
}
