package dev.pagecache;

import dev.pagecache.internal.purge.PurgeAccess;
import dev.pagecache.internal.purge.PurgeEndpoint;
import dev.pagecache.internal.purge.PurgeSettings;
import dev.pagecache.internal.servlet.ServletRequestView;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Requests for the purge endpoint: read, decided by {@link PurgeEndpoint}, carried out on the
 * cache, counted and answered here. They never reach the application, nor the cache's lookup.
 * Nothing logged here holds a request header: the token cannot reach a log line.
 */
final class PurgeRequests {
  private static final Logger LOG = System.getLogger(PageCacheFilter.class.getName());

  private final PurgeEndpoint endpoint;
  private final LocalPageCache cache;

  PurgeRequests(PurgeSettings settings, LocalPageCache cache) {
    this.endpoint = new PurgeEndpoint(settings);
    this.cache = cache;
  }

  boolean handles(HttpServletRequest request) {
    return endpoint.handles(request.getMethod(), request.getServletPath(), request.getPathInfo());
  }

  void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
    cache.counters.purgeRequests.increment();
    String target = request.getQueryString() == null ? request.getRequestURI()
        : request.getRequestURI() + "?" + request.getQueryString();
    PurgeAccess.Caller caller = new PurgeAccess.Caller(request.getHeader("Authorization"), request.getRemoteAddr(),
        request.getHeader("Origin"), request.getHeader("Sec-Fetch-Site"), origin(request));
    PurgeEndpoint.Decision decision = endpoint.decide(new PurgeEndpoint.Request(request.getMethod(),
        ServletRequestView.pathInApplication(request), target, caller, request::getParameterMap));
    PurgeEndpoint.Answer answer = decision instanceof PurgeEndpoint.Purge purge
        ? carryOut(purge, request.getRemoteAddr()) : (PurgeEndpoint.Answer) decision;
    if (answer.refused()) {
      cache.counters.purgeRefused.increment();
      LOG.log(Level.DEBUG, () -> "pagecache: purge refused (" + answer.status() + ") for " + request.getRemoteAddr());
    }
    write(answer, response);
  }

  private PurgeEndpoint.Answer carryOut(PurgeEndpoint.Purge purge, String client) {
    try {
      purge.urls().forEach(cache::purge);
      purge.prefixes().forEach(cache::purgePrefix);
      purge.tags().forEach(cache::purgeTag);
      if (purge.all()) {
        cache.purgeAll();
      }
    } catch (RuntimeException e) {
      cache.counters.storeErrors.increment();
      LOG.log(Level.WARNING, "pagecache: a purge from " + client + " failed", e);
      return PurgeEndpoint.failed();
    }
    LOG.log(Level.DEBUG, () -> "pagecache: purge from " + client + ": " + purge.toJson());
    return PurgeEndpoint.purged(purge);
  }

  private static void write(PurgeEndpoint.Answer answer, HttpServletResponse response) throws IOException {
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    response.setStatus(answer.status());
    for (Map.Entry<String, String> header : answer.headers().entrySet()) {
      response.setHeader(header.getKey(), header.getValue());
    }
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setContentType(answer.contentType());
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** The request's origin as a browser writes it in {@code Origin} (RFC 6454 §6.1): no default port. */
  private static String origin(HttpServletRequest request) {
    String scheme = request.getScheme();
    String host = request.getServerName();
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    int port = request.getServerPort();
    boolean defaultPort = port == ("https".equalsIgnoreCase(scheme) ? 443 : 80);
    return scheme + "://" + host + (defaultPort ? "" : ":" + port);
  }
}
