package dev.pagecache.internal.policy;

import dev.pagecache.internal.http.PercentEncoding;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.rules.QueryKey;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Builds cache keys. The <em>primary</em> key names a URL: scheme, host, port, path and the
 * rule's query parameters sorted by name (values of a repeated name keep their order, which can
 * matter to the page). A URL whose pages also depend on request headers or cookies keeps a
 * {@code VariantIndex} under its primary key, and the pages under <em>secondary</em> keys that add
 * the index's generation and those values. Purging a URL removes its primary key only.
 */
public final class CacheKeys {
  private static final java.util.regex.Pattern ZERO_WEIGHT = java.util.regex.Pattern.compile("q=0(\\.0{0,3})?");
  private static final Comparator<String> BY_NAME = Comparator.comparing(CacheKeys::parameterName);

  private CacheKeys() {}

  public static String primary(RequestView request, CacheRule rule) {
    return primary(request.scheme(), request.host(), request.port(), request.rawPath(),
        request.query(), rule.query());
  }

  /**
   * The primary key of a URL. Path and query are taken in their RFC 3986 §6.2.2 normal form
   * ({@link PercentEncoding}), so that every spelling of one URL ({@code %c3%a9}, {@code %C3%A9},
   * {@code é}) shares one entry and a purge of any spelling reaches it.
   */
  public static String primary(String scheme, String host, int port, String rawPath,
      Optional<String> query, QueryKey queryKey) {
    String path = PercentEncoding.normalisePath(rawPath);
    StringBuilder key = new StringBuilder(scheme.length() + host.length() + path.length() + 16)
        .append(scheme).append("://").append(host).append(':').append(port).append(path);
    if (query.isPresent() && !query.get().isEmpty() && queryKey.mode() != QueryKey.Mode.NONE) {
      String normalised = normaliseQuery(PercentEncoding.normaliseQueryComponent(query.get()), queryKey);
      if (!normalised.isEmpty()) {
        key.append('?').append(normalised);
      }
    }
    return key.toString();
  }

  /**
   * The query the application should see when its page may be stored: only the parameters the
   * key holds, in the order the client sent them; empty when that is the query as sent.
   */
  public static Optional<String> applicationQuery(Optional<String> query, QueryKey queryKey) {
    if (query.isEmpty() || queryKey.mode() == QueryKey.Mode.ALL) {
      return Optional.empty();
    }
    StringBuilder kept = new StringBuilder(query.get().length());
    boolean dropped = false;
    for (String parameter : query.get().split("&", -1)) {
      if (!parameter.isEmpty() && queryKey.includes(decodedName(parameter))) {
        kept.append(kept.length() == 0 ? "" : "&").append(parameter);
      } else {
        dropped = true;
      }
    }
    return dropped ? Optional.of(kept.toString()) : Optional.empty();
  }

  /**
   * @param steering the {@code name=value} pairs of {@link SteeringHeaders#keyed}
   * @param varyHeaders the lower-case names the stored responses vary on
   */
  public static String secondary(String primaryKey, long generation, RequestView request,
      CacheRule rule, List<String> steering, List<String> varyHeaders) {
    StringBuilder key = new StringBuilder(primaryKey.length() + 64).append(primaryKey)
        .append('#').append(Long.toHexString(generation));
    for (String pair : steering) {
      key.append("\ns:").append(pair);
    }
    for (String header : rule.keyHeaders()) {
      appendHeader(key, 'h', header, request);
    }
    for (String cookie : rule.keyCookies()) {
      key.append("\nc:").append(cookie);
      request.cookie(cookie).ifPresent(value -> key.append('=').append(value));
    }
    for (String header : varyHeaders) {
      appendHeader(key, 'v', header, request);
    }
    return key.toString();
  }

