package dev.pagecache.admin;

import dev.pagecache.PageCache;
import dev.pagecache.StoredPage;
import dev.pagecache.internal.purge.AllowList;
import dev.pagecache.internal.purge.PurgeAccess;
import dev.pagecache.internal.purge.PurgeEndpoint;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The admin page: the cache's stats, the copies this JVM's memory holds (sortable, a page at a
 * time), a look-up of one URL in every layer, and purge buttons (a URL, a prefix, a tag, everything).
 * Plain HTML: no script, links to sort, forms to look up and purge.
 *
 * <p>Opt-in: map it where it should answer, behind the same {@code PageCacheFilter}'s application,
 * e.g. in {@code web.xml}:
 *
 * <pre>{@code
 * <servlet>
 *   <servlet-name>pagecache-admin</servlet-name>
 *   <servlet-class>dev.pagecache.admin.PageCacheAdminServlet</servlet-class>
 * </servlet>
 * <servlet-mapping>
 *   <servlet-name>pagecache-admin</servlet-name>
 *   <url-pattern>/pagecache/*</url-pattern>
 * </servlet-mapping>
 * }</pre>
 *
 * <p>Who may use it: the callers of the filter's purge endpoint (its token, its allow-list of
 * addresses, or both), unless the servlet has its own init-params {@value #TOKEN_PARAM} and/or
 * {@value #ALLOW_FROM_PARAM} (or the {@link #PageCacheAdminServlet(Optional, List)} constructor's),
 * which then replace them. With neither the page is closed: every request gets 403 and a message
 * naming these settings. A browser signs in with HTTP Basic: any user name, the token as the
 * password. A purge is a {@code POST} from the page itself (same origin, and a form token), answered
 * with a redirect back. Every response is {@code no-store}, cannot be framed, and runs no script.
 */
public class PageCacheAdminServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = System.getLogger(PageCacheAdminServlet.class.getName());

  /** Init-param: a token of the servlet's own (the password to sign in with), instead of the purge endpoint's. */
  public static final String TOKEN_PARAM = "pagecache.admin.token";
  /** Init-param: addresses and ranges of the servlet's own, comma-separated, instead of the purge endpoint's. */
  public static final String ALLOW_FROM_PARAM = "pagecache.admin.allowFrom";

  /** {@code style-src 'unsafe-inline'} for the one inline style sheet; nothing else may load. */
  private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; "
      + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  private static final String HTML = "text/html;charset=UTF-8";

  /** Access given to the constructor; empty for the no-argument one. */
  private final transient Optional<PurgeAccess> fromCode;
  /** The servlet's own access (from the constructor or init-params), when it has one. */
  private transient Optional<PurgeAccess> own = Optional.empty();
  private final transient AdminAccess access = new AdminAccess();

  /** For {@code web.xml}: its access comes from init-params, else from the purge endpoint. */
  public PageCacheAdminServlet() {
    this.fromCode = Optional.empty();
  }

  /**
   * For registration in code, with access of its own; with neither a token nor addresses it lets
   * in the purge endpoint's callers, as the no-argument constructor does.
   *
   * @param token the password to sign in with (at least 16 characters, as a purge token), or empty
   * @param allowFrom addresses and ranges allowed in (e.g. {@code 127.0.0.1}, {@code 10.0.0.0/8}), or none
   * @throws IllegalArgumentException when the token is too short or an address is not one
   */
  public PageCacheAdminServlet(Optional<String> token, List<String> allowFrom) {
    this.fromCode = ownAccess(token, allowFrom, "token", "allowFrom");
  }

  @Override
  public void init() throws ServletException {
    if (fromCode.isPresent()) {
      own = fromCode;
      return;
    }
    String token = getInitParameter(TOKEN_PARAM);
    String allowFrom = getInitParameter(ALLOW_FROM_PARAM);
    try {
      own = ownAccess(Optional.ofNullable(token).map(String::strip),
          allowFrom == null ? List.of() : Arrays.stream(allowFrom.split(",")).map(String::strip)
              .filter(entry -> !entry.isEmpty()).toList(), TOKEN_PARAM, ALLOW_FROM_PARAM);
    } catch (IllegalArgumentException e) {
      throw new ServletException("pagecache admin: " + e.getMessage(), e);
    }
    if (allowFrom != null && own.isEmpty()) {
      throw new ServletException("pagecache admin: init-param " + ALLOW_FROM_PARAM + " lists no address");
    }
  }

  private static Optional<PurgeAccess> ownAccess(Optional<String> token, List<String> allowFrom, String tokenName,
      String allowFromName) {
    if (token.isEmpty() && allowFrom.isEmpty()) {
      return Optional.empty();
    }
    token.ifPresent(t -> PurgeAccess.checkToken(tokenName, t));
    Optional<AllowList> addresses;
    try {
      addresses = allowFrom.isEmpty() ? Optional.empty() : Optional.of(AllowList.of(allowFrom));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(allowFromName + ": " + e.getMessage(), e);
    }
    return Optional.of(new PurgeAccess(token, addresses));
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (request.getPathInfo() == null) {
      // Mapped at /pagecache/*, asked for /pagecache: relative links need the slash.
      secure(response);
      response.setStatus(HttpServletResponse.SC_MOVED_TEMPORARILY);
      response.setHeader("Location", request.getRequestURI() + "/");
      return;
    }
    AdminAccess.Caller caller = caller(request);
    Optional<AdminAccess.Refusal> refused = access.checkRead(accessFor(request), caller);
    if (refused.isPresent()) {
      refuse(request, response, refused.get());
      return;
    }
    Optional<PageCache> cache = PageCache.from(getServletContext());
    AdminPages pages = new AdminPages(base(request));
    if (cache.isEmpty()) {
      write(response, 503, pages.message("Not running", noCache()));
      return;
    }
    switch (request.getPathInfo()) {
      case "/" -> write(response, 200, pages.summary(cache.get().stats(), access.formToken(caller), notice(request)));
      case "/entries" -> entries(request, response, cache.get(), pages);
      case "/lookup" -> lookup(request, response, cache.get(), pages, access.formToken(caller));
      default -> write(response, 404, pages.message("Not found", "The admin page has no such part: "
          + request.getPathInfo()));
    }
  }

  private void entries(HttpServletRequest request, HttpServletResponse response, PageCache cache, AdminPages pages)
      throws IOException {
    StoredPage.Order order = Arrays.stream(StoredPage.Order.values())
        .filter(o -> o.name().equalsIgnoreCase(Optional.ofNullable(request.getParameter("sort")).orElse("url")))
        .findFirst().orElse(StoredPage.Order.URL);
    String dir = request.getParameter("dir");
    boolean descending = dir == null ? order != StoredPage.Order.URL : dir.equals("desc");
    int offset = boundedInt(request.getParameter("from"), 0, 1_000_000);
    write(response, 200, pages.entries(cache.entries(order, descending, offset, AdminPages.PAGE_SIZE), order,
        descending));
  }

  private void lookup(HttpServletRequest request, HttpServletResponse response, PageCache cache, AdminPages pages,
      String formToken) throws IOException {
    String asked = request.getParameter("url");
    if (asked == null || asked.isBlank()) {
      write(response, 200, pages.lookup(null, null, null, formToken));
      return;
    }
    PurgeEndpoint.Decision read = PurgeEndpoint.fromForm(Map.of("url", new String[] {asked}), origin(request));
    if (read instanceof PurgeEndpoint.Purge named) {
      URI url = named.urls().get(0);
      write(response, 200, pages.lookup(url.toString(), cache.lookup(url), null, formToken));
    } else {
      write(response, 400, pages.lookup(asked, null, problem((PurgeEndpoint.Answer) read), formToken));
    }
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!"/action/purge".equals(request.getPathInfo())) {
      secure(response);
      response.setHeader("Allow", "GET, HEAD");
      write(response, 405, new AdminPages(base(request)).message("Not allowed", "Only purges are sent by POST."));
      return;
    }
    AdminAccess.Caller caller = caller(request);
    // Checked before the form is read: a caller who may not purge costs no more than its headers.
    Optional<AdminAccess.Refusal> refused = access.checkPurge(accessFor(request), caller,
        () -> request.getParameter("csrf"));
    if (refused.isPresent()) {
      refuse(request, response, refused.get());
      return;
    }
    AdminPages pages = new AdminPages(base(request));
    Optional<PageCache> cache = PageCache.from(getServletContext());
    if (cache.isEmpty()) {
      write(response, 503, pages.message("Not running", noCache()));
      return;
    }
    String kind = Optional.ofNullable(request.getParameter("kind")).orElse("");
    String value = Optional.ofNullable(request.getParameter("value")).orElse("");
    if (!List.of("url", "prefix", "tag", "all").contains(kind)) {
      write(response, 400, pages.message("Bad request", "Purge what? kind is url, prefix, tag or all."));
      return;
    }
    PurgeEndpoint.Decision read = PurgeEndpoint.fromForm(Map.of(kind, new String[] {kind.equals("all") ? "true"
        : value.strip()}), origin(request));
    if (!(read instanceof PurgeEndpoint.Purge purge)) {
      write(response, 400, pages.message("Bad request", problem((PurgeEndpoint.Answer) read)));
      return;
    }
    String done;
    try {
      purge.urls().forEach(cache.get()::purge);
      purge.prefixes().forEach(cache.get()::purgePrefix);
      purge.tags().forEach(cache.get()::purgeTag);
      if (purge.all()) {
        cache.get().purgeAll();
      }
      done = purge.all() ? "everything" : !purge.urls().isEmpty() ? purge.urls().get(0).toString()
          : !purge.prefixes().isEmpty() ? purge.prefixes().get(0) + " and below" : "tag " + purge.tags().get(0);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "pagecache admin: a purge from " + request.getRemoteAddr() + " failed", e);
      write(response, 500, pages.message("Purge failed", "The purge failed; the server log has the details."));
      return;
    }
    LOG.log(Level.INFO, () -> "pagecache admin: " + request.getRemoteAddr() + " purged " + purge.toJson());
    // POST, redirect, GET: reloading the page that follows purges nothing again.
    secure(response);
    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
    response.setHeader("Location", "lookup".equals(request.getParameter("back")) && !purge.urls().isEmpty()
        ? base(request) + "/lookup?url=" + Html.param(purge.urls().get(0).toString()) + "&purged=1"
        : base(request) + "/?purged=" + Html.param(done));
  }

  /** The servlet's own access if it has one, else the purge endpoint's, else none: closed. */
  private Optional<PurgeAccess> accessFor(HttpServletRequest request) {
    if (own.isPresent()) {
      return own;
    }
    Object published = request.getServletContext().getAttribute(PurgeAccess.CONTEXT_ATTRIBUTE);
    return published instanceof PurgeAccess purgeAccess ? Optional.of(purgeAccess) : Optional.empty();
  }

  private static String notice(HttpServletRequest request) {
    String purged = request.getParameter("purged");
    return purged == null ? null : "Purged " + (purged.length() > 300 ? purged.substring(0, 300) + "..." : purged) + ".";
  }

  private static String problem(PurgeEndpoint.Answer answer) {
    return answer.body().replaceFirst("^pagecache: ", "").strip();
  }

  private static String noCache() {
    return "No pagecache filter runs in this application: map PageCacheFilter in front of it (the admin page "
        + "shows the cache of the filter of its own application), or wait until the application has started.";
  }

  private static AdminAccess.Caller caller(HttpServletRequest request) {
    return new AdminAccess.Caller(request.getHeader("Authorization"), request.getRemoteAddr(),
        request.getHeader("Origin"), request.getHeader("Sec-Fetch-Site"), origin(request));
  }

  private void refuse(HttpServletRequest request, HttpServletResponse response, AdminAccess.Refusal refusal)
      throws IOException {
    if (refusal.challenge()) {
      response.setHeader("WWW-Authenticate", AdminAccess.REALM_CHALLENGE);
    }
    LOG.log(Level.DEBUG, () -> "pagecache admin: refused (" + refusal.status() + ") for " + request.getRemoteAddr());
    write(response, refusal.status(), new AdminPages(base(request)).message(
        refusal.status() == 401 ? "Sign in" : "Forbidden", refusal.message()));
  }

  private static void write(HttpServletResponse response, int status, String html) throws IOException {
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    secure(response);
    response.setStatus(status);
    response.setContentType(HTML);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** What every answer carries: nothing stored, nothing sniffed, framed, loaded or run. */
  private static void secure(HttpServletResponse response) {
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Referrer-Policy", "no-referrer");
  }

  /** Where the servlet answers: context path and servlet path, as sent. */
  private static String base(HttpServletRequest request) {
    return request.getContextPath() + request.getServletPath();
  }

  private static int boundedInt(String text, int min, int max) {
    if (text == null || text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
      return min;
    }
    return Math.max(min, Math.min(max, Integer.parseInt(text)));
  }

  /** The request's origin as a browser writes it in {@code Origin} (RFC 6454 §6.1): no default port. */
  private static String origin(HttpServletRequest request) {
    String scheme = request.getScheme().toLowerCase(Locale.ROOT);
    String host = request.getServerName();
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    int port = request.getServerPort();
    boolean defaultPort = port == ("https".equals(scheme) ? 443 : 80);
    return scheme + "://" + host + (defaultPort ? "" : ":" + port);
  }
}
