package dev.pagecache.internal.policy;

import dev.pagecache.rules.CacheRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Request headers that commonly change what an application renders although they are not part of
 * the URL: the forwarding family (what a proxy says the client asked for: host, scheme, port,
 * prefix), the URL-override family and the method-override family. Frameworks and containers
 * honour them (Spring's {@code ForwardedHeaderFilter}, Jetty's {@code ForwardedRequestCustomizer},
 * Tomcat's {@code RemoteIpValve}, IIS-style rewrites), so a page rendered for one of them and
 * stored under the plain URL would poison it for everyone (links to {@code evil.test}, a redirect
 * loop, the admin page under {@code /}, a 405 for every visitor).
 *
 * <p>When a request carries one, its value is part of the key: the page rendered for it is served
 * only to requests that carry the same value. Behind a load balancer that always sets them, the
 * key is stable; a rule that knows the balancer overwrites a header lists it in
 * {@code trustedHeaders}, and one the application never reads in {@code ignoredHeaders}.
 */
public final class SteeringHeaders {
  /** Lower-case names, in the order their values go into a key. */
  public static final List<String> DEFAULT = List.of(
      // forwarding
      "forwarded", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-scheme", "x-forwarded-protocol",
      "x-forwarded-port", "x-forwarded-prefix", "x-forwarded-server", "x-forwarded-ssl", "x-forwarded-uri",
      "x-url-scheme", "x-host", "x-original-host", "front-end-https", "x-proxied-https",
      // URL override
      "x-original-url", "x-rewrite-url", "x-original-uri",
      // method override
      "x-http-method-override", "x-http-method", "x-method-override");

  private SteeringHeaders() {}

  /**
   * The {@code name=value} pairs of the steering headers this request carries and the rule does
   * not trust or ignore, in a fixed order; empty (and allocation-free) for a plain request.
   */
  public static List<String> keyed(RequestView request, CacheRule rule) {
    List<String> keyed = List.of();
    for (String name : DEFAULT) {
      // hasHeader first: on a hit this runs for every name, and a single lookup allocates nothing.
      if (!request.hasHeader(name) || rule.trustedHeaders().contains(name) || rule.ignoredHeaders().contains(name)) {
        continue;
      }
      List<String> values = request.headers(name);
      if (keyed.isEmpty()) {
        keyed = new ArrayList<>(2);
      }
      String value = name.equals("forwarded") ? withoutClientAddresses(values) : String.join(",", values);
      if (value.isEmpty()) {
        continue; // a Forwarded that names only client addresses steers nothing
      }
      keyed.add(name + "=" + value);
    }
    return keyed;
  }

  /**
   * A {@code Forwarded} value (RFC 7239) without its {@code for=} parameters: the client's address
   * differs for every visitor behind a balancer, and an application that renders it cannot be
   * cached whatever the headers say; {@code host}, {@code proto} and {@code by} are what steer.
   */
  static String withoutClientAddresses(List<String> values) {
    StringBuilder kept = new StringBuilder();
    for (String value : values) {
      for (String element : value.split(",")) {
        StringBuilder hop = new StringBuilder();
        for (String pair : element.split(";")) {
          String trimmed = pair.trim();
          if (trimmed.isEmpty() || trimmed.toLowerCase(Locale.ROOT).startsWith("for=")) {
            continue;
          }
          hop.append(hop.length() == 0 ? "" : ";").append(trimmed);
        }
        if (hop.length() > 0) {
          kept.append(kept.length() == 0 ? "" : ",").append(hop);
        }
      }
    }
    return kept.toString();
  }
}
