package dev.pagecache.servlet;

import dev.pagecache.http.Headers;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Tees a response to the client and into a bounded buffer, and records the header fields the
 * origin sets. The client receives exactly what it would without the wrapper: every call goes
 * through at once, except {@code Surrogate-Control}, which is meant for this cache and held back.
 *
 * <p>Every path that can commit the response (the first byte written, {@code flushBuffer},
 * {@code sendError}, {@code sendRedirect}) first calls the {@link CommitHook}, which sets the
 * cache's own headers while they can still be sent; {@link #finish()} calls it again with the
 * final picture if the response is still uncommitted.
 *
 * <p>Past {@code maxBodyBytes} (or a declared {@code Content-Length} above it) the buffer is
 * dropped and the rest streams through untouched. The wrapper is for one request on one thread.
 */
public final class CaptureResponseWrapper extends HttpServletResponseWrapper {
  private static final String SURROGATE_CONTROL = "Surrogate-Control";

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

  /** Called before anything can reach the client. */
  @FunctionalInterface
  public interface CommitHook {
    /**
     * @param status the status about to be sent
     * @param complete whether the origin has finished: the response is whole, not just begun
     */
    void beforeCommit(CaptureResponseWrapper response, int status, boolean complete);
  }

  private final CommitHook hook;
  private final BoundedBuffer body;
  private final Headers.Builder headers = Headers.builder();
  private boolean hookRan;
  private boolean capturing;
  private boolean setsCookie;
  private boolean sentError;
  private String errorMessage;
  private String redirectLocation;
  private TeeOutputStream stream;
  private PrintWriter writer;
  private Writer bodyEncoder;

  public CaptureResponseWrapper(HttpServletResponse response, long maxBodyBytes, CommitHook hook) {
    super(response);
    this.body = new BoundedBuffer(maxBodyBytes);
    this.hook = hook;
    this.capturing = maxBodyBytes > 0;
  }

  // ---- what was captured ----

  /** Header fields set through this wrapper, {@code Surrogate-Control} included. */
  public Headers recordedHeaders() {
    return headers.build();
  }

  public boolean setsCookie() {
    return setsCookie;
  }

  public boolean bodyTooLarge() {
    return body.overflowed();
  }

  /** The body as written so far; call after {@link #finish()}. */
  public byte[] body() {
    return body.toByteArray();
  }

  /**
   * The {@code Location} as the container holds it or, while a {@code sendRedirect} is about to
   * set it, as the origin gave it (possibly relative).
   */
  public String location() {
    String location = super.getHeader("Location");
    return location != null ? location : redirectLocation;
  }

  public boolean sentError() {
    return sentError;
  }

  public String errorMessage() {
    return errorMessage;
  }

  /** Sets a field for the client only, leaving the recorded origin fields as they are. */
  public void setClientHeader(String name, String value) {
    super.setHeader(name, value);
  }

  /** Sets a field's values for the client only; no values removes it. */
  public void setClientHeader(String name, List<String> values) {
    if (values.isEmpty()) {
      super.setHeader(name, null);
      return;
    }
    super.setHeader(name, values.get(0));
    for (int i = 1; i < values.size(); i++) {
      super.addHeader(name, values.get(i));
    }
  }

  /** Stops buffering: the rest of the response only streams (an event stream, say). */
  public void stopCapturing() {
    capturing = false;
    body.overflow();
  }

  /**
   * Hands the response over to asynchronous code: sets {@code name: value} while this thread
   * still owns the response, then stops buffering and never calls the hook again.
   */
  public void release(String name, String value) {
    if (!isCommitted()) {
      super.setHeader(name, value);
    }
    hookRan = true;
    stopCapturing();
  }

  /**
   * Ends capture once the chain has returned: pushes out characters still held for the buffer
   * and, if the response is uncommitted, lets the hook set its headers with the final picture.
   */
  public void finish() throws IOException {
    if (bodyEncoder != null) {
      bodyEncoder.flush();
    }
    if (!isCommitted()) {
      hook.beforeCommit(this, getStatus(), true);
      hookRan = true;
    }
  }

