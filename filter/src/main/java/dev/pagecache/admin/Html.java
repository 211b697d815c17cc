package dev.pagecache.admin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/** Escaping and formatting for the admin pages: every text from a client goes through {@link #text}. */
final class Html {
  private Html() {}

  /** {@code value} safe in element content and in a double- or single-quoted attribute. */
  static String text(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder escaped = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      String replacement = switch (c) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        default -> null;
      };
      if (replacement != null || Character.isISOControl(c) && c != '\n' && c != '\t') {
        if (escaped == null) {
          escaped = new StringBuilder(value.length() + 16).append(value, 0, i);
        }
        escaped.append(replacement != null ? replacement : "\uFFFD");
      } else if (escaped != null) {
        escaped.append(c);
      }
    }
    return escaped == null ? value : escaped.toString();
  }

  /** A query parameter's value, percent-encoded (then {@link #text} for an attribute). */
  static String param(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** {@code 2h 5m}, {@code 3m 20s}, {@code 42s}, {@code -7s}; milliseconds under a second. */
  static String duration(Duration duration) {
    boolean negative = duration.isNegative();
    Duration magnitude = duration.abs();
    long seconds = magnitude.getSeconds();
    String text;
    if (seconds == 0) {
      text = magnitude.toMillis() + "ms";
    } else if (seconds < 60) {
      text = seconds + "s";
    } else if (seconds < 3600) {
      text = seconds / 60 + "m " + seconds % 60 + "s";
    } else if (seconds < 86_400) {
      text = seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
    } else {
      text = seconds / 86_400 + "d " + seconds % 86_400 / 3600 + "h";
    }
    return negative ? "-" + text : text;
  }

  /** {@code 812 B}, {@code 20.0 KiB}, {@code 3.4 MiB}. */
  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
