package dev.pagecache.internal.servlet;

import dev.pagecache.internal.http.HeaderNames;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The request a miss renders with. It notes whether rendering reached an HTTP session (a page
 * rendered with a session may hold one user's data, and Tomcat adds the cookie of a new session
 * deep inside the container, past every response wrapper: the session itself is the only reliable
 * sign), and hands asynchronous code an {@code AsyncContext} that keeps writing into the held
 * response and tells the cache when the render ends ({@link #captureAsync}).
 *
 * <p>It also shows the application only what the page's key holds: the query parameters the rule
 * keys, and none of the headers the rule ignores. A page that cannot depend on what it was not
 * keyed by cannot be poisoned through it.
 */
public final class TrackedRequest extends HttpServletRequestWrapper {
  /**
   * Fields that would get a storable page answered in part (a 304, a 206): hidden from a render
   * whose page may be stored, so that it renders the whole page. The cache answers them from it.
   */
  private static final Set<String> CONDITIONALS =
      HeaderNames.setOf("If-None-Match", "If-Modified-Since", "Range", "If-Range");

  private AsyncTurns turns;
  private ServletResponse capture;
  private volatile CapturingAsyncContext context;
  private boolean usedSession;
  private final Set<String> hidden;
  /** Fields shown in place of the client's: a revalidation's conditionals. */
  private final Map<String, String> presented;
  private final String query;
  private Map<String, String[]> parameters;

  /**
   * @param hideConditionals whether the origin should not see {@code If-None-Match},
   *     {@code If-Modified-Since}, {@code Range} and {@code If-Range}, so that it answers with the
   *     whole page
   * @param ignoredHeaders request headers the rule keeps from the application
   * @param keyedQuery the query string the application is to see (only the parameters that are
   *     part of the key), or empty to leave it as the client sent it
   */
  public TrackedRequest(HttpServletRequest request, boolean hideConditionals, Collection<String> ignoredHeaders,
      Optional<String> keyedQuery) {
    this(request, hideConditionals, ignoredHeaders, keyedQuery, Map.of());
  }

  /**
   * @param conditionals {@code If-None-Match} / {@code If-Modified-Since} to present to the
   *     application in place of the client's (a revalidation of a stored page); empty for none
   */
  public TrackedRequest(HttpServletRequest request, boolean hideConditionals, Collection<String> ignoredHeaders,
      Optional<String> keyedQuery, Map<String, String> conditionals) {
    super(request);
    Map<String, String> shown = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    shown.putAll(conditionals);
    this.presented = shown;
    hideConditionals |= !conditionals.isEmpty();
    if (!hideConditionals && ignoredHeaders.isEmpty()) {
      this.hidden = Set.of();
    } else {
      Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
      names.addAll(ignoredHeaders);
      if (hideConditionals) {
        names.addAll(CONDITIONALS);
      }
      this.hidden = names;
    }
    this.query = keyedQuery.orElse(null);
  }

  @Override
  public String getHeader(String name) {
    if (presents(name)) {
      return presented.get(name);
    }
    return hides(name) ? null : super.getHeader(name);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    if (presents(name)) {
      return Collections.enumeration(List.of(presented.get(name)));
    }
    return hides(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
  }

  @Override
  public long getDateHeader(String name) {
    if (presents(name)) {
      return dev.pagecache.internal.http.HttpDates.parse(presented.get(name)).map(java.time.Instant::toEpochMilli)
          .orElseThrow(() -> new IllegalArgumentException("not a date: " + presented.get(name)));
    }
    return hides(name) ? -1 : super.getDateHeader(name);
  }

  @Override
  public int getIntHeader(String name) {
    return hides(name) ? -1 : super.getIntHeader(name);
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    if (hidden.isEmpty()) {
      return super.getHeaderNames();
    }
    List<String> names = new ArrayList<>();
    for (String name : Collections.list(super.getHeaderNames())) {
      if (!hidden.contains(name)) {
        names.add(name);
      }
    }
    names.addAll(presented.keySet());
    return Collections.enumeration(names);
  }

  private boolean presents(String name) {
    return name != null && !presented.isEmpty() && presented.containsKey(name);
  }

  private boolean hides(String name) {
    return name != null && !hidden.isEmpty() && hidden.contains(name);
  }

  // The query the key was made of is the query the application reads: a parameter the key leaves
  // out (utm_content=<script>) must not end up in the stored page either. A cached GET has no body,
  // so the parameters are the query's.

  @Override
  public String getQueryString() {
    return query != null ? (query.isEmpty() ? null : query) : super.getQueryString();
  }

  @Override
  public String getParameter(String name) {
    if (query == null) {
      return super.getParameter(name);
    }
    String[] values = parameters().get(name);
    return values == null ? null : values[0];
  }

  @Override
  public Map<String, String[]> getParameterMap() {
    return query == null ? super.getParameterMap() : parameters();
  }

  @Override
  public Enumeration<String> getParameterNames() {
    return query == null ? super.getParameterNames() : Collections.enumeration(parameters().keySet());
  }

  @Override
  public String[] getParameterValues(String name) {
    if (query == null) {
      return super.getParameterValues(name);
    }
    String[] values = parameters().get(name);
    return values == null ? null : values.clone();
  }

  private Map<String, String[]> parameters() {
    if (parameters == null) {
      Map<String, List<String>> collected = new LinkedHashMap<>();
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        collected.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      }
      Map<String, String[]> map = new LinkedHashMap<>();
      collected.forEach((name, values) -> map.put(name, values.toArray(String[]::new)));
      parameters = Collections.unmodifiableMap(map);
    }
    return parameters;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return text;
    }
  }

  @Override
  public HttpSession getSession() {
    return noted(super.getSession());
  }

  @Override
  public HttpSession getSession(boolean create) {
    return noted(super.getSession(create));
  }

  private HttpSession noted(HttpSession session) {
    if (session != null) {
      usedSession = true;
    }
    return session;
  }

  /** Whether a session was created or read, through this wrapper or (new ones) past it. */
  public boolean usedSession() {
    if (usedSession) {
      return true;
    }
    HttpSession session = ((HttpServletRequest) getRequest()).getSession(false);
    return session != null && session.isNew();
  }

  /**
   * Whether the session in use now is the one the request named, and existed before: not a new
   * one this render created because the named one had expired (or never existed).
   */
  public boolean usedOnlyTheRequestedSession() {
    HttpServletRequest request = (HttpServletRequest) getRequest();
    HttpSession session = request.getSession(false);
    // Not getId().equals(...): Jetty's requested id carries a node suffix that getId() does not.
    return session != null && !session.isNew() && request.isRequestedSessionIdValid();
  }

  /**
   * What the cache does at the turns of an asynchronous render. Called on the application's
   * threads; none of them throws for the cache's own failures.
   */
  public interface AsyncTurns {
    /**
     * The request went asynchronous (again), with {@code context} the container's.
     *
     * @param capturesResponse whether the response the asynchronous code writes to is the held
     *     one (or wraps it); if not, the held response cannot see what is written
     */
    void started(AsyncContext context, boolean capturesResponse);

    /** The application calls {@code complete()}: the render ends now, before the container completes. */
    void completing();

    /**
     * The application asks for a dispatch: to the request's own URI ({@code dispatch()}), or to
     * another path.
     */
    void dispatching(boolean sameUri);
  }

  /**
   * From now on {@code startAsync} hands out an {@code AsyncContext} of ours whose response is
   * {@code capture} (the no-argument form starts it with this request and {@code capture}, so
   * that a {@code dispatch()} renders into it too), and tells {@code turns} of its turns.
   */
  public void captureAsync(ServletResponse capture, AsyncTurns turns) {
    this.capture = capture;
    this.turns = turns;
  }

  // Told after the container agreed: if startAsync throws, the application renders on and the
  // response may still be stored. Asynchronous code has not started yet either way.

  @Override
  public AsyncContext startAsync() {
    if (turns == null) {
      return super.startAsync();
    }
    return ours(super.startAsync(this, capture), true);
  }

  @Override
  public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
    AsyncContext started = super.startAsync(request, response);
    if (turns == null) {
      return started;
    }
    boolean captures = response == capture
        || response instanceof ServletResponseWrapper wrapper && wrapper.isWrapperFor(capture);
    return ours(started, captures);
  }

  private AsyncContext ours(AsyncContext started, boolean captures) {
    turns.started(started, captures);
    context = new CapturingAsyncContext(started, turns);
    return context;
  }

  @Override
  public AsyncContext getAsyncContext() {
    AsyncContext current = super.getAsyncContext();
    CapturingAsyncContext wrapped = context;
    return wrapped != null && wrapped.wraps(current) ? wrapped : current;
  }
}
