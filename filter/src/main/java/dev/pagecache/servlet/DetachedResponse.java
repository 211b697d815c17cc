package dev.pagecache.servlet;

import dev.pagecache.http.Headers;
import dev.pagecache.http.HttpDates;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A response that reaches no client: the origin renders into it while the client is answered
 * from a stale copy (a refresh), or before the cache decides between the render and a stale copy
 * (stale-if-error). It keeps everything in memory, up to a limit; {@link #copyTo} hands a render
 * on to the real response.
 */
public final class DetachedResponse implements HttpServletResponse {
  private final long maxBodyBytes;
  private final Headers.Builder headers = Headers.builder();
  private final List<Cookie> cookies = new ArrayList<>();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private int status = SC_OK;
  private String contentType;
  private String characterEncoding;
  private Locale locale = Locale.getDefault();
  private boolean committed;
  private Integer errorStatus;
  private String errorMessage;
  private String redirectLocation;
  private ServletOutputStream stream;
  private PrintWriter writer;
  private int bufferSize = 32 * 1024;

  public DetachedResponse(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Writes what the origin rendered into {@code response}, as if it had rendered there. */
  public void copyTo(HttpServletResponse response) throws IOException {
    flushWriter();
    for (Headers.Field field : headers.build().fields()) {
      for (int i = 0; i < field.values().size(); i++) {
        if (i == 0) {
          response.setHeader(field.name(), field.values().get(i));
        } else {
          response.addHeader(field.name(), field.values().get(i));
        }
      }
    }
    for (Cookie cookie : cookies) {
      response.addCookie(cookie);
    }
    if (redirectLocation != null) {
      response.sendRedirect(redirectLocation);
      return;
    }
    if (errorStatus != null) {
      if (errorMessage == null) {
        response.sendError(errorStatus);
      } else {
        response.sendError(errorStatus, errorMessage);
      }
      return;
    }
    response.setStatus(status);
    if (contentType != null) {
      response.setContentType(contentType);
    }
    if (characterEncoding != null) {
      response.setCharacterEncoding(characterEncoding);
    }
    byte[] bytes = body.toByteArray();
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  private void flushWriter() {
    if (writer != null) {
      writer.flush();
    }
  }

  private void append(byte[] bytes, int offset, int length) throws IOException {
    if (body.size() + (long) length > maxBodyBytes) {
      throw new IOException("a detached render may not exceed " + maxBodyBytes + " bytes");
    }
    body.write(bytes, offset, length);
    if (body.size() > bufferSize) {
      committed = true;
    }
  }

  // ---- body ----

  @Override
  public ServletOutputStream getOutputStream() {
    if (writer != null) {
      throw new IllegalStateException("getWriter() was called");
    }
    if (stream == null) {
      stream = new Sink();
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() {
    if (stream != null) {
      throw new IllegalStateException("getOutputStream() was called");
    }
    if (writer == null) {
      if (characterEncoding == null) {
        characterEncoding = StandardCharsets.ISO_8859_1.name();
      }
      writer = new PrintWriter(new OutputStreamWriter(new Sink(), Charset.forName(characterEncoding)), false);
    }
    return writer;
  }

  @Override
  public void flushBuffer() {
    flushWriter();
    committed = true;
  }

  @Override
  public void resetBuffer() {
    if (committed) {
      throw new IllegalStateException("committed");
    }
    flushWriter();
    body.reset();
  }

  @Override
  public void reset() {
    resetBuffer();
    headers.clear();
    cookies.clear();
    status = SC_OK;
    contentType = null;
  }

  @Override
  public boolean isCommitted() {
    return committed;
  }

  @Override
  public void setBufferSize(int size) {
    bufferSize = size;
  }

  @Override
  public int getBufferSize() {
    return bufferSize;
  }

  @Override
  public void setContentLength(int length) {
    setContentLengthLong(length);
  }

  @Override
  public void setContentLengthLong(long length) {
    // the copy sets the length of what was written
  }

  // ---- status ----

  @Override
  public void setStatus(int status) {
    if (!committed) {
      this.status = status;
    }
  }

  @Override
  public int getStatus() {
    return errorStatus != null ? errorStatus : status;
  }

  @Override
  public void sendError(int status, String message) {
    errorStatus = status;
    errorMessage = message;
    body.reset();
    committed = true;
  }

  @Override
  public void sendError(int status) {
    sendError(status, null);
  }

  @Override
  public void sendRedirect(String location) {
    redirectLocation = location;
    status = SC_FOUND;
    headers.set("Location", location);
    body.reset();
    committed = true;
  }

  // ---- headers ----

  @Override
  public void setHeader(String name, String value) {
    if (committed || name == null) {
      return;
    }
    if (name.equalsIgnoreCase("Content-Type")) {
      setContentType(value);
    } else if (value == null) {
      headers.remove(name);
    } else {
      headers.set(name, value);
    }
  }

  @Override
  public void addHeader(String name, String value) {
    if (committed || name == null || value == null) {
      return;
    }
    if (name.equalsIgnoreCase("Content-Type")) {
      setContentType(value);
    } else {
      headers.add(name, value);
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
  public boolean containsHeader(String name) {
    return headers.contains(name);
  }

  @Override
  public String getHeader(String name) {
    List<String> values = headers.get(name);
    return values.isEmpty() ? null : values.get(0);
  }

  @Override
  public Collection<String> getHeaders(String name) {
    return new ArrayList<>(headers.get(name));
  }

  @Override
  public Collection<String> getHeaderNames() {
    List<String> names = new ArrayList<>();
    for (Headers.Field field : headers.build().fields()) {
      names.add(field.name());
    }
    return names;
  }

  @Override
  public void addCookie(Cookie cookie) {
    if (!committed) {
      cookies.add(cookie);
      headers.add("Set-Cookie", cookie.getName() + "=" + cookie.getValue());
    }
  }

  @Override
  public void setContentType(String type) {
    if (committed || type == null) {
      return;
    }
    contentType = type;
    int charset = type.toLowerCase(Locale.ROOT).indexOf("charset=");
    if (charset >= 0 && writer == null) {
      characterEncoding = type.substring(charset + "charset=".length()).trim().replace("\"", "");
    }
  }

  @Override
  public String getContentType() {
    if (contentType == null) {
      return null;
    }
    boolean hasCharset = contentType.toLowerCase(Locale.ROOT).contains("charset=");
    return hasCharset || characterEncoding == null ? contentType : contentType + ";charset=" + characterEncoding;
  }

  @Override
  public void setCharacterEncoding(String charset) {
    if (!committed && writer == null) {
      characterEncoding = charset;
    }
  }

  @Override
  public String getCharacterEncoding() {
    return characterEncoding == null ? StandardCharsets.ISO_8859_1.name() : characterEncoding;
  }

  @Override
  public void setLocale(Locale locale) {
    if (!committed && locale != null) {
      this.locale = locale;
      headers.set("Content-Language", locale.toLanguageTag());
    }
  }

  @Override
  public Locale getLocale() {
    return locale;
  }

  /** Where the body goes: memory, up to the limit. */
  private final class Sink extends ServletOutputStream {
    @Override
    public void write(int b) throws IOException {
      append(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      append(bytes, offset, length);
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      throw new IllegalStateException("a detached render is synchronous");
    }
  }

  @Override
  public String encodeURL(String url) {
    return url;
  }

  @Override
  public String encodeRedirectURL(String url) {
    return url;
  }
}
