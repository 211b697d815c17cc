package dev.pagecache.it;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The origin every contract test talks to: named endpoints, each counting its renders, and the
 * rules that cache them. Endpoint bodies include the render number, so a hit is visible as an
 * unchanged number and a miss as a new one.
 */
public final class TestOrigin {
  static final String UTF8_TEXT = "Grüße aus Köln, 東京, ✓ — ";
  static final String LATIN1_TEXT = "Größe: café crème ½ ";
  static final int BIG_BODY_BYTES = 200 * 1024;

  static final String RULES = """
      # first match wins
      rules = [
        { path = "/page" }
        { path = "/utf8" }
        { path = "/latin1" }
        { path = "/headers" }
        { path = "/moved" }
        { path = "/found" }
        { path = "/found-cached", statuses = [302] }
        { path = "/missing" }
        { path = "/missing-cached", statuses = [200, 404] }
        { path = "/lang" }
        { path = "/etag" }
        { path = "/weak" }
        { path = "/lastmod" }
        { path = "/wiki/*" }
        { path = "/big", maxBodyBytes = 64KiB }
        { path = "/throws" }
        { path = "/async" }
        { path = "/sse" }
        { path = "/cookie" }
        { path = "/private" }
        { path = "/nostore" }
        { path = "/session" }
        { path = "/query", query { except = [utm_source] } }
        { path = "/auth" }
        { path = "/surrogate" }
        { path = "/surrogate-forbidden" }
        { path = "/maxage" }
        { path = "/downstream", ttl = 120s, downstreamCacheControl = "public, max-age={ttl}" }
        { path = "/user", keyCookies = [user] }
        { path = "/mutable" }
        { path = "/excluded", cache = false }
        { path = "/shouting" }
        { path = "/edit" }
        { path = "/encoded" }
        { path = "/redirect61" }
        { path = "/print" }
        { path = "/localized" }
        { path = "/downstream-cookie", downstreamCacheControl = "public, max-age={ttl}" }
        { path = "/slow-wiki" }
        { path = "/large" }
        { path = "/keyed", keyHeaders = [X-Device], bypassIfCookie = [preview] }
        { path = "/cookie-allowed", allowSetCookie = true }
        { path = "/length" }
        { path = "/validating" }
        { path = "/slow" }
        { path = "/swr", ttl = 10s, staleWhileRevalidate = 60s }
        { path = "/sie", ttl = 10s, staleIfError = 60s }
        { path = "/origin-swr" }
        { path = "/must-revalidate", staleWhileRevalidate = 60s, staleIfError = 60s }
        { path = "/slow-private" }
        { path = "/slow-changing" }
        { path = "/slow-throws" }
        { path = "/shouting-private" }
      ]
      """;

  static final int LARGE_BODY_BYTES = 100 * 1024;

  /** Holds {@code /slow-wiki} renders after they read the page, until a test lets them go on. */
  static volatile java.util.concurrent.CountDownLatch slowWikiGate = new java.util.concurrent.CountDownLatch(0);
  static volatile java.util.concurrent.CountDownLatch slowWikiRead = new java.util.concurrent.CountDownLatch(0);

  /** How the stale-serving endpoints answer: "ok", "throw" or "503". */
  static volatile String staleMode = "ok";
  /** Whether {@code /slow-changing} answers {@code private} (else it may be stored). */
  static volatile boolean slowChangingPrivate;

  private final Map<String, String> wiki = new ConcurrentHashMap<>();

