package dev.pagecache.demo.server;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Jetty's transparent {@link ProxyServlet} as a reverse proxy behind {@code PageCacheFilter}.
 * Init-params are {@code ProxyServlet.Transparent}'s: {@code proxyTo} (required),
 * {@code preserveHost}, {@code viaHost}, {@code timeout}, {@code maxThreads},
 * {@code maxConnections}, {@code idleTimeout}..., plus {@value #CONNECT_TIMEOUT_PARAM} and
 * {@value #MAX_REQUESTS_QUEUED_PARAM}.
 *
 * <p>It proxies asynchronously, as Jetty designed it: the request thread returns once the request
 * is sent, and the HTTP client's own threads write the origin's answer; no thread waits for the
 * origin. The filter holds and stores what they write as it does any page written asynchronously,
 * when the proxy completes the request.
 *
 * <p>What it adds to Jetty's behaviour:
 * <ul>
 *   <li>No answer from the origin is a short 502, 503 or 504 whose RFC 9209 {@code Proxy-Status}
 *       names the cause ({@link OriginFailure}), e.g.
 *       {@code Proxy-Status: pagecache; error=http_response_timeout}.</li>
 *   <li>{@code X-Forwarded-For} (the client's address appended to any list the client sent),
 *       {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and {@code X-Forwarded-Port} (what
 *       this server saw, replacing anything the client sent), besides the RFC 7239
 *       {@code Forwarded} and {@code Via} that Jetty 12.1 sends; many origins read only the
 *       former.</li>
 *   <li>Absolute {@code Location} and {@code Content-Location} values that point at the origin are
 *       rewritten to point at this server, as a reverse proxy must for redirects to work when the
 *       origin builds them from its own host name (Apache's {@code ProxyPassReverse}, nginx's
 *       default {@code proxy_redirect}).</li>
 *   <li>{@code Via} on responses too (RFC 9110 §7.6.3), so a client can see it went through us.</li>
 *   <li>The origin's {@code Content-Length} is not copied: the container computes it for bodies up
 *       to {@value #MAX_BUFFERED_BODY} bytes and sends larger ones chunked (see
 *       {@link #onServerResponseHeaders}). A leftover of the cache's old streaming capture: the
 *       filter now holds a miss until it has stored it, so this is no longer needed.</li>
 * </ul>
 *
 * <p>A {@code Forwarded} field a client sends is replaced, not appended to, and the fields an
 * origin's {@code Connection} names are dropped with it (RFC 9110 §7.6.1).
 *
 * <p>Everything else passes unchanged in both directions: every method with its body, every other
 * header field but the hop-by-hop ones (RFC 9110 §7.6.1), and the body bytes as the origin encoded
 * them. Response field values go out as the origin wrote them, byte for byte (see
 * {@link #copyServerResponseHeaders}).
 */
public class ReverseProxyServlet extends ProxyServlet.Transparent {
  /** Largest body held back whole in the response buffer (see {@link #onServerResponseHeaders}). */
  static final int MAX_BUFFERED_BODY = 1 << 20;
  /** Init-param: how long the client waits for a connection to the origin, in milliseconds. */
  static final String CONNECT_TIMEOUT_PARAM = "connectTimeout";
  /** Init-param: how many requests may wait for a connection to the origin; more are answered 503. */
  static final String MAX_REQUESTS_QUEUED_PARAM = "maxRequestsQueued";
  /** RFC 9209: what the proxy says about its own error answers. */
  static final String PROXY_STATUS = "Proxy-Status";
  private static final String RETRY_AFTER_SECONDS = "1";

  private URI origin;
  private String originPath;

  @Override
  public void init(ServletConfig config) throws ServletException {
    super.init(config);
    origin = URI.create(config.getInitParameter("proxyTo"));
    String path = origin.getRawPath() == null ? "" : origin.getRawPath();
    originPath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /**
   * Jetty's client with the two settings its init-params lack: {@value #CONNECT_TIMEOUT_PARAM}
   * (ms) and {@value #MAX_REQUESTS_QUEUED_PARAM}. Its executor ({@code maxThreads}), connection
   * limit ({@code maxConnections}), {@code idleTimeout} and total {@code timeout} are Jetty's own
   * init-params.
   */
  @Override
  protected HttpClient newHttpClient() {
    HttpClient client = super.newHttpClient();
    ServletConfig config = getServletConfig();
    client.setConnectTimeout(longParam(config, CONNECT_TIMEOUT_PARAM, client.getConnectTimeout()));
    client.setMaxRequestsQueuedPerDestination(
        (int) longParam(config, MAX_REQUESTS_QUEUED_PARAM, client.getMaxRequestsQueuedPerDestination()));
    return client;
  }

  private static long longParam(ServletConfig config, String name, long otherwise) {
    String value = config.getInitParameter(name);
    return value == null ? otherwise : Long.parseLong(value.trim());
  }

  /**
   * No answer from the origin: a short plain-text 502, 503 or 504 that names the cause in
   * {@code Proxy-Status} (RFC 9209), never stored ({@code no-store}, and the cache stores no 5xx).
   * Jetty's own answer is the container's error page with no cause. When part of the origin's
   * answer has already gone out, only closing the connection can tell the client the rest is
   * missing: that stays Jetty's.
   */
  @Override
  protected void onProxyResponseFailure(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
      Response serverResponse, Throwable failure) {
    if (proxyResponse.isCommitted()) {
      super.onProxyResponseFailure(clientRequest, proxyResponse, serverResponse, failure);
      return;
    }
    OriginFailure why = OriginFailure.of(failure);
    if (_log.isDebugEnabled()) {
      _log.debug("{} {} {}: {}", clientRequest.getMethod(), clientRequest.getRequestURI(), why.proxyStatus(),
          failure.toString());
    }
    try {
      proxyResponse.reset();
      proxyResponse.setStatus(why.status());
      proxyResponse.setHeader(PROXY_STATUS, why.proxyStatus());
      proxyResponse.setHeader("Cache-Control", "no-store");
      if (why.isTransient()) {
        proxyResponse.setHeader("Retry-After", RETRY_AFTER_SECONDS);
      }
      proxyResponse.setContentType("text/plain;charset=utf-8");
      byte[] body = why.body().getBytes(StandardCharsets.UTF_8);
      proxyResponse.setContentLength(body.length);
      proxyResponse.getOutputStream().write(body);
    } catch (IOException | RuntimeException e) {
      _log.debug("the error answer could not be written", e);
    } finally {
      if (clientRequest.isAsyncStarted()) {
        clientRequest.getAsyncContext().complete();
      }
    }
  }

  @Override
  protected void addProxyHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
    // This server is where clients enter: a Forwarded a client sent is a claim, not a hop. Jetty
    // would append ours to it, and the origin would read the client's host and proto first.
    proxyRequest.headers(headers -> headers.remove(HttpHeader.FORWARDED));
    super.addProxyHeaders(clientRequest, proxyRequest); // Via, and Forwarded (RFC 7239)
    String clientHost = clientRequest.getHeader("Host");
    proxyRequest.headers(headers -> {
      List<String> chain = headers.getValuesList(HttpHeader.X_FORWARDED_FOR);
      String forwardedFor = clientRequest.getRemoteAddr();
      if (!chain.isEmpty()) {
        forwardedFor = String.join(", ", chain) + ", " + forwardedFor;
      }
      headers.put(HttpHeader.X_FORWARDED_FOR, forwardedFor);
      headers.put(HttpHeader.X_FORWARDED_PROTO, clientRequest.getScheme());
      if (clientHost != null) {
        headers.put(HttpHeader.X_FORWARDED_HOST, clientHost);
      } else {
        headers.remove(HttpHeader.X_FORWARDED_HOST);
      }
      headers.put(HttpHeader.X_FORWARDED_PORT, Integer.toString(clientRequest.getLocalPort()));
    });
  }

  @Override
  protected HttpField filterServerResponseHeader(HttpServletRequest clientRequest, Response serverResponse,
      HttpField field) {
    // RFC 9110 §7.6.1: the fields the origin's Connection names are for this hop only. Jetty drops
    // Connection itself, so past this point nobody could tell them from end-to-end fields.
    for (String option : serverResponse.getHeaders().getCSV(HttpHeader.CONNECTION, false)) {
      if (field.is(option.trim())) {
        return null;
      }
    }
    if (field.is("Location") || field.is("Content-Location")) {
      String rewritten = rewriteLocation(clientRequest, field.getValue());
      return rewritten.equals(field.getValue()) ? field : new HttpField(field.getHeader(), field.getName(), rewritten);
    }
    if (field.getHeader() == HttpHeader.CONTENT_LENGTH && !clientRequest.getMethod().equals("HEAD")) {
      return null; // see onServerResponseHeaders
    }
    return field;
  }

  /**
   * Copies the origin's header fields but {@code Content-Length}, and holds bodies up to
   * {@value #MAX_BUFFERED_BODY} bytes back in the response buffer: a buffered body goes out with
   * the {@code Content-Length} the container computes, a larger one chunked. This kept the response
   * from ending before the cache had stored it, back when the cache streamed misses; the cache now
   * holds a miss until it is stored, so it is kept only until the proxy is reworked.
   */
  @Override
  protected void onServerResponseHeaders(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
      Response serverResponse) {
    long length = serverResponse.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
    if (length >= 0 && length <= MAX_BUFFERED_BODY) {
      // Also raises the size up to which a write is buffered rather than sent at once.
      proxyResponse.setBufferSize(Math.max(proxyResponse.getBufferSize(), (int) length + 1024));
    }
    copyServerResponseHeaders(clientRequest, proxyResponse, serverResponse);
    String version = serverResponse.getVersion() == null ? "1.1"
        : serverResponse.getVersion().asString().replaceFirst("^HTTP/", "");
    String ours = version + " " + getViaHost();
    String theirs = serverResponse.getHeaders().getValuesList(HttpHeader.VIA).stream()
        .reduce((a, b) -> a + ", " + b).orElse(null);
    proxyResponse.setHeader(HttpHeader.VIA.asString(), theirs == null ? ours : theirs + ", " + ours);
  }

  /**
   * What Jetty's {@code onServerResponseHeaders} does, but with each value as the origin sent it.
   * Jetty writes {@code String.join(",", field.getValueList())}: the value parsed as a quoted
   * comma-separated list and put back together, which drops the whitespace around {@code ;}
   * ({@code X-XSS-Protection: 1; mode=block} became {@code 1;mode=block}) and the quotes of quoted
   * strings ({@code a; b="c, d"} became {@code a;b=c, d}, a different value). A proxy forwards
   * field values untouched (RFC 9110 §7.6), and the cache stores what the client got.
   */
  private void copyServerResponseHeaders(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
      Response serverResponse) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (HttpField serverField : serverResponse.getHeaders()) {
      String name = serverField.getName();
      String lowerCase = name.toLowerCase(Locale.ROOT);
      if (HOP_HEADERS.contains(lowerCase)) {
        continue;
      }
      HttpField field = filterServerResponseHeader(clientRequest, serverResponse, serverField);
      if (field == null) {
        continue;
      }
      String value = field.getValue() == null ? "" : field.getValue();
      if (seen.add(lowerCase)) {
        proxyResponse.setHeader(name, value); // replaces what a filter in front may have set
      } else {
        proxyResponse.addHeader(name, value);
      }
    }
  }

  /**
   * An absolute URL on the origin, below its base path, as the same URL on this server, e.g.
   * {@code http://origin:9000/base/a?b} to {@code http://proxy:8080/a?b}; any other value unchanged.
   */
  String rewriteLocation(HttpServletRequest clientRequest, String value) {
    URI location;
    try {
      location = URI.create(value.trim());
    } catch (IllegalArgumentException notAUri) {
      return value;
    }
    if (!location.isAbsolute() || location.getHost() == null
        || !location.getScheme().equalsIgnoreCase(origin.getScheme())
        || !location.getHost().equalsIgnoreCase(origin.getHost())
        || portOf(location) != portOf(origin)) {
      return value;
    }
    String path = location.getRawPath() == null ? "" : location.getRawPath();
    if (!originPath.isEmpty() && !path.equals(originPath) && !path.startsWith(originPath + "/")) {
      return value;
    }
    String rest = path.substring(originPath.length());
    StringBuilder rewritten = new StringBuilder(clientBase(clientRequest)).append(rest.isEmpty() ? "/" : rest);
    if (location.getRawQuery() != null) {
      rewritten.append('?').append(location.getRawQuery());
    }
    if (location.getRawFragment() != null) {
      rewritten.append('#').append(location.getRawFragment());
    }
    return rewritten.toString();
  }

  /** Scheme and authority the client used to reach this server, e.g. {@code http://127.0.0.1:8080}. */
  private static String clientBase(HttpServletRequest request) {
    String host = request.getHeader("Host");
    if (host == null || host.isBlank()) {
      String name = request.getServerName();
      host = (name.indexOf(':') >= 0 ? "[" + name + "]" : name) + ":" + request.getServerPort();
    }
    return request.getScheme() + "://" + host.trim();
  }

  private static int portOf(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return uri.getScheme().toLowerCase(Locale.ROOT).equals("https") ? 443 : 80;
  }
}
