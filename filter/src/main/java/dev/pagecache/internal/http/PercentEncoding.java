package dev.pagecache.internal.http;

/**
 * Syntax-based normalisation (RFC 3986 §6.2.2) of the path and query parameters of a request
 * URI as the client sent it, still percent-encoded. Clients, proxies and link generators spell one
 * URL in several ways ({@code /wiki/%c3%a9}, {@code /wiki/%C3%A9}, {@code /wiki/é},
 * {@code /wiki/./%C3%A9}); a cache key built from the normalised form makes every spelling share
 * one cache entry, and a purge of one spelling reach the others.
 *
 * <p>Only rewrites that RFC 3986 says cannot change what a URI identifies are made:
 *
 * <ol>
 *   <li><b>Case of percent-encodings</b> (§6.2.2.1): the hex digits of every percent-encoding
 *       become upper-case, {@code %c3%a9} &rarr; {@code %C3%A9}.
 *   <li><b>Percent-encoded unreserved characters</b> (§6.2.2.2, §2.3): {@code ALPHA}, {@code DIGIT},
 *       {@code -}, {@code .}, {@code _} and {@code ~} are decoded, {@code %41} &rarr; {@code A},
 *       {@code %7e} &rarr; {@code ~}. Percent-encoded <em>reserved</em> characters ({@code %2F},
 *       {@code %3F}, {@code %3B}, {@code %25}, ...) stay encoded, upper-cased only: decoding them
 *       would change the meaning (§2.2), and {@code /a%2Fb} is one segment where {@code /a/b} is two.
 *       Percent-encoded non-ASCII bytes stay encoded too: the encoded form is the URI's.
 *   <li><b>Characters that may not appear raw</b> (§2.1, §2.4, and RFC 3987 §3.1 for non-ASCII):
 *       controls, space, {@code "}, {@code <}, {@code >}, {@code \}, {@code ^}, {@code `},
 *       <code>&#123;</code>, {@code |}, <code>&#125;</code>, DEL and every non-ASCII character are
 *       percent-encoded as the UTF-8 bytes of the character, in upper-case hex, so
 *       {@code /wiki/é} (which is what {@link java.net.URI#getRawPath()} returns for a URI built
 *       from the components {@code "http", "h", "/wiki/é", null}) becomes {@code /wiki/%C3%A9}. An
 *       unpaired surrogate, which has no UTF-8 form, is written as U+FFFD ({@code %EF%BF%BD}). The
 *       raw reserved characters {@code [}, {@code ]}, {@code ?} and {@code #} are left alone, like
 *       every other reserved character.
 *   <li><b>Dot segments</b>, in paths only (§6.2.2.3): removed as by {@code remove_dot_segments} of
 *       §5.2.4, after step 2, so {@code %2E} counts as {@code .}: {@code /a/./b} &rarr; {@code /a/b},
 *       {@code /a/b/../c} &rarr; {@code /a/c}, {@code /a/%2e%2E/c} &rarr; {@code /c}, and
 *       {@code /..} &rarr; {@code /}. Only whole segments {@code .} and {@code ..} count:
 *       {@code /a/..b}, {@code /a/...} and {@code /a/..;x} are left as they are.
 * </ol>
 *
 * <p><b>A stray {@code %}</b>, one not followed by two hex digits, never makes these methods throw:
 * it is written as {@code %25}, so {@code /100%} becomes {@code /100%25} and {@code /a%zz} becomes
 * {@code /a%25zz}. A lenient server reads a stray {@code %} as itself, which is what {@code %25}
 * means, and {@link java.net.URI}'s multi-argument constructors write it the same way (a strict
 * server rejects such a request, and a 400 is not cacheable by default). Leaving it bare instead
 * would make the normalisation not idempotent: {@code %%341} would become {@code %41}, which a
 * second pass would turn into {@code A}.
 *
 * <p>Nothing else is touched: not {@code +} in a query (RFC 3986 does not equate it with
 * {@code %20}; only HTML forms do), not empty segments ({@code //}), not path parameters
 * ({@code ;}), not a trailing slash. Each of those can change what an application serves.
 *
 * <p>The result is idempotent: normalising a normalised string returns that very string. Both
 * methods run on every cache lookup, so each first scans its input once without allocating and
 * returns the same {@code String} instance when nothing needs changing, which is the common case
 * of a link the site generated itself ({@code /wiki/Home}, {@code /a/b.css}); they allocate only
 * when they rewrite something.
 */
