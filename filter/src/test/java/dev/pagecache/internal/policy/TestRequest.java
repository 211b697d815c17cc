package dev.pagecache.internal.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link RequestView} over plain maps, for policy tests. Header lookup ignores case, as a servlet
 * container's does; a cookie set to {@code ""} is present with an empty value.
 *
 * <pre>{@code
 * TestRequest.get("/links?page=2").header("Accept-Language", "de").cookie("user", "alice").build()
 * }</pre>
 */
final class TestRequest implements RequestView {
  private final String method;
  private final String scheme;
  private final String host;
  private final int port;
  private final String path;
  private final String rawPath;
  private final Optional<String> query;
  private final Map<String, List<String>> headers;
  private final Map<String, String> cookies;
  private final boolean authenticated;
  private final SessionId sessionId;

  private TestRequest(Builder builder) {
    this.sessionId = builder.sessionId;
    this.authenticated = builder.authenticated;
    this.method = builder.method;
    this.scheme = builder.scheme;
    this.host = builder.host;
    this.port = builder.port;
    this.path = builder.path;
    this.rawPath = builder.rawPath != null ? builder.rawPath : builder.path;
    this.query = Optional.ofNullable(builder.query);
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    builder.headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    this.headers = copy;
    this.cookies = Map.copyOf(builder.cookies);
  }

  /** A GET for {@code pathAndQuery} ({@code /a?b=c}) on {@code http://example.com:80}. */
  static Builder get(String pathAndQuery) {
    return request("GET", pathAndQuery);
  }

  static Builder head(String pathAndQuery) {
    return request("HEAD", pathAndQuery);
  }

  static Builder request(String method, String pathAndQuery) {
    Builder builder = new Builder().method(method);
    int question = pathAndQuery.indexOf('?');
    if (question < 0) {
      return builder.path(pathAndQuery);
    }
    return builder.path(pathAndQuery.substring(0, question)).query(pathAndQuery.substring(question + 1));
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String scheme() {
    return scheme;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public int port() {
    return port;
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
    return Optional.ofNullable(cookies.get(name));
  }

  @Override
  public boolean authenticated() {
    return authenticated;
  }

  @Override
  public SessionId sessionId() {
    return sessionId;
  }

  @Override
  public String toString() {
    return method + " " + scheme + "://" + host + ":" + port + rawPath + query.map(q -> "?" + q).orElse("")
        + " " + headers + " cookies=" + cookies;
  }

  static final class Builder {
    private String method = "GET";
    private String scheme = "http";
    private String host = "example.com";
    private int port = 80;
    private String path = "/";
    private String rawPath;
    private String query;
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private boolean authenticated;
    private SessionId sessionId = SessionId.NONE;

    /** A request that names a session of the container, in its cookie or its URL. */
    Builder session(SessionId sessionId) {
      this.sessionId = sessionId;
      return this;
    }

    /** A user logged in by the container (a principal, no Authorization header). */
    Builder authenticated() {
      this.authenticated = true;
      return this;
    }

    Builder method(String method) {
      this.method = method;
      return this;
    }

    Builder scheme(String scheme) {
      this.scheme = scheme;
      return this;
    }

    Builder host(String host) {
      this.host = host;
      return this;
    }

    Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The decoded path rules match; also the raw path, unless {@link #rawPath} says otherwise. */
    Builder path(String path) {
      this.path = path;
      return this;
    }

    Builder rawPath(String rawPath) {
      this.rawPath = rawPath;
      return this;
    }

    Builder query(String query) {
      this.query = query;
      return this;
    }

    /** Adds one value; call again with the same name for a repeated field. */
    Builder header(String name, String value) {
      headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      return this;
    }

    Builder cookie(String name, String value) {
      cookies.put(name, value);
      return this;
    }

    TestRequest build() {
      return new TestRequest(this);
    }
  }
}
