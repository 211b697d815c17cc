package dev.pagecache.internal.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The response under a render that no client receives (a refresh after a stale page was
 * served): a {@link CaptureResponseWrapper} records everything and never lets it go, so this only
 * keeps what the wrapper asks its container for: content type, charset, locale, buffer size. It
 * chooses charsets as the container was seen to ({@link ContainerCharsets}).
 */
public final class NoClientResponse implements HttpServletResponse {
  private final ContainerCharsets charsets;
  private String contentType;
  private String characterEncoding;
  private boolean writerTaken;
  private Locale locale = Locale.getDefault();
  private boolean localeSet;
  private int bufferSize = 32 * 1024;

  public NoClientResponse(ContainerCharsets charsets) {
    this.charsets = charsets;
  }

  @Override
  public void setContentType(String type) {
    if (type == null) {
      contentType = null;
      return;
    }
    int at = type.toLowerCase(Locale.ROOT).indexOf("charset=");
    if (at >= 0) {
      if (!writerTaken) {
        characterEncoding = type.substring(at + "charset=".length()).replace("\"", "").split(";")[0].trim();
      }
      String withoutCharset = type.substring(0, at).trim();
      contentType = withoutCharset.endsWith(";") ? withoutCharset.substring(0, withoutCharset.length() - 1).trim()
          : withoutCharset;
    } else {
      contentType = type.trim();
    }
  }

  @Override
  public String getContentType() {
    if (contentType == null) {
      return null;
    }
    if (characterEncoding != null) {
      return contentType + ";charset=" + characterEncoding;
    }
    return contentType;
  }

  @Override
  public void setCharacterEncoding(String charset) {
    if (!writerTaken) {
      characterEncoding = charset;
    }
  }

  @Override
  public String getCharacterEncoding() {
    return characterEncoding != null ? characterEncoding : choice().charset();
  }

  @Override
  public PrintWriter getWriter() {
    if (!writerTaken && characterEncoding == null) {
      ContainerCharsets.Choice choice = choice();
      if (choice.addedToContentType()) {
        characterEncoding = choice.charset();
      }
    }
    writerTaken = true;
    return new PrintWriter(OutputStream.nullOutputStream(), false, StandardCharsets.ISO_8859_1);
  }

  private ContainerCharsets.Choice choice() {
    return charsets.choiceFor(contentType, localeSet ? locale : null);
  }

  @Override
  public ServletOutputStream getOutputStream() {
    return new ServletOutputStream() {
      @Override
      public void write(int b) {}

      @Override
      public void write(byte[] bytes, int offset, int length) {}

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setWriteListener(WriteListener listener) {
        throw new IllegalStateException("a render without a client is synchronous");
      }
    };
  }

  @Override
  public void setLocale(Locale locale) {
    if (locale != null) {
      this.locale = locale;
      this.localeSet = true;
    }
  }

  @Override
  public Locale getLocale() {
    return locale;
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
  public void reset() {
    contentType = null;
    characterEncoding = null;
    writerTaken = false;
    localeSet = false;
  }

  // Everything else is recorded by the wrapper and never reaches this response.

  @Override
  public boolean isCommitted() {
    return false;
  }

  @Override
  public void flushBuffer() {}

  @Override
  public void resetBuffer() {}

  @Override
  public void setContentLength(int length) {}

  @Override
  public void setContentLengthLong(long length) {}

  @Override
  public void addCookie(Cookie cookie) {}

  @Override
  public boolean containsHeader(String name) {
    return false;
  }

  @Override
  public String encodeURL(String url) {
    return url;
  }

  @Override
  public String encodeRedirectURL(String url) {
    return url;
  }

  @Override
  public void sendError(int status, String message) {}

  @Override
  public void sendError(int status) {}

  @Override
  public void sendRedirect(String location) {}

  @Override
  public void setDateHeader(String name, long date) {}

  @Override
  public void addDateHeader(String name, long date) {}

  @Override
  public void setHeader(String name, String value) {}

  @Override
  public void addHeader(String name, String value) {}

  @Override
  public void setIntHeader(String name, int value) {}

  @Override
  public void addIntHeader(String name, int value) {}

  @Override
  public void setStatus(int status) {}

  @Override
  public int getStatus() {
    return SC_OK;
  }

  @Override
  public String getHeader(String name) {
    return null;
  }

  @Override
  public Collection<String> getHeaders(String name) {
    return List.of();
  }

  @Override
  public Collection<String> getHeaderNames() {
    return List.of();
  }
}