  private static void appendHeader(StringBuilder key, char kind, String name, RequestView request) {
    key.append('\n').append(kind).append(':').append(name);
    List<String> values = request.headers(name);
    if (name.equals("accept-encoding")) {
      // Every browser words it differently; what matters is which codings it can decode.
      key.append('=').append(acceptedCodings(values));
      return;
    }
    if (name.equals("accept-language") && !values.isEmpty()) {
      key.append('=').append(AcceptLanguageKey.of(values));
      return;
    }
    if (!values.isEmpty()) {
      key.append('=');
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          key.append(',');
        }
        key.append(values.get(i).trim());
      }
    }
  }

  /**
   * The content codings these {@code Accept-Encoding} lines accept, lower-cased, sorted and
   * without weights: browsers that word the same capabilities differently share a variant, and a
   * client never shares one with a client that accepts a coding it cannot decode.
   */
  static String acceptedCodings(List<String> acceptEncoding) {
    java.util.TreeSet<String> accepted = new java.util.TreeSet<>();
    for (String line : acceptEncoding) {
      for (String member : line.split(",")) {
        String[] parts = member.split(";");
        String coding = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!coding.isEmpty() && !isRefused(parts)) {
          accepted.add(coding.equals("x-gzip") ? "gzip" : coding);
        }
      }
    }
    return accepted.isEmpty() ? "identity" : String.join(",", accepted);
  }

  /** RFC 9110 §12.4.2: a weight of zero ({@code q=0}, {@code Q=0.000}) means "not acceptable". */
  private static boolean isRefused(String[] codingAndParameters) {
    for (int i = 1; i < codingAndParameters.length; i++) {
      String parameter = codingAndParameters[i].replace(" ", "").toLowerCase(java.util.Locale.ROOT);
      if (ZERO_WEIGHT.matcher(parameter).matches()) {
        return true;
      }
    }
    return false;
  }

  static String normaliseQuery(String query, QueryKey queryKey) {
    if (queryKey.mode() == QueryKey.Mode.ALL && isSorted(query)) {
      return query; // the common case: a link the site itself generated, already in order
    }
    List<String> kept = new ArrayList<>();
    for (String parameter : query.split("&")) {
      if (!parameter.isEmpty() && queryKey.includes(decodedName(parameter))) {
        kept.add(parameter);
      }
    }
    kept.sort(BY_NAME); // List.sort is stable: values of one name keep their order
    return String.join("&", kept);
  }

  /** Whether parameter names already come in order, with no empty parameters; allocates nothing. */
  private static boolean isSorted(String query) {
    int previousStart = -1;
    int previousEnd = -1;
    int start = 0;
    while (start <= query.length()) {
      int amp = query.indexOf('&', start);
      int end = amp < 0 ? query.length() : amp;
      if (end == start) {
        return false;
      }
      int eq = query.indexOf('=', start);
      int nameEnd = eq < 0 || eq > end ? end : eq;
      if (previousStart >= 0 && compareRegions(query, previousStart, previousEnd, start, nameEnd) > 0) {
        return false;
      }
      previousStart = start;
      previousEnd = nameEnd;
      start = end + 1;
      if (amp < 0) {
        break;
      }
    }
    return true;
  }

  private static int compareRegions(String text, int aStart, int aEnd, int bStart, int bEnd) {
    int length = Math.min(aEnd - aStart, bEnd - bStart);
    for (int i = 0; i < length; i++) {
      int difference = text.charAt(aStart + i) - text.charAt(bStart + i);
      if (difference != 0) {
        return difference;
      }
    }
    return (aEnd - aStart) - (bEnd - bStart);
  }

  /**
   * The first value of the parameter named {@code name} in a raw query, decoded as a form
   * value is ({@code +} is a space); empty when the query has no such parameter, or its value is
   * not well-formed percent-encoding. The name is matched decoded, as the key matches it.
   */
  static Optional<String> firstValue(String query, String name) {
    for (String parameter : query.split("&")) {
      if (!parameter.isEmpty() && decodedName(parameter).equals(name)) {
        int eq = parameter.indexOf('=');
        String value = eq < 0 ? "" : parameter.substring(eq + 1);
        try {
          return Optional.of(URLDecoder.decode(value, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException malformed) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static String parameterName(String parameter) {
    int eq = parameter.indexOf('=');
    return eq < 0 ? parameter : parameter.substring(0, eq);
  }

  private static String decodedName(String parameter) {
    String name = parameterName(parameter);
    if (name.indexOf('%') < 0 && name.indexOf('+') < 0) {
      return name;
    }
    try {
      return URLDecoder.decode(name, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return name;
    }
  }
}
