package dev.pagecache.bench;

import dev.pagecache.internal.policy.RequestView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link RequestView} with fixed values, answering the way {@code ServletRequestView} does
 * (header lookup ignores case; values come back as a list). Immutable, so one instance serves
 * every invocation.
 */
final class BenchRequest implements RequestView {
  private final String method;
  private final String path;
  private final String rawPath;
  private final Optional<String> query;
  private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  /**
   * @param target path and query as sent, e.g. {@code /search?q=x}; there is no context path, so the
   *     path in the application is the raw path (the targets used here need no decoding)
   */
  BenchRequest(String method, String target, Map<String, String> headerFields) {
    int question = target.indexOf('?');
    this.method = method;
    this.rawPath = question < 0 ? target : target.substring(0, question);
    this.path = rawPath;
    this.query = question < 0 ? Optional.empty() : Optional.of(target.substring(question + 1));
    headerFields.forEach((name, value) -> headers.put(name, List.of(value)));
  }

  /** What a current browser sends with a page request, without cookies or credentials. */
  static Map<String, String> browserHeaders() {
    return Map.of(
        "Host", "www.example.com",
        "User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Language", "en-GB,en;q=0.5",
        "Accept-Encoding", "gzip, deflate, br, zstd");
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String scheme() {
    return "http";
  }

  @Override
  public String host() {
    return "www.example.com";
  }

  @Override
  public int port() {
    return 80;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String rawPath() {
    return rawPath;
  }

  @Override
  public Optional<String> query() {
    return query;
  }

  @Override
  public List<String> headers(String name) {
    return headers.getOrDefault(name, List.of());
  }

  @Override
  public Optional<String> cookie(String name) {
    return Optional.empty();
  }

  /** An anonymous visitor: no user principal. */
  @Override
  public boolean authenticated() {
    return false;
  }

  @Override
  public SessionId sessionId() {
    return SessionId.NONE;
  }
}