public final class PercentEncoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** ASCII characters that may stay as they are (everything but {@code %} and what step 3 encodes). */
  private static final boolean[] RAW_OK = new boolean[128];

  static {
    for (char c = 0x21; c < 0x7F; c++) {
      RAW_OK[c] = true;
    }
    for (char c : "%\"<>\\^`{|}".toCharArray()) {
      RAW_OK[c] = false;
    }
  }

  private PercentEncoding() {}

  /**
   * The RFC 3986 §6.2.2 normal form of a raw (percent-encoded) URI path: percent-encodings
   * upper-cased, unreserved characters decoded, characters that may not appear raw encoded as
   * UTF-8, a stray {@code %} written {@code %25}, then dot segments removed. An empty path (or one
   * that normalises to nothing, such as {@code .}) becomes {@code /}. Never throws on malformed
   * input.
   *
   * @param rawPath the path as the client sent it, such as {@code HttpServletRequest.getRequestURI()}
   * @return {@code rawPath} itself when it is already normal, otherwise a new string
   * @throws NullPointerException if {@code rawPath} is null
   */
  public static String normalisePath(String rawPath) {
    int length = rawPath.length();
    if (length == 0) {
      return "/";
    }
    int segmentStart = 0;
    for (int i = 0; i < length; i++) {
      char c = rawPath.charAt(i);
      if (c == '/') {
        if (isDotSegment(rawPath, segmentStart, i)) {
          return removeDotSegments(rewrite(rawPath, i));
        }
        segmentStart = i + 1;
      } else if (c == '%') {
        if (!isNormalEscape(rawPath, i)) {
          return removeDotSegments(rewrite(rawPath, i));
        }
        i += 2;
      } else if (c >= 128 || !RAW_OK[c]) {
        return removeDotSegments(rewrite(rawPath, i));
      }
    }
    return isDotSegment(rawPath, segmentStart, length) ? removeDotSegments(rawPath) : rawPath;
  }

  /**
   * The RFC 3986 §6.2.2 normal form of one raw query parameter name or value: the same rewrites as
   * {@link #normalisePath} but for dot segments. {@code +} is left alone, as are {@code &} and
   * {@code =} (the caller has already split the query on the raw ones, and {@code %26} and
   * {@code %3D} stay encoded). Never throws on malformed input.
   *
   * @param raw a parameter name or value as the client sent it, possibly empty
   * @return {@code raw} itself when it is already normal, otherwise a new string
   * @throws NullPointerException if {@code raw} is null
   */
  public static String normaliseQueryComponent(String raw) {
    int length = raw.length();
    for (int i = 0; i < length; i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (!isNormalEscape(raw, i)) {
          return rewrite(raw, i);
        }
        i += 2;
      } else if (c >= 128 || !RAW_OK[c]) {
        return rewrite(raw, i);
      }
    }
    return raw;
  }

  /** Whether the {@code %} at {@code i} starts an upper-case encoding of a character that needs one. */
  private static boolean isNormalEscape(String s, int i) {
    if (i + 2 >= s.length()) {
      return false;
    }
    char high = s.charAt(i + 1);
    char low = s.charAt(i + 2);
    return isUpperHex(high) && isUpperHex(low)
        && !isUnreserved((char) (hexValue(high) << 4 | hexValue(low)));
  }

  /** Steps 1 to 3 on {@code s}, which is known to be normal before {@code from}. */
  private static String rewrite(String s, int from) {
    int length = s.length();
    StringBuilder out = new StringBuilder(length + 16).append(s, 0, from);
    int i = from;
    while (i < length) {
      char c = s.charAt(i);
      if (c == '%') {
        int high = i + 2 < length ? hexValue(s.charAt(i + 1)) : -1;
        int low = high >= 0 ? hexValue(s.charAt(i + 2)) : -1;
        if (low < 0) {
          out.append("%25"); // a stray '%' stands for itself
          i++;
          continue;
        }
        char decoded = (char) (high << 4 | low);
        if (isUnreserved(decoded)) {
          out.append(decoded);
        } else {
          appendEscape(out, decoded);
        }
        i += 3;
      } else if (c < 128) {
        if (RAW_OK[c]) {
          out.append(c);
        } else {
          appendEscape(out, c);
        }
        i++;
      } else {
        int codePoint = c;
        int width = 1;
        if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
          codePoint = Character.toCodePoint(c, s.charAt(i + 1));
          width = 2;
        } else if (Character.isSurrogate(c)) {
          codePoint = 0xFFFD; // an unpaired surrogate has no UTF-8 form
        }
        appendUtf8(out, codePoint);
        i += width;
      }
    }
    return out.toString();
  }

  private static void appendUtf8(StringBuilder out, int codePoint) {
    if (codePoint < 0x800) {
      appendEscape(out, 0xC0 | codePoint >> 6);
    } else if (codePoint < 0x10000) {
      appendEscape(out, 0xE0 | codePoint >> 12);
      appendEscape(out, 0x80 | (codePoint >> 6 & 0x3F));
    } else {
      appendEscape(out, 0xF0 | codePoint >> 18);
      appendEscape(out, 0x80 | (codePoint >> 12 & 0x3F));
      appendEscape(out, 0x80 | (codePoint >> 6 & 0x3F));
    }
    appendEscape(out, 0x80 | (codePoint & 0x3F));
  }

  private static void appendEscape(StringBuilder out, int octet) {
    out.append('%').append(HEX[octet >> 4 & 0xF]).append(HEX[octet & 0xF]);
  }

  /**
   * RFC 3986 §5.2.4 {@code remove_dot_segments}, on a path already through steps 1 to 3 (so that
   * {@code %2E} is already {@code .}). Returns {@code path} itself when it has no dot segment.
   */
  static String removeDotSegments(String path) {
    if (!hasDotSegment(path)) {
      return path.isEmpty() ? "/" : path;
    }
    int length = path.length();
    StringBuilder out = new StringBuilder(length);
    int i = 0;
    while (i < length) {
      if (path.startsWith("../", i)) {                       // A
        i += 3;
      } else if (path.startsWith("./", i)) {                 // A
        i += 2;
      } else if (path.startsWith("/./", i)) {                // B: "/./" becomes "/"
        i += 2;
      } else if (i + 2 == length && path.startsWith("/.", i)) { // B: a final "/." becomes "/"
        out.append('/');
        i = length;
      } else if (path.startsWith("/../", i)) {               // C: "/../" becomes "/", drop a segment
        i += 3;
        dropLastSegment(out);
      } else if (i + 3 == length && path.startsWith("/..", i)) { // C: a final "/.." becomes "/"
        dropLastSegment(out);
        out.append('/');
        i = length;
      } else if (i + 1 == length && path.charAt(i) == '.'
          || i + 2 == length && path.startsWith("..", i)) {  // D
        i = length;
      } else {                                               // E: move one segment to the output
        int next = path.indexOf('/', i + 1);
        int end = next < 0 ? length : next;
        out.append(path, i, end);
        i = end;
      }
    }
    return out.length() == 0 ? "/" : out.toString();
  }

  private static void dropLastSegment(StringBuilder out) {
    int slash = out.lastIndexOf("/");
    out.setLength(Math.max(slash, 0));
  }

  private static boolean hasDotSegment(String path) {
    int segmentStart = 0;
    for (int i = 0; i <= path.length(); i++) {
      if (i == path.length() || path.charAt(i) == '/') {
        if (isDotSegment(path, segmentStart, i)) {
          return true;
        }
        segmentStart = i + 1;
      }
    }
    return false;
  }

  private static boolean isDotSegment(String s, int start, int end) {
    int length = end - start;
    return (length == 1 || length == 2) && s.charAt(start) == '.' && s.charAt(end - 1) == '.';
  }

  /** RFC 3986 §2.3: ALPHA / DIGIT / "-" / "." / "_" / "~". */
  private static boolean isUnreserved(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  private static boolean isUpperHex(char c) {
    return c >= '0' && c <= '9' || c >= 'A' && c <= 'F';
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }
}
