package dev.pagecache.internal.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The part of a secondary key an {@code Accept-Language} request field gives when a response varies
 * on it (RFC 9111 §4.1 lets a cache normalise "in a way that is known to have identical
 * semantics"): language ranges lower-cased (RFC 4647 §2: they compare ignoring case), whitespace
 * gone, ordered by weight with ties in their order, and {@code q=1} (however spelled) dropped. So
 * {@code en-US,fr;q=0.8} and {@code fr;q=0.80, EN-us} share a variant.
 *
 * <p>Whatever this does not understand, or is larger than a browser ever sends, keys as itself:
 * the worst a hostile value can do is miss, never share a variant with a different one.
 */
final class AcceptLanguageKey {
  /** Browsers send a handful of ranges; more than this is not worth parsing. */
  static final int MAX_MEMBERS = 32;
  static final int MAX_LENGTH = 1024;

  private AcceptLanguageKey() {}

  private record Range(String tag, int weight) {}

  static String of(List<String> fieldLines) {
    String raw = raw(fieldLines);
    // Non-ASCII never reaches toLowerCase: the Kelvin sign would become a 'k'.
    if (raw.length() > MAX_LENGTH || !raw.chars().allMatch(c -> c < 0x80)) {
      return raw;
    }
    List<Range> ranges = new ArrayList<>();
    for (String member : raw.split(",", -1)) {
      if (member.isBlank()) {
        continue; // RFC 9110 §5.6.1: empty list elements do not count
      }
      Range range = range(member);
      if (range == null || ranges.size() == MAX_MEMBERS) {
        return raw;
      }
      ranges.add(range);
    }
    ranges.sort(Comparator.comparingInt(Range::weight).reversed()); // List.sort is stable
    StringBuilder key = new StringBuilder();
    for (Range range : ranges) {
      if (key.length() > 0) {
        key.append(',');
      }
      key.append(range.tag());
      if (range.weight() < 1000) {
        key.append(";q=").append(weight(range.weight()));
      }
    }
    return key.toString();
  }

  /** The lines as sent, each trimmed, joined by commas: the key of a value not understood. */
  private static String raw(List<String> fieldLines) {
    StringBuilder raw = new StringBuilder();
    for (String line : fieldLines) {
      if (raw.length() > 0) {
        raw.append(',');
      }
      raw.append(line.trim());
    }
    return raw.toString();
  }

  /** RFC 9110 §12.5.4 {@code language-range [ weight ]}; null when it is not one. */
  private static Range range(String member) {
    String[] parts = member.split(";", -1);
    String tag = parts[0].trim().toLowerCase(Locale.ROOT);
    if (!isLanguageRange(tag) || parts.length > 2) {
      return null;
    }
    if (parts.length == 1) {
      return new Range(tag, 1000);
    }
    String parameter = parts[1].trim();
    if (parameter.length() < 3 || Character.toLowerCase(parameter.charAt(0)) != 'q' || parameter.charAt(1) != '=') {
      return null;
    }
    int weight = qvalue(parameter.substring(2));
    return weight < 0 ? null : new Range(tag, weight);
  }

  /** RFC 4647 §2.1 {@code 1*8ALPHA *("-" 1*8alphanum) / "*"}, already lower-cased. */
  private static boolean isLanguageRange(String tag) {
    if (tag.equals("*")) {
      return true;
    }
    String[] subtags = tag.split("-", -1);
    for (int i = 0; i < subtags.length; i++) {
      String subtag = subtags[i];
      if (subtag.isEmpty() || subtag.length() > 8) {
        return false;
      }
      for (int j = 0; j < subtag.length(); j++) {
        char c = subtag.charAt(j);
        if (!(c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9')) {
          return false;
        }
      }
    }
    return true;
  }

  /** RFC 9110 §12.4.2 qvalue in thousandths; -1 when it is not one. */
  private static int qvalue(String text) {
    if (!text.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) {
      return -1;
    }
    if (text.startsWith("1")) {
      return 1000;
    }
    String fraction = text.length() > 2 ? text.substring(2) : "";
    return fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "00").substring(0, 3));
  }

  /** Thousandths as the shortest qvalue: 800 is {@code 0.8}, 0 is {@code 0}. */
  private static String weight(int thousandths) {
    if (thousandths == 0) {
      return "0";
    }
    String digits = String.format(Locale.ROOT, "%03d", thousandths).replaceFirst("0+$", "");
    return "0." + digits;
  }
}
