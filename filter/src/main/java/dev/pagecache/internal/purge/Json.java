package dev.pagecache.internal.purge;

import java.util.Collection;

/** Just enough JSON for the endpoint's answer: arrays of strings, escaped per RFC 8259 §7. */
final class Json {
  private Json() {}

  static String array(Collection<?> values) {
    StringBuilder json = new StringBuilder("[");
    for (Object value : values) {
      if (json.length() > 1) {
        json.append(',');
      }
      string(json, value.toString());
    }
    return json.append(']').toString();
  }

  /**
   * Quotes and escapes {@code value}. Besides what JSON requires, {@code <}, {@code >} and
   * {@code &} are escaped too, so a tag a client chose cannot turn into markup in a page that
   * embeds the answer.
   */
  static void string(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029 || c == 0x7f) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