  /** Servlets by mapping; renders are counted under the mapping without its leading slash. */
  Map<String, HttpServlet> servlets() {
    Map<String, HttpServlet> servlets = new LinkedHashMap<>();
    add(servlets, "/page", (req, res, n) -> {
      if (req.getMethod().equals("POST")) {
        res.sendError(405);
        return;
      }
      res.setContentType("text/html;charset=UTF-8");
      res.getWriter().print("<p>page render " + n + "</p>");
    });
    add(servlets, "/plain", (req, res, n) -> res.getWriter().print("not cached " + n));
    add(servlets, "/excluded", (req, res, n) -> res.getWriter().print("excluded " + n));
    add(servlets, "/utf8", (req, res, n) -> {
      res.setContentType("text/plain");
      res.setCharacterEncoding("UTF-8");
      res.getWriter().print(UTF8_TEXT + n);
    });
    add(servlets, "/latin1", (req, res, n) -> {
      res.setContentType("text/plain;charset=ISO-8859-1");
      PrintWriter out = res.getWriter();
      out.print(LATIN1_TEXT);
      out.print(n);
    });
    add(servlets, "/headers", (req, res, n) -> {
      res.addHeader("X-Multi", "one");
      res.addHeader("X-Multi", "two");
      res.addHeader("X-Multi", "three");
      res.addHeader("Link", "</a.css>; rel=preload");
      res.addHeader("Link", "</b.js>; rel=preload");
      res.setIntHeader("X-Render", n);
      res.setContentType("text/plain");
      res.getOutputStream().write(("headers " + n).getBytes(StandardCharsets.US_ASCII));
    });
    add(servlets, "/moved", (req, res, n) -> {
      res.setStatus(301);
      res.setHeader("Location", "/page?from=moved");
      res.setHeader("X-Render", Integer.toString(n));
    });
    add(servlets, "/found", (req, res, n) -> {
      res.setHeader("X-Render", Integer.toString(n));
      res.sendRedirect("/page?from=found");
    });
    add(servlets, "/found-cached", (req, res, n) -> {
      res.setHeader("X-Render", Integer.toString(n));
      res.sendRedirect("/page?from=found-cached");
    });
    add(servlets, "/missing", (req, res, n) -> {
      res.setHeader("X-Render", Integer.toString(n));
      res.sendError(404, "no such page");
    });
    add(servlets, "/missing-cached", (req, res, n) -> {
      res.setHeader("X-Render", Integer.toString(n));
      res.sendError(404, "no such page");
    });
    add(servlets, "/lang", (req, res, n) -> {
      String language = req.getHeader("Accept-Language");
      res.setHeader("Vary", "Accept-Language");
      res.setContentType("text/plain;charset=UTF-8");
      res.getWriter().print((language != null && language.startsWith("de") ? "Hallo " : "Hello ") + n);
    });
    add(servlets, "/etag", (req, res, n) -> {
      res.setHeader("ETag", "\"v1\"");
      res.setHeader("Cache-Control", "max-age=300");
      res.setHeader("Content-Location", "/etag.html");
      res.setHeader("Expires", "Thu, 01 Jan 2037 00:00:00 GMT");
      res.setHeader("X-Only-On-200", "yes");
      res.setContentType("text/plain");
      res.getWriter().print("etag " + n);
    });
    add(servlets, "/weak", (req, res, n) -> {
      res.setHeader("ETag", "W/\"w1\"");
      res.getWriter().print("weak " + n);
    });
    add(servlets, "/lastmod", (req, res, n) -> {
      res.setDateHeader("Last-Modified", 1_600_000_000_000L);
      res.getWriter().print("lastmod " + n);
    });
    add(servlets, "/wiki/*", (req, res, n) -> {
      String name = req.getPathInfo();
      if (req.getMethod().equals("POST")) {
        wiki.put(name, req.getParameter("body"));
        if (req.getParameter("status") != null) {
          redirect(res, req.getRequestURI(), Integer.parseInt(req.getParameter("status")));
        } else {
          res.sendRedirect(req.getRequestURI());
        }
        return;
      }
      res.setContentType("text/plain;charset=UTF-8");
      res.getWriter().print(wiki.getOrDefault(name, "empty") + " (render " + n + ")");
    });
    add(servlets, "/big", (req, res, n) -> {
      res.setContentType("application/octet-stream");
      byte[] chunk = new byte[4096];
      for (int i = 0; i < BIG_BODY_BYTES / chunk.length; i++) {
        java.util.Arrays.fill(chunk, (byte) i);
        res.getOutputStream().write(chunk);
      }
    });
    add(servlets, "/throws", (req, res, n) -> {
      res.getWriter().print("partial");
      throw new IllegalStateException("render " + n + " failed");
    });
    add(servlets, "/async", (req, res, n) -> {
      AsyncContext async = req.startAsync();
      async.start(() -> {
        try {
          async.getResponse().setContentType("text/plain");
          async.getResponse().getWriter().print("async " + n);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        } finally {
          async.complete();
        }
      });
    });
    add(servlets, "/sse", (req, res, n) -> {
      res.setContentType("text/event-stream");
      res.setCharacterEncoding("UTF-8");
      PrintWriter out = res.getWriter();
      for (int i = 1; i <= 3; i++) {
        out.print("data: event " + i + " of render " + n + "\n\n");
        out.flush();
      }
    });
    add(servlets, "/cookie", (req, res, n) -> {
      res.addCookie(new Cookie("visitor", "v" + n));
      res.getWriter().print("cookie " + n);
    });
    add(servlets, "/private", (req, res, n) -> {
      res.setHeader("Cache-Control", "private, max-age=60");
      res.getWriter().print("private " + n);
    });
    add(servlets, "/nostore", (req, res, n) -> {
      res.setHeader("Cache-Control", "no-store");
      res.getWriter().print("nostore " + n);
    });
    add(servlets, "/session", (req, res, n) -> {
      req.getSession(true).setAttribute("seen", n);
      res.getWriter().print("session " + n);
    });
    add(servlets, "/query", (req, res, n) -> res.getWriter().print("query " + req.getQueryString() + " " + n));
    add(servlets, "/auth", (req, res, n) -> res.getWriter().print("auth " + n));
    add(servlets, "/surrogate", (req, res, n) -> {
      res.setHeader("Surrogate-Control", "max-age=100");
      res.setHeader("Cache-Control", "max-age=0, must-revalidate");
      res.getWriter().print("surrogate " + n);
    });
    add(servlets, "/surrogate-forbidden", (req, res, n) -> {
      res.setHeader("Surrogate-Control", "max-age=100, content=\"ESI/1.0\"");
      res.setHeader("Cache-Control", req.getParameter("cc"));
      res.getWriter().print("surrogate, but " + req.getParameter("cc") + " " + n);
    });
    add(servlets, "/maxage", (req, res, n) -> {
      res.setHeader("Cache-Control", "max-age=10");
      res.getWriter().print("maxage " + n);
    });
    add(servlets, "/downstream", (req, res, n) -> {
      res.getWriter().print("downstream " + n);
    });
    add(servlets, "/user", (req, res, n) -> {
      String user = "anonymous";
      if (req.getCookies() != null) {
        for (Cookie cookie : req.getCookies()) {
          if (cookie.getName().equals("user")) {
            user = cookie.getValue();
          }
        }
      }
      res.getWriter().print("links for " + user + " " + n);
    });
    add(servlets, "/mutable", (req, res, n) -> {
      res.setContentType("text/plain");
      res.setHeader("X-Origin", "original");
      res.getOutputStream().write(("original body " + n).getBytes(StandardCharsets.US_ASCII));
    });
    add(servlets, "/encoded", (req, res, n) -> {
      res.setHeader("Vary", "Accept-Encoding");
      res.getWriter().print("encoded " + n);
    });
    add(servlets, "/edit", (req, res, n) -> {
      // An edit that answers for other URLs: one in Content-Location, one in Location.
      res.setHeader("Content-Location", req.getContextPath() + "/wiki/Other");
      res.setHeader("Location", "http://" + req.getServerName() + ":" + req.getServerPort() + req.getContextPath() + "/page");
      res.setStatus(201);
    });
    add(servlets, "/redirect61", (req, res, n) -> {
      res.setHeader("X-Render", Integer.toString(n));
      res.getWriter().print("written before the redirect");
      redirect(res, req.getContextPath() + "/page?from=redirect61", 301);
    });
    add(servlets, "/print", (req, res, n) -> {
      res.setContentType("text/plain;charset=UTF-8");
      res.getOutputStream().print("Grüße ");
      res.getOutputStream().println(n);
    });
    add(servlets, "/print-plain", (req, res, n) -> {
      res.setContentType("text/plain;charset=UTF-8");
      res.getOutputStream().print("Grüße ");
      res.getOutputStream().println(n);
    });
    add(servlets, "/localized", (req, res, n) -> {
      res.setLocale(java.util.Locale.GERMANY);
      res.setContentType("text/plain;charset=UTF-8");
      res.getWriter().print("lokalisiert " + n);
    });
    add(servlets, "/downstream-cookie", (req, res, n) -> {
      res.getWriter().print("cookie after the body began " + n);
      res.addCookie(new Cookie("sid", "user-" + n));
    });
    add(servlets, "/slow-wiki", (req, res, n) -> {
      if (req.getMethod().equals("POST")) {
        wiki.put("slow", req.getParameter("body"));
        res.setStatus(204);
        return;
      }
      String text = wiki.getOrDefault("slow", "old");
      slowWikiRead.countDown();
      slowWikiGate.await();
      res.getWriter().print(text + " " + n);
    });
    add(servlets, "/large", (req, res, n) -> {
      res.setContentType("text/plain");
      byte[] line = ("render " + n + " line of a page larger than any container buffer\n").getBytes(StandardCharsets.US_ASCII);
      int written = 0;
      while (written < LARGE_BODY_BYTES) {
        int length = Math.min(line.length, LARGE_BODY_BYTES - written);
        res.getOutputStream().write(line, 0, length);
        written += length;
      }
    });
    for (String path : List.of("/swr", "/sie", "/origin-swr", "/must-revalidate")) {
      add(servlets, path, (req, res, n) -> {
        if (path.equals("/origin-swr")) {
          res.setHeader("Cache-Control", "max-age=10, stale-while-revalidate=30");
        } else if (path.equals("/must-revalidate")) {
          res.setHeader("Cache-Control", "max-age=10, must-revalidate");
        }
        Thread.sleep(50);
        switch (staleMode) {
          case "throw" -> throw new IllegalStateException("render " + n + " failed");
          case "503" -> {
            res.sendError(503, "origin overloaded");
            return;
          }
          default -> res.getWriter().print(path.substring(1) + " render " + n);
        }
      });
    }
    add(servlets, "/slow", (req, res, n) -> {
      Thread.sleep(300);
      res.getWriter().print("slow render " + n);
    });
    add(servlets, "/slow-private", (req, res, n) -> {
      Thread.sleep(300);
      res.setHeader("Cache-Control", "private");
      res.getWriter().print("slow private render " + n);
    });
    add(servlets, "/slow-changing", (req, res, n) -> {
      Thread.sleep(300);
      if (slowChangingPrivate) {
        res.setHeader("Cache-Control", "private");
      }
      res.getWriter().print("slow changing render " + n);
    });
    add(servlets, "/slow-throws", (req, res, n) -> {
      Thread.sleep(300);
      throw new IllegalStateException("render " + n + " failed");
    });
    add(servlets, "/validating", (req, res, n) -> {
      res.setHeader("ETag", "\"v7\"");
      if ("\"v7\"".equals(req.getHeader("If-None-Match"))) {
        res.setStatus(304); // an origin that answers conditions itself
        return;
      }
      res.getWriter().print("validating " + n);
    });
    add(servlets, "/keyed", (req, res, n) -> res.getWriter().print("device " + req.getHeader("X-Device") + " " + n));
    add(servlets, "/cookie-allowed", (req, res, n) -> {
      res.addCookie(new Cookie("theme", "dark"));
      res.getWriter().print("cookie allowed " + n);
    });
    add(servlets, "/length", (req, res, n) -> {
      byte[] body = ("length " + n + " ").repeat(50).getBytes(StandardCharsets.US_ASCII);
      switch (req.getParameter("via")) {
        case "setContentLength" -> res.setContentLength(body.length);
        case "setContentLengthLong" -> res.setContentLengthLong(body.length);
        case "setIntHeader" -> res.setIntHeader("Content-Length", body.length);
        case "addIntHeader" -> res.addIntHeader("Content-Length", body.length);
        case "setHeader" -> res.setHeader("Content-Length", Integer.toString(body.length));
        case "addHeader" -> res.addHeader("Content-Length", Integer.toString(body.length));
        default -> throw new IllegalArgumentException(req.getParameter("via"));
      }
      res.getOutputStream().write(body);
    });
    // Header names and directives in capitals: matched without regard to case or default locale.
    add(servlets, "/shouting", (req, res, n) -> {
      res.setHeader("VARY", "ACCEPT-LANGUAGE");
      res.setHeader("ETAG", "\"I1\"");
      res.setHeader("CACHE-CONTROL", "PUBLIC, MAX-AGE=60");
      res.getWriter().print("shouting " + req.getHeader("accept-language") + " " + n);
    });
    add(servlets, "/shouting-private", (req, res, n) -> {
      res.setHeader("CACHE-CONTROL", "PRIVATE");
      res.getWriter().print("shouting private " + n);
    });
    return servlets;
  }

  /** Servlet 6.1's sendRedirect(String, int, boolean) where the container has it (Tomcat 11). */
  private static void redirect(jakarta.servlet.http.HttpServletResponse res, String location, int status)
      throws Exception {
    java.lang.reflect.Method servlet61;
    try {
      servlet61 = jakarta.servlet.http.HttpServletResponse.class
          .getMethod("sendRedirect", String.class, int.class, boolean.class);
    } catch (NoSuchMethodException servlet60) {
      res.resetBuffer();
      res.setStatus(status);
      res.setHeader("Location", location);
      return;
    }
    servlet61.invoke(res, location, status, true);
  }

  private static void add(Map<String, HttpServlet> servlets, String mapping, Endpoint endpoint) {
    servlets.put(mapping, endpoint.asServlet(mapping.replace("/*", "").substring(1)));
  }
}
