package dev.pagecache.internal.servlet;

import dev.pagecache.internal.http.Headers;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.internal.policy.RangeAnswer;
import dev.pagecache.internal.policy.Reason;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Holds a response back from its client until the cache has decided what to do with it. The
 * origin renders into memory: status, header fields, cookies, errors, redirects and body are
 * recorded, and nothing reaches the client until the owner {@link #release}s it, after storing
 * the page and letting requests that waited for it go. A client that is slow or goes away mid-page
 * therefore can neither hold up those requests nor cut short the stored copy, and a response is
 * told what the cache did ({@code Cache-Status}, a rule's {@code Cache-Control}) only once that is
 * known.
 *
 * <p>What a container does by itself stays with the container: content type, charset, locale and
 * buffer size are passed on at once, so the container picks a writer's charset, adds
 * {@code Content-Language} and so on exactly as it would without the cache; and {@code reset()}
 * is passed on too. The wrapper mimics the container's commit: once the body passes the
 * container's buffer, or after {@code flushBuffer}, {@code close}, {@code sendError} or
 * {@code sendRedirect}, {@link #isCommitted()} is true and later header changes are ignored, as
 * they would be.
 *
 * <p>A response that cannot be stored is let go early, as soon as that is known: its body grows
 * past {@code maxBodyBytes}, the request goes asynchronous, or the application flushes a response
 * that the owner already knows it will not store (an event stream, a {@code no-store} page). What
 * was held goes out then, and the rest streams straight through. A response without a client
 * (under a {@link NoClientResponse}) is never sent: one let go early is dropped.
 *
 * <p>For one request on one thread at a time (asynchronous code that writes in turn is fine).
 */
public final class CaptureResponseWrapper extends HttpServletResponseWrapper {
  private static final String SURROGATE_CONTROL = "Surrogate-Control";
  /** Large character writes are encoded in slices, so the size check never lets much past the limit. */
  private static final int CHARS_PER_SLICE = 8 * 1024;
  /** Room made at once for a declared Content-Length; a larger body grows as it comes. */
  private static final int MAX_PRESIZE = 256 * 1024;

  /** Whether a container's output stream has a {@code print(String)} of its own. */
  private static final ClassValue<Boolean> CONTAINER_PRINTS = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      try {
        return type.getMethod("print", String.class).getDeclaringClass() != ServletOutputStream.class;
      } catch (NoSuchMethodException cannotHappen) {
        return false;
      }
    }
  };

  /** The cache's side of a held response. */
  public interface Owner {
    /**
     * The application flushed a response still held: empty to go on holding it (the flush waits
     * for the whole page), or why the response will not be stored, to let it go now.
     */
    Optional<Reason> refusalSoFar(CaptureResponseWrapper response);

    /**
     * The response goes to the client before it is complete, and will not be stored.
     *
     * @return the fields the cache adds to it ({@code Cache-Status}, say)
     */
    Headers releasingEarly(CaptureResponseWrapper response, Reason why);
  }

  private enum State {
    /** Everything is recorded; the client has nothing yet. */
    HOLDING,
    /** Let go: everything goes straight to the client. */
    PASSING,
    /** Let go, but there is no client: everything is dropped. */
    DROPPING
  }

  /** A {@code sendRedirect}, replayed on release so the container resolves the location its way. */
  private record Redirect(String location, int status, boolean clearBuffer, boolean servlet61) {}

  private final Owner owner;
  /** Fields meant for the cache, never sent: {@code Surrogate-Control}, and these. */
  private final Set<String> withheld;
  private final boolean hasClient;
  private final long maxBodyBytes;
  private final ContainerCharsets charsets;
  private final HeldBody body = new HeldBody();
  private State state = State.HOLDING;
  private Reason releasedEarlyBecause;

  private int status = SC_OK;
  private final Headers.Builder headers = Headers.builder();
  /** Names the application set or removed: their values come from the record, not the container. */
  private final Set<String> touched = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
  private final List<Cookie> cookies = new ArrayList<>();
  private boolean setsCookie;
  private long declaredLength = -1;
  private boolean charsetChosen;
  /** Whether setLocale was called: Tomcat may take the charset from the locale. */
  private boolean localeChosen;
  private boolean appCommitted;
  /** After close(), sendError() or a clearing sendRedirect() the container takes no more body. */
  private boolean bodyClosed;
  private Integer errorStatus;
  private String errorMessage;
  private Redirect redirect;

  /** Made once and kept across reset(), as containers keep theirs: code may hold on to them. */
  private HeldOutputStream stream;
  private PrintWriter writer;
  private HeldWriter heldWriter;
  /** Which of the two the application uses now; reset() frees the choice. */
  private boolean usingStream;
  private boolean usingWriter;
  private ServletOutputStream clientStream;
  private PrintWriter clientWriter;
  /** Set-Cookie fields the container's response had before the render: more later means a cookie set past this wrapper. */
  private final int cookieFieldsBefore;
  private int containerBufferSize = -1;
  private boolean measuresLength = true;

  /**
   * @param response the client's response, or a {@link NoClientResponse}
   * @param maxBodyBytes the largest body held; past it the response is let go
   * @param withheld names of fields (besides {@code Surrogate-Control}) that are recorded but never
   *     sent, such as the tag fields ({@code PageTags.withheldHeaders})
   */
  public CaptureResponseWrapper(HttpServletResponse response, long maxBodyBytes, Set<String> withheld,
      ContainerCharsets charsets, Owner owner) {
    super(response);
    this.withheld = withheld;
    this.hasClient = !(response instanceof NoClientResponse);
    this.cookieFieldsBefore = response.getHeaders("Set-Cookie").size();
    this.maxBodyBytes = maxBodyBytes;
    this.charsets = charsets;
    this.owner = owner;
  }

  /** Leaves {@code Content-Length} to the application and the container (a {@code HEAD} answer has no body to measure). */
  public void keepContentLength() {
    measuresLength = false;
  }

  // ---- what was captured ----

  /** Whether the response is still held: nothing of it has reached the client. */
  public boolean isHeld() {
    return state == State.HOLDING;
  }

  /** Why the response was let go before it was complete; empty while held or once released whole. */
  public Optional<Reason> releasedEarlyBecause() {
    return Optional.ofNullable(releasedEarlyBecause);
  }

  /** The status the client gets. */
  @Override
  public int getStatus() {
    if (state != State.HOLDING) {
      return super.getStatus();
    }
    if (errorStatus != null) {
      return errorStatus;
    }
    return redirect != null ? redirect.status() : status;
  }

  /**
   * Header fields set by the application, {@code Surrogate-Control} and the withheld fields
   * included; cookies added with {@code addCookie} are not fields here.
   */
  public Headers recordedHeaders() {
    return headers.build();
  }

  /**
   * Whether the application added, or tried to add, a cookie: through this wrapper, or straight
   * on the container's response (a filter in front that saves a CSRF token cookie on the response
   * it was given).
   */
  public boolean setsCookie(String sessionCookie) {
    if (setsCookie) {
      return true;
    }
    // The container's own cookie for a session the render created is the session's business
    // (TrackedRequest sees the session); any other cookie set past this wrapper is a cookie.
    List<String> fields = new ArrayList<>(((HttpServletResponse) getResponse()).getHeaders("Set-Cookie"));
    for (int i = cookieFieldsBefore; i < fields.size(); i++) {
      if (!fields.get(i).startsWith(sessionCookie + "=")) {
        return true;
      }
    }
    return false;
  }

  public boolean sentError() {
    return errorStatus != null;
  }

  public Optional<String> errorMessage() {
    return Optional.ofNullable(errorMessage);
  }

  public boolean sentRedirect() {
    return redirect != null;
  }

  /**
   * Whether the body held is not what the client gets in full: it differs from the
   * {@code Content-Length} the application declared, or something wrote to the container's
   * response past this wrapper.
   */
  public boolean incomplete() {
    if (errorStatus != null || redirect != null) {
      return false;
    }
    if (declaredLength >= 0 && declaredLength != body.size()) {
      return true;
    }
    return hasClient && state == State.HOLDING && super.isCommitted();
  }

  /** The body held. */
  public byte[] body() {
    return body.toByteArray();
  }

  /**
   * Ends rendering: characters a writer still holds are encoded into the body. The response stays
   * held until {@link #release}.
   */
  public void complete() throws IOException {
    if (usingWriter) {
      heldWriter.flushEncoder();
      bindClientWriter();
    }
  }

  /**
   * Sends the whole held response, with {@code ours} replacing the application's fields of the
   * same names; the container computes what it always does ({@code Content-Length} of a stream
   * body is set here). Does nothing for a response without a client, or one already let go.
   */
  public void release(Headers ours) throws IOException {
    if (state == State.HOLDING) {
      send(ours, true);
    }
  }

  /**
   * Sends one slice of the held body as 206 Partial Content (RFC 9110 §15.3.7): the fields
   * {@link #release} would send, with {@code Content-Range} and the slice's length. Sends nothing
   * and answers false when the response is not a held, whole body to slice, or when a writer's
   * charset cannot write exactly those bytes (a slice that cuts a character in two): the caller
   * then {@link #release}s the whole response.
   */
  public boolean releasePartial(Headers ours, RangeAnswer.Partial part) throws IOException {
    if (state != State.HOLDING || !hasClient || errorStatus != null || redirect != null
        || part.completeLength() != body.size()) {
      return false;
    }
    int first = Math.toIntExact(part.first());
    int length = Math.toIntExact(part.length());
    char[] chars = null;
    if (usingWriter) {
      chars = heldWriter.decodeExactly(body.array(), first, length);
      if (chars == null) {
        return false;
      }
    } else if (!usingStream) {
      return false;
    }
    state = State.PASSING;
    HttpServletResponse client = (HttpServletResponse) getResponse();
    replayFields(client, ours);
    client.setStatus(SC_PARTIAL_CONTENT);
    client.setHeader("Content-Range", part.contentRange());
    client.setContentLengthLong(length);
    if (chars != null) {
      bindClientWriter();
      clientWriter.write(chars);
    } else {
      clientStream().write(body.array(), first, length);
    }
    body.discard();
    return true;
  }

  /** The length of the body held so far. */
  public int bodyLength() {
    return body.size();
  }

  /** The {@code Location} the container put on a released redirect; empty before. */
  public Optional<String> redirectLocation() {
    return state == State.PASSING ? Optional.ofNullable(super.getHeader("Location")) : Optional.empty();
  }

  /**
   * Lets the response go before it is complete, because it will not be stored: what was held is
   * sent (or, without a client, dropped) and the rest streams through.
   */
  public void releaseEarly(Reason why) throws IOException {
    if (state != State.HOLDING) {
      return;
    }
    releasedEarlyBecause = why;
    Headers ours = owner.releasingEarly(this, why);
    if (usingWriter) {
      heldWriter.flushEncoder();
      bindClientWriter();
    }
    send(ours, false);
  }

  /**
   * Gives the response up with nothing of the render (an asynchronous render that timed out or
   * failed): what was held is dropped, and whatever is written from now on (the container's error
   * page, an application's fallback) goes straight to the client. Nothing is sent here, so the
   * container can still answer with an error of its own.
   *
   * <p>Called on a container thread while the application's may still be writing: the held bytes
   * are left for the collector rather than discarded under that write.
   */
  public void abandon(Reason why) {
    if (state != State.HOLDING) {
      return;
    }
    releasedEarlyBecause = why;
    state = hasClient ? State.PASSING : State.DROPPING;
  }

  private void send(Headers ours, boolean whole) throws IOException {
    if (!hasClient) {
      state = State.DROPPING;
      body.discard();
      return;
    }
    state = State.PASSING;
    HttpServletResponse client = (HttpServletResponse) getResponse();
    replayFields(client, ours);
    if (errorStatus != null) {
      // The container renders its error page; nothing held goes with it.
      body.discard();
      if (errorMessage == null) {
        client.sendError(errorStatus);
      } else {
        client.sendError(errorStatus, errorMessage);
      }
      return;
    }
    if (redirect != null) {
      if (!redirect.clearBuffer()) {
        sendBody();
      }
      body.discard();
      if (redirect.servlet61()) {
        Servlet61.sendRedirect(client, redirect.location(), redirect.status(), redirect.clearBuffer());
      } else {
        client.sendRedirect(redirect.location());
      }
      return;
    }
    if (whole && measuresLength && declaredLength < 0 && usingStream && mayHaveContent(status)) {
      client.setContentLengthLong(body.size());
    }
    sendBody();
  }

  /** RFC 9110 §8.6: a 1xx, 204 or 304 response has no content and no Content-Length of it. */
  private static boolean mayHaveContent(int status) {
    return status >= 200 && status != 204 && status != 304;
  }

  private void replayFields(HttpServletResponse client, Headers ours) {
    if (errorStatus == null && redirect == null) {
      client.setStatus(status);
    } else if (redirect != null && !redirect.clearBuffer()) {
      client.setStatus(redirect.status());
    }
    for (String name : touched) {
      if (!headers.contains(name) && !ours.contains(name) && !withholds(name)) {
        client.setHeader(name, null); // removed by the application, perhaps after a filter in front set it
      }
    }
    for (Headers.Field field : headers.build().fields()) {
      String name = field.name();
      if (!withholds(name) && !ours.contains(name)) {
        ResponseFields.replace(client, name, field.values());
      }
    }
    for (Cookie cookie : cookies) {
      client.addCookie(cookie);
    }
    for (Headers.Field field : ours.fields()) {
      ResponseFields.replace(client, field.name(), field.values());
    }
    if (declaredLength >= 0 && errorStatus == null) {
      client.setContentLengthLong(declaredLength);
    }
  }

  private void sendBody() throws IOException {
    if (body.size() == 0) {
      body.discard();
      return;
    }
    if (usingWriter) {
      // The container's writer encodes again what our copy encoded with the same charset.
      bindClientWriter();
      clientWriter.write(heldWriter.decode(body.array(), body.size()));
    } else if (usingStream) {
      body.writeTo(clientStream());
    }
    body.discard();
  }

  // ---- body ----

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (state != State.HOLDING && !usingStream && !usingWriter) {
      return super.getOutputStream();
    }
    if (usingWriter) {
      throw new IllegalStateException("getWriter() has already been called for this response");
    }
    usingStream = true;
    if (stream == null) {
      stream = new HeldOutputStream();
    }
    return stream;
  }

  /** The container's output stream, taken when it is first needed. */
  private ServletOutputStream clientStream() throws IOException {
    if (clientStream == null) {
      clientStream = super.getOutputStream();
    }
    return clientStream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (state != State.HOLDING && !usingStream && !usingWriter) {
      return super.getWriter();
    }
    if (usingStream) {
      throw new IllegalStateException("getOutputStream() has already been called for this response");
    }
    if (!usingWriter) {
      usingWriter = true;
      // The charset the container's writer would use now; the container's writer itself is taken
      // when the body is complete (Tomcat keeps a writer's encoder across reset(), so one taken
      // early could encode with a charset the application has since replaced).
      String charset = super.getCharacterEncoding();
      if (!hasClient) {
        clientWriter = super.getWriter(); // a render without a client: only for what it does to Content-Type
      }
      if (heldWriter == null) {
        heldWriter = new HeldWriter();
        writer = new PrintWriter(heldWriter, false);
      }
      heldWriter.encodeIn(charset);
    }
    return writer;
  }

  /**
   * Takes the container's writer, with the charset the held body was encoded in, so that the
   * container states it in {@code Content-Type} as it would have. Before the body is sent, and
   * before the snapshot reads the content type.
   */
  private void bindClientWriter() throws IOException {
    if (!usingWriter || clientWriter != null) {
      return;
    }
    if (!heldWriter.charsetName.equalsIgnoreCase(String.valueOf(super.getCharacterEncoding()))) {
      super.setCharacterEncoding(heldWriter.charsetName); // a later setLocale or content type moved it
    }
    String contentTypeBefore = super.getContentType();
    clientWriter = super.getWriter();
    if (!charsetChosen) {
      charsets.learn(contentTypeBefore, localeChosen ? super.getLocale() : null, super.getCharacterEncoding(),
          super.getContentType());
    }
  }

  /** The container's writer, taken now if the response was given up before it was needed. */
  private PrintWriter liveClientWriter() throws IOException {
    bindClientWriter();
    return clientWriter;
  }

  /** Decides, before {@code length} more bytes are held, whether they still fit. */
  private boolean fits(long length) throws IOException {
    if (body.size() + length <= maxBodyBytes) {
      return true;
    }
    releaseEarly(Reason.TOO_LARGE);
    return false;
  }

  /** Once the body passes the container's buffer, the container would have committed. */
  private void noteBodyGrew() {
    if (containerBufferSize < 0) {
      containerBufferSize = super.getBufferSize();
    }
    if (body.size() > containerBufferSize) {
      appCommitted = true;
    }
  }

  @Override
  public void setContentLength(int length) {
    setContentLengthLong(length);
  }

  @Override
  public void setContentLengthLong(long length) {
    if (state != State.HOLDING) {
      super.setContentLengthLong(length);
      return;
    }
    declare(length);
  }

  private void declare(long length) {
    if (appCommitted) {
      return;
    }
    declaredLength = length;
    if (length > maxBodyBytes) {
      try {
        releaseEarly(Reason.TOO_LARGE);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    } else if (measuresLength && length > body.size()) {
      body.expect((int) Math.min(length, MAX_PRESIZE)); // a declared length may lie
    }
  }

  @Override
  public void flushBuffer() throws IOException {
    if (state != State.HOLDING) {
      super.flushBuffer();
      return;
    }
    flushHeld();
  }

  /** A flush while held: let the response go if it cannot be stored anyway, else keep holding it. */
  private void flushHeld() throws IOException {
    if (usingWriter) {
      heldWriter.flushEncoder();
    }
    Optional<Reason> refusal = owner.refusalSoFar(this);
    if (refusal.isPresent()) {
      releaseEarly(refusal.get());
      if (state == State.PASSING) {
        super.flushBuffer();
      }
      return;
    }
    appCommitted = true;
  }

  @Override
  public void resetBuffer() {
    if (state != State.HOLDING) {
      super.resetBuffer();
      return;
    }
    if (appCommitted) {
      throw new IllegalStateException("the response is committed");
    }
    discardBody();
  }

  @Override
  public void reset() {
    if (state != State.HOLDING) {
      super.reset();
      return;
    }
    if (appCommitted) {
      throw new IllegalStateException("the response is committed");
    }
    // The container forgets its content type, charset, locale and writer, as it would.
    super.reset();
    discardBody();
    status = SC_OK;
    headers.clear();
    touched.clear();
    cookies.clear();
    setsCookie = false;
    declaredLength = -1;
    charsetChosen = false;
    localeChosen = false;
    // Either may be taken again; the next getWriter() encodes in the charset set by then.
    usingStream = false;
    usingWriter = false;
    clientStream = null;
    clientWriter = null;
  }

  @Override
  public boolean isCommitted() {
    return state == State.HOLDING ? appCommitted : super.isCommitted();
  }

  @Override
  public void setBufferSize(int size) {
    if (state == State.HOLDING && body.size() > 0) {
      throw new IllegalStateException("setBufferSize after content was written"); // as the container says
    }
    super.setBufferSize(size);
    containerBufferSize = -1;
  }

  // ---- status ----

  @Override
  public void setStatus(int status) {
    if (state != State.HOLDING) {
      super.setStatus(status);
    } else if (!appCommitted) {
      this.status = status;
    }
  }

  @Override
  public void sendError(int status, String message) throws IOException {
    if (state != State.HOLDING) {
      super.sendError(status, message);
      return;
    }
    holdError(status, message);
  }

  @Override
  public void sendError(int status) throws IOException {
    if (state != State.HOLDING) {
      super.sendError(status);
      return;
    }
    holdError(status, null);
  }

  private void holdError(int status, String message) {
    if (appCommitted) {
      throw new IllegalStateException("sendError(" + status + ") after the response was committed");
    }
    errorStatus = status;
    errorMessage = message;
    discardBody();
    appCommitted = true;
    bodyClosed = true;
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    if (state != State.HOLDING) {
      super.sendRedirect(location);
      return;
    }
    holdRedirect(new Redirect(location, SC_FOUND, true, false));
  }

  // Servlet 6.1 (Tomcat 11) adds these; the 6.1 wrapper hands them straight to the wrapped
  // response, past this one. We compile against 6.0, hence no @Override and a reflective call.

  /** Servlet 6.1 {@code sendRedirect(String, int)}. */
  public void sendRedirect(String location, int status) throws IOException {
    sendRedirect(location, status, true);
  }

  /** Servlet 6.1 {@code sendRedirect(String, boolean)}. */
  public void sendRedirect(String location, boolean clearBuffer) throws IOException {
    sendRedirect(location, SC_FOUND, clearBuffer);
  }

  /** Servlet 6.1 {@code sendRedirect(String, int, boolean)}. */
  public void sendRedirect(String location, int status, boolean clearBuffer) throws IOException {
    if (state != State.HOLDING) {
      Servlet61.sendRedirect(getResponse(), location, status, clearBuffer);
      return;
    }
    holdRedirect(new Redirect(location, status, clearBuffer, true));
  }

  private void holdRedirect(Redirect redirect) {
    if (appCommitted) {
      throw new IllegalStateException("sendRedirect after the response was committed");
    }
    this.redirect = redirect;
    if (redirect.clearBuffer()) {
      discardBody();
    }
    appCommitted = true;
    bodyClosed = true;
  }

  private void discardBody() {
    if (heldWriter != null) {
      heldWriter.flushEncoder(); // into the body, which is then cleared with it
    }
    body.clear();
  }

  // ---- headers ----

  @Override
  public void setHeader(String name, String value) {
    if (state != State.HOLDING) {
      if (name == null || !withholds(name)) {
        super.setHeader(name, value);
      }
      return;
    }
    if (name == null) {
      return;
    }
    noteCookieField(name, value);
    if (appCommitted) {
      return;
    }
    if (name.equalsIgnoreCase("Content-Type")) {
      setContentType(value);
    } else if (name.equalsIgnoreCase("Content-Length")) {
      declare(value == null ? -1 : parseLength(value));
    } else {
      touched.add(name);
      if (value == null) {
        headers.remove(name);
      } else {
        headers.set(name, value);
      }
    }
  }

  @Override
  public void addHeader(String name, String value) {
    if (state != State.HOLDING) {
      if (name == null || !withholds(name)) {
        super.addHeader(name, value);
      }
      return;
    }
    if (name == null || value == null) {
      return;
    }
    noteCookieField(name, value);
    if (appCommitted) {
      return;
    }
    if (name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Content-Length")) {
      setHeader(name, value);
      return;
    }
    if (!touched.contains(name)) {
      // Add to the container's values, as the container would.
      touched.add(name);
      for (String existing : super.getHeaders(name)) {
        headers.add(name, existing);
      }
    }
    headers.add(name, value);
  }

  /** Whether a field is meant for the cache alone: recorded, never sent. */
  private boolean withholds(String name) {
    return name.equalsIgnoreCase(SURROGATE_CONTROL) || withheld.contains(name);
  }

  private void noteCookieField(String name, String value) {
    if (value != null && (name.equalsIgnoreCase("Set-Cookie") || name.equalsIgnoreCase("Set-Cookie2"))) {
      setsCookie = true;
    }
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException notALength) {
      return -1;
    }
  }

  @Override
  public void setIntHeader(String name, int value) {
    setHeader(name, Integer.toString(value));
  }

  @Override
  public void addIntHeader(String name, int value) {
    addHeader(name, Integer.toString(value));
  }

  @Override
  public void setDateHeader(String name, long date) {
    setHeader(name, HttpDates.format(Instant.ofEpochMilli(date)));
  }

  @Override
  public void addDateHeader(String name, long date) {
    addHeader(name, HttpDates.format(Instant.ofEpochMilli(date)));
  }

  @Override
  public void addCookie(Cookie cookie) {
    if (state != State.HOLDING) {
      super.addCookie(cookie);
      return;
    }
    setsCookie = true; // even one the container would drop: the page was rendered for one visitor
    if (!appCommitted && cookie != null) {
      cookies.add(cookie);
    }
  }

  @Override
  public boolean containsHeader(String name) {
    if (state != State.HOLDING) {
      return super.containsHeader(name);
    }
    if (name.equalsIgnoreCase("Content-Length")) {
      return declaredLength >= 0;
    }
    return touched.contains(name) ? headers.contains(name) : super.containsHeader(name);
  }

  @Override
  public String getHeader(String name) {
    if (state != State.HOLDING) {
      return super.getHeader(name);
    }
    if (name.equalsIgnoreCase("Content-Length")) {
      return declaredLength >= 0 ? Long.toString(declaredLength) : null;
    }
    if (touched.contains(name)) {
      List<String> values = headers.get(name);
      return values.isEmpty() ? null : values.get(0);
    }
    return super.getHeader(name);
  }

  @Override
  public Collection<String> getHeaders(String name) {
    if (state != State.HOLDING) {
      return super.getHeaders(name);
    }
    return touched.contains(name) ? new ArrayList<>(headers.get(name)) : super.getHeaders(name);
  }

  @Override
  public Collection<String> getHeaderNames() {
    if (state != State.HOLDING) {
      return super.getHeaderNames();
    }
    Set<String> names = new LinkedHashSet<>();
    for (String name : super.getHeaderNames()) {
      if (!touched.contains(name)) {
        names.add(name);
      }
    }
    for (Headers.Field field : headers.build().fields()) {
      names.add(field.name());
    }
    return names;
  }

  // ---- what the container keeps: passed on at once ----

  @Override
  public void setContentType(String type) {
    if (state != State.HOLDING) {
      super.setContentType(type);
      return;
    }
    if (appCommitted) {
      return;
    }
    if (type != null && ContainerCharsets.hasCharset(type)) {
      if (usingWriter) {
        // After getWriter() the charset can no longer change (Servlet 6 §5.5): keep the writer's.
        type = ContainerCharsets.mediaType(type) + ";charset=" + heldWriter.charsetName;
      } else {
        charsetChosen = true;
      }
    }
    super.setContentType(type);
  }

  @Override
  public void setCharacterEncoding(String charset) {
    if (state != State.HOLDING) {
      super.setCharacterEncoding(charset);
      return;
    }
    if (appCommitted || usingWriter) {
      return; // no effect after getWriter(), as in the container
    }
    if (charset != null) {
      charsetChosen = true;
    }
    super.setCharacterEncoding(charset);
  }

  /** Servlet 6.1 {@code setCharacterEncoding(Charset)}, which the 6.1 wrapper would pass straight on. */
  public void setCharacterEncoding(Charset charset) {
    setCharacterEncoding(charset == null ? null : charset.name());
  }

  @Override
  public void setLocale(Locale locale) {
    if (state != State.HOLDING || locale == null) {
      super.setLocale(locale);
      return;
    }
    if (appCommitted) {
      return;
    }
    localeChosen = true;
    super.setLocale(locale);
    // Jetty shows the Content-Language it derived; Tomcat adds it only when the response commits.
    String language = super.getHeader("Content-Language");
    if (language == null && locale.equals(getLocale()) && !locale.toLanguageTag().equals("und")) {
      language = locale.toLanguageTag();
    }
    if (language != null) {
      touched.add("Content-Language");
      headers.set("Content-Language", language);
    }
  }

  private static Charset charsetOf(String name) {
    try {
      return name == null ? StandardCharsets.ISO_8859_1 : Charset.forName(name.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException unknown) {
      return StandardCharsets.ISO_8859_1;
    }
  }

  /** The application's output stream: into the held body, later straight to the client. */
  private final class HeldOutputStream extends ServletOutputStream {
    private final byte[] one = new byte[1];

    @Override
    public void write(int b) throws IOException {
      one[0] = (byte) b;
      write(one, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      switch (state) {
        case HOLDING -> {
          if (!usingStream && !usingWriter) {
            usingStream = true; // kept across reset() and written to again, as containers allow
          }
          if (bodyClosed) {
            return; // the container takes nothing after close(), sendError or sendRedirect
          }
          if (fits(length)) {
            body.write(bytes, offset, length);
            noteBodyGrew();
          } else if (state == State.PASSING) {
            clientStream().write(bytes, offset, length);
          }
        }
        case PASSING -> clientStream().write(bytes, offset, length);
        case DROPPING -> { }
      }
    }

    @Override
    public void flush() throws IOException {
      switch (state) {
        case HOLDING -> flushHeld();
        case PASSING -> clientStream().flush();
        case DROPPING -> { }
      }
    }

    @Override
    public void close() throws IOException {
      switch (state) {
        case HOLDING -> {
          appCommitted = true; // the body is complete; it goes out on release
          bodyClosed = true;
        }
        case PASSING -> clientStream().close();
        case DROPPING -> { }
      }
    }

    /**
     * Jetty encodes {@code print(String)} with the response charset; the Servlet API's own
     * version (Tomcat) writes Latin-1. Either way the client gets what its container does.
     */
    @Override
    public void print(String text) throws IOException {
      if (state == State.PASSING) {
        clientStream().print(text);
      } else if (CONTAINER_PRINTS.get(clientStream().getClass())) {
        byte[] bytes = String.valueOf(text).getBytes(charsetOf(getCharacterEncoding()));
        write(bytes, 0, bytes.length);
      } else {
        super.print(text); // the API's version, through our write(int)
      }
    }

    @Override
    public boolean isReady() {
      try {
        return state != State.PASSING || clientStream().isReady();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      try {
        releaseEarly(Reason.ASYNC); // non-blocking output belongs to asynchronous code
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      try {
        clientStream().setWriteListener(listener);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** The application's writer: encoded into the held body, later straight to the client's writer. */
  private final class HeldWriter extends Writer {
    private Charset charset;
    /** The name the container gave the charset, for giving it back. */
    private String charsetName;
    private OutputStreamWriter encoder;

    /** Encodes from now on in {@code name}, the charset the container's writer would use. */
    void encodeIn(String name) {
      if (encoder != null) {
        flushEncoder();
      }
      this.charset = charsetOf(name);
      this.charsetName = name == null ? charset.name() : name;
      this.encoder = new OutputStreamWriter(new java.io.OutputStream() {
        @Override
        public void write(int b) {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
          body.write(bytes, offset, length);
        }
      }, charset);
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
      int end = offset + length;
      for (int at = offset; at < end; at += CHARS_PER_SLICE) {
        int slice = Math.min(CHARS_PER_SLICE, end - at);
        if (!admit()) {
          passOn(chars, at, end - at);
          return;
        }
        encoder.write(chars, at, slice);
      }
      afterWrite();
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
      int end = offset + length;
      for (int at = offset; at < end; at += CHARS_PER_SLICE) {
        int slice = Math.min(CHARS_PER_SLICE, end - at);
        if (!admit()) {
          passOn(text.substring(at, end).toCharArray(), 0, end - at);
          return;
        }
        encoder.write(text, at, slice);
      }
      afterWrite();
    }

    /** Whether characters go into the held body; false once the response was let go. */
    private boolean admit() throws IOException {
      if (state != State.HOLDING || bodyClosed) {
        return false;
      }
      if (!usingWriter && !usingStream) {
        usingWriter = true; // kept across reset() and written to again, as containers allow
      }
      if (body.size() > maxBodyBytes) {
        releaseEarly(Reason.TOO_LARGE);
        return false;
      }
      return true;
    }

    private void afterWrite() throws IOException {
      if (state == State.HOLDING && body.size() > maxBodyBytes) {
        encoder.flush();
        releaseEarly(Reason.TOO_LARGE);
      } else if (state == State.HOLDING) {
        noteBodyGrew();
      }
    }

    private void passOn(char[] chars, int offset, int length) throws IOException {
      if (state == State.PASSING) {
        liveClientWriter().write(chars, offset, length);
      }
    }

    @Override
    public void flush() throws IOException {
      switch (state) {
        case HOLDING -> flushHeld();
        case PASSING -> liveClientWriter().flush();
        case DROPPING -> { }
      }
    }

    @Override
    public void close() throws IOException {
      switch (state) {
        case HOLDING -> {
          flushEncoder();
          appCommitted = true;
          bodyClosed = true;
        }
        case PASSING -> liveClientWriter().close();
        case DROPPING -> { }
      }
    }

    /** Moves what the encoder still buffers into the body. */
    void flushEncoder() {
      try {
        encoder.flush();
      } catch (IOException cannotHappen) {
        throw new IllegalStateException("the body is in memory", cannotHappen);
      }
    }

    /**
     * The characters that encode to exactly these bytes in the writer's charset, or null when
     * there are none (the bytes start or end inside a character).
     */
    char[] decodeExactly(byte[] bytes, int offset, int length) {
      try {
        CharBuffer chars = charset.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes, offset, length));
        ByteBuffer again = charset.newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .encode(chars.duplicate());
        if (!again.equals(ByteBuffer.wrap(bytes, offset, length))) {
          return null;
        }
        char[] out = new char[chars.remaining()];
        chars.get(out);
        return out;
      } catch (java.nio.charset.CharacterCodingException | UnsupportedOperationException cut) {
        return null;
      }
    }

    /** Decodes what was held back to the characters that produced it, for the container's writer. */
    char[] decode(byte[] bytes, int length) {
      try {
        CharBuffer chars = charset.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE)
            .decode(ByteBuffer.wrap(bytes, 0, length));
        char[] out = new char[chars.remaining()];
        chars.get(out);
        return out;
      } catch (java.nio.charset.CharacterCodingException cannotHappen) {
        throw new IllegalStateException(cannotHappen);
      }
    }
  }
}
