package dev.pagecache.memcached;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Turns cache keys into memcached keys: at most 250 bytes, no spaces or control characters.
 * A key that does not fit is replaced by a readable prefix and the SHA-256 of the whole key, so
 * two different URLs never share an entry.
 */
final class SafeKeys {
  static final int MAX_KEY_BYTES = 250;
  private static final int READABLE_PREFIX = 120;

  private SafeKeys() {}

  static String of(String prefix, String key) {
    String full = prefix + key;
    if (full.length() <= MAX_KEY_BYTES && isSafe(full)) {
      return full;
    }
    StringBuilder readable = new StringBuilder(READABLE_PREFIX);
    for (int i = 0; i < full.length() && readable.length() < READABLE_PREFIX; i++) {
      char c = full.charAt(i);
      readable.append(c > ' ' && c < 127 ? c : '_');
    }
    return readable.append('#').append(sha256(full)).toString();
  }

  private static boolean isSafe(String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c <= ' ' || c >= 127) {
        return false; // control characters, spaces, and anything not one byte in UTF-8
      }
    }
    return true;
  }

  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
