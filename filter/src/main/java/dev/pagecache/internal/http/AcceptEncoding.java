package dev.pagecache.internal.http;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A request's {@code Accept-Encoding} (RFC 9110 §12.5.3), parsed once: which content codings the
 * client takes, and how much it wants each ({@code q}, in thousandths). Every byte of it may come
 * from an attacker: a malformed member is ignored, as if the client had not sent it, and only the
 * first {@value #MAX_MEMBERS} members count; nothing here throws.
 *
 * <p>A request without the field gets {@code identity}: the RFC would allow any coding, but clients
 * that send none are tools and old proxies that expect plain bytes, and every server answers them so.
 */
public final class AcceptEncoding {
  public static final String IDENTITY = "identity";
  /** More than any browser sends: the rest of a longer list is ignored. */
  static final int MAX_MEMBERS = 32;
  private static final int NOT_LISTED = -1;
  private static final int FULL = 1000;
  /** The weight of an identity the client did not name: the least there is. */
  private static final int IMPLICIT = 1;
  private static final AcceptEncoding IDENTITY_ONLY = new AcceptEncoding(new String[0], new int[0], 0);

  private final String[] codings;
  private final int[] qualities;
  private final int count;

  private AcceptEncoding(String[] codings, int[] qualities, int count) {
    this.codings = codings;
    this.qualities = qualities;
    this.count = count;
  }

  /** What a request without the field accepts: {@code identity} only. */
  public static AcceptEncoding identityOnly() {
    return IDENTITY_ONLY;
  }

  /** @param fieldLines the request's {@code Accept-Encoding} field lines; none means identity only */
  public static AcceptEncoding parse(List<String> fieldLines) {
    if (fieldLines.isEmpty()) {
      return IDENTITY_ONLY;
    }
    String[] codings = new String[MAX_MEMBERS];
    int[] qualities = new int[MAX_MEMBERS];
    int count = 0;
    // Malformed members count too: a field of thousands of them is not read past the first few.
    int members = 0;
    for (String line : fieldLines) {
      int start = 0;
      while (start <= line.length() && members < MAX_MEMBERS) {
        members++;
        int comma = line.indexOf(',', start);
        int end = comma < 0 ? line.length() : comma;
        int nameEnd = indexOf(line, ';', start, end);
        String coding = token(line, start, nameEnd);
        int quality = nameEnd == end ? FULL : quality(line, nameEnd + 1, end);
        if (coding != null && quality != NOT_LISTED) {
          codings[count] = coding;
          qualities[count] = quality;
          count++;
        }
        if (comma < 0) {
          break;
        }
        start = comma + 1;
      }
    }
    return new AcceptEncoding(codings, qualities, count);
  }

  /**
   * How much the client wants {@code coding}, in thousandths: 0 when it refuses it. A stacked
   * coding ({@code gzip, br}, as an origin may send it) is as acceptable as its least acceptable part.
   */
  public int quality(String coding) {
    if (coding.indexOf(',') >= 0) {
      int least = FULL;
      for (String part : coding.split(",")) {
        String trimmed = part.trim();
        if (!trimmed.isEmpty()) {
          least = Math.min(least, quality(trimmed));
        }
      }
      return least;
    }
    String name = canonical(coding.toLowerCase(Locale.ROOT));
    int listed = listed(name);
    if (listed != NOT_LISTED) {
      return listed;
    }
    int any = listed("*");
    if (name.equals(IDENTITY) && any == NOT_LISTED) {
      // Acceptable unless refused by name or by "*;q=0" (RFC 9110 §12.5.3), but never preferred
      // to a coding the client named.
      return IMPLICIT;
    }
    return any == NOT_LISTED ? 0 : any;
  }

  public boolean accepts(String coding) {
    return quality(coding) > 0;
  }

  /**
   * The coding to send, of those available, in the server's order of preference: the highest
   * {@code q} wins, and among equals the first available. Empty when the client refuses them all.
   */
  public Optional<String> choose(List<String> availableByPreference) {
    String best = null;
    int bestQuality = 0;
    for (String coding : availableByPreference) {
      int quality = quality(coding);
      if (quality > bestQuality) {
        best = coding;
        bestQuality = quality;
      }
    }
    return Optional.ofNullable(best);
  }

  private int listed(String name) {
    for (int i = 0; i < count; i++) {
      if (codings[i].equals(name)) {
        return qualities[i];
      }
    }
    return NOT_LISTED;
  }

  /** RFC 9110 §8.4.1.3: {@code x-gzip} is {@code gzip}. */
  private static String canonical(String coding) {
    return coding.equals("x-gzip") ? "gzip" : coding;
  }

  /** The coding name between {@code start} and {@code end}, lower-cased; null unless it is a token. */
  private static String token(String line, int start, int end) {
    while (start < end && isSpace(line.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(line.charAt(end - 1))) {
      end--;
    }
    if (start == end) {
      return null;
    }
    for (int i = start; i < end; i++) {
      char c = line.charAt(i);
      if (!(c == '*' || c == '-' || c == '.' || c == '_' || c == '+' || c == '!' || c == '~'
          || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
        return null;
      }
    }
    return canonical(line.substring(start, end).toLowerCase(Locale.ROOT));
  }

  /**
   * The weight in the parameters between {@code start} and {@code end} ({@code q=0.5}), in
   * thousandths; {@link #NOT_LISTED} when they are malformed. Other parameters are ignored.
   */
  private static int quality(String line, int start, int end) {
    int quality = FULL;
    int paramStart = start;
    if (paramStart >= end) {
      return NOT_LISTED; // "gzip;" has an empty parameter
    }
    while (paramStart < end) {
      int paramEnd = indexOf(line, ';', paramStart, end);
      int equals = indexOf(line, '=', paramStart, paramEnd);
      if (equals == paramEnd) {
        return NOT_LISTED;
      }
      String name = line.substring(paramStart, equals).trim();
      if (name.isEmpty()) {
        return NOT_LISTED;
      }
      if (name.equalsIgnoreCase("q")) {
        quality = qvalue(line.substring(equals + 1, paramEnd).trim());
        if (quality == NOT_LISTED) {
          return NOT_LISTED;
        }
      }
      paramStart = paramEnd + 1;
    }
    return quality;
  }

  /** RFC 9110 §12.4.2: {@code 0[.ddd]} or {@code 1[.000]}; anything else is malformed. */
  private static int qvalue(String text) {
    if (text.isEmpty() || text.length() > 5 || (text.charAt(0) != '0' && text.charAt(0) != '1')) {
      return NOT_LISTED;
    }
    int whole = text.charAt(0) - '0';
    if (text.length() == 1) {
      return whole * FULL;
    }
    if (text.charAt(1) != '.') {
      return NOT_LISTED;
    }
    int thousandths = 0;
    int scale = 100;
    for (int i = 2; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return NOT_LISTED;
      }
      thousandths += (c - '0') * scale;
      scale /= 10;
    }
    if (whole == 1 && thousandths > 0) {
      return NOT_LISTED;
    }
    return whole * FULL + thousandths;
  }

  /** The first {@code c} in {@code [from, to)}, else {@code to}: a search never runs past its member. */
  private static int indexOf(String line, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (line.charAt(i) == c) {
        return i;
      }
    }
    return to;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("AcceptEncoding[");
    for (int i = 0; i < count; i++) {
      text.append(i == 0 ? "" : ", ").append(codings[i]).append(";q=").append(qualities[i] / 1000.0);
    }
    return text.append(']').toString();
  }
}