  private void beforeCommit(int status) {
    if (!hookRan) {
      hookRan = true;
      hook.beforeCommit(this, status, false);
    }
  }

  private void capture(byte[] bytes, int offset, int length) {
    if (capturing) {
      body.write(bytes, offset, length);
    }
  }

  // ---- body ----

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (stream == null) {
      stream = new TeeOutputStream(super.getOutputStream());
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (writer == null) {
      PrintWriter real = super.getWriter();
      // The container picked the charset when it handed out its writer; encode our copy the same way.
      Charset charset = charsetOf(getCharacterEncoding());
      bodyEncoder = new OutputStreamWriter(new CaptureSink(), charset);
      writer = new TeePrintWriter(new TeeWriter(real), real);
    }
    return writer;
  }

  @Override
  public void setContentLength(int length) {
    expectLength(length);
    super.setContentLength(length);
  }

  @Override
  public void setContentLengthLong(long length) {
    expectLength(length);
    super.setContentLengthLong(length);
  }

  private void expectLength(long length) {
    if (capturing && length >= 0) {
      body.expect(length);
    }
  }

  @Override
  public void flushBuffer() throws IOException {
    beforeCommit(getStatus());
    if (bodyEncoder != null) {
      bodyEncoder.flush();
    }
    super.flushBuffer();
  }

  @Override
  public void resetBuffer() {
    super.resetBuffer();
    clearBody();
  }

  @Override
  public void reset() {
    super.reset();
    clearBody();
    headers.clear();
    setsCookie = false;
    sentError = false;
    errorMessage = null;
    hookRan = false;
  }

  private void clearBody() {
    if (bodyEncoder != null) {
      try {
        bodyEncoder.flush();
      } catch (IOException cannotHappen) {
        throw new IllegalStateException(cannotHappen);
      }
    }
    if (capturing) {
      body.clear();
    }
  }

  // ---- status ----

  @Override
  public void sendError(int status, String message) throws IOException {
    beforeCommit(status);
    super.sendError(status, message);
    noteError(status, message);
  }

  @Override
  public void sendError(int status) throws IOException {
    beforeCommit(status);
    super.sendError(status);
    noteError(status, null);
  }

  private void noteError(int status, String message) {
    sentError = true;
    errorMessage = message;
    clearBody();
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    redirectLocation = location;
    beforeCommit(SC_FOUND);
    super.sendRedirect(location);
    clearBody();
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
    redirectLocation = location;
    beforeCommit(status);
    Servlet61.sendRedirect(getResponse(), location, status, clearBuffer);
    if (clearBuffer) {
      clearBody();
    }
  }

  // ---- headers ----

  @Override
  public void setHeader(String name, String value) {
    if (isCommitted() || name == null) {
      super.setHeader(name, value);
      return;
    }
    if (value == null) {
      headers.remove(name);
    } else {
      headers.set(name, value);
    }
    noteHeader(name, value);
    if (!name.equalsIgnoreCase(SURROGATE_CONTROL)) {
      super.setHeader(name, value);
    }
  }

  @Override
  public void addHeader(String name, String value) {
    if (isCommitted() || name == null || value == null) {
      super.addHeader(name, value);
      return;
    }
    headers.add(name, value);
    noteHeader(name, value);
    if (!name.equalsIgnoreCase(SURROGATE_CONTROL)) {
      super.addHeader(name, value);
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
    setHeader(name, dev.pagecache.http.HttpDates.format(java.time.Instant.ofEpochMilli(date)));
  }

  @Override
  public void addDateHeader(String name, long date) {
    addHeader(name, dev.pagecache.http.HttpDates.format(java.time.Instant.ofEpochMilli(date)));
  }

  private void noteHeader(String name, String value) {
    if (name.equalsIgnoreCase("Set-Cookie")) {
      setsCookie |= value != null;
    } else if (name.equalsIgnoreCase("Content-Length") && value != null) {
      try {
        expectLength(Long.parseLong(value.trim()));
      } catch (NumberFormatException notOurs) {
        // the container will complain about it; we only size our buffer
      }
    }
  }

  @Override
  public void setLocale(java.util.Locale locale) {
    if (isCommitted() || locale == null) {
      super.setLocale(locale);
      return;
    }
    super.setLocale(locale);
    // Jetty shows the Content-Language it derived; Tomcat adds it only when the response commits.
    String language = super.getHeader("Content-Language");
    if (language == null && locale.equals(getLocale()) && !locale.toLanguageTag().equals("und")) {
      language = locale.toLanguageTag();
    }
    if (language != null) {
      headers.set("Content-Language", language);
    }
  }

  @Override
  public void addCookie(Cookie cookie) {
    setsCookie = true;
    super.addCookie(cookie);
  }

  @Override
  public boolean containsHeader(String name) {
    return name.equalsIgnoreCase(SURROGATE_CONTROL) ? headers.contains(name) : super.containsHeader(name);
  }

  @Override
  public String getHeader(String name) {
    if (name.equalsIgnoreCase(SURROGATE_CONTROL)) {
      List<String> values = headers.get(name);
      return values.isEmpty() ? null : values.get(0);
    }
    return super.getHeader(name);
  }

  @Override
  public Collection<String> getHeaders(String name) {
    return name.equalsIgnoreCase(SURROGATE_CONTROL) ? new ArrayList<>(headers.get(name)) : super.getHeaders(name);
  }

  private static Charset charsetOf(String name) {
    try {
      return name == null ? StandardCharsets.ISO_8859_1 : Charset.forName(name.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException unknown) {
      return StandardCharsets.ISO_8859_1;
    }
  }

  /** Receives the bytes our copy of the writer's characters encode to. */
  private final class CaptureSink extends java.io.OutputStream {
    @Override
    public void write(int b) {
      capture(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      capture(bytes, offset, length);
    }
  }

  private final class TeeOutputStream extends ServletOutputStream {
    private final ServletOutputStream client;

    TeeOutputStream(ServletOutputStream client) {
      this.client = client;
    }

    @Override
    public void write(int b) throws IOException {
      beforeCommit(getStatus());
      client.write(b);
      capture(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      beforeCommit(getStatus());
      client.write(bytes, offset, length);
      capture(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
      beforeCommit(getStatus());
      client.flush();
    }

    @Override
    public void close() throws IOException {
      beforeCommit(getStatus());
      client.close();
    }

    /**
     * Jetty encodes {@code print(String)} with the response charset; the Servlet API's own
     * version (Tomcat) writes Latin-1. Either way the client gets what its container does.
     */
    @Override
    public void print(String text) throws IOException {
      if (!CONTAINER_PRINTS.get(client.getClass())) {
        super.print(text); // the API's version, through our write(int)
        return;
      }
      beforeCommit(getStatus());
      client.print(text);
      if (capturing) {
        byte[] bytes = String.valueOf(text).getBytes(charsetOf(getCharacterEncoding()));
        capture(bytes, 0, bytes.length);
      }
    }

    @Override
    public boolean isReady() {
      return client.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      client.setWriteListener(listener);
    }
  }

  private final class TeeWriter extends Writer {
    private final PrintWriter client;

    TeeWriter(PrintWriter client) {
      this.client = client;
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
      beforeCommit(getStatus());
      client.write(chars, offset, length);
      if (capturing && !body.overflowed()) {
        bodyEncoder.write(chars, offset, length);
      }
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
      beforeCommit(getStatus());
      client.write(text, offset, length);
      if (capturing && !body.overflowed()) {
        bodyEncoder.write(text, offset, length);
      }
    }

    @Override
    public void flush() throws IOException {
      beforeCommit(getStatus());
      client.flush();
    }

    @Override
    public void close() throws IOException {
      beforeCommit(getStatus());
      bodyEncoder.flush();
      client.close();
    }
  }

  /** Reports the container writer's errors too, since PrintWriter swallows them. */
  private static final class TeePrintWriter extends PrintWriter {
    private final PrintWriter client;

    TeePrintWriter(Writer tee, PrintWriter client) {
      super(tee, false);
      this.client = client;
    }

    @Override
    public boolean checkError() {
      return super.checkError() || client.checkError();
    }
  }
}
