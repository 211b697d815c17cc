package dev.pagecache.internal.servlet;

import dev.pagecache.internal.http.HeaderNames;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Set;

/**
 * Lets a response through untouched, but calls a hook once before anything of it can reach the
 * client: the first byte written, a flush, {@code close}, {@code sendError} or
 * {@code sendRedirect}, or {@link #finish()} when the application wrote nothing. By then the status
 * is known, and fields set in the hook still go out. A {@code reset()} forgets the hook ran, so
 * the fields it set are set again. {@code Surrogate-Control}, meant for this cache, is kept from
 * the client ({@link WithholdingResponseWrapper}).
 *
 * <p>For requests of methods the cache does not answer ({@code POST}, {@code PUT}...): their
 * {@code Cache-Status} is set, and an unsafe method's success purges its URL, at that moment.
 */
public final class CommitWatchWrapper extends WithholdingResponseWrapper {
  private static final Set<String> WITHHELD = HeaderNames.setOf("Surrogate-Control");

  /** Called before the response can reach the client. */
  @FunctionalInterface
  public interface Hook {
    void beforeCommit(CommitWatchWrapper response, int status);
  }

  private final Hook hook;
  private boolean hookRan;
  private WatchedOutputStream stream;
  private WatchedWriter writer;

  public CommitWatchWrapper(HttpServletResponse response, Hook hook) {
    super(response, WITHHELD);
    this.hook = hook;
  }

  /** After the chain returned: runs the hook if nothing has yet. */
  public void finish() {
    if (!isCommitted()) {
      beforeCommit(getStatus());
    }
  }

  /** Sets a field on the client's response, past the application's view of it. */
  public void setClientHeader(String name, String value) {
    super.setHeader(name, value);
  }

  /** The {@code Location} as the container holds it. */
  public String location() {
    return super.getHeader("Location");
  }

  private void beforeCommit(int status) {
    if (!hookRan) {
      hookRan = true;
      hook.beforeCommit(this, status);
    }
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (stream == null) {
      stream = new WatchedOutputStream(super.getOutputStream());
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (writer == null) {
      writer = new WatchedWriter(super.getWriter());
    }
    return writer;
  }

  @Override
  public void flushBuffer() throws IOException {
    beforeCommit(getStatus());
    super.flushBuffer();
  }

  @Override
  public void reset() {
    super.reset();
    hookRan = false;
    stream = null;
    writer = null;
  }

  @Override
  public void sendError(int status, String message) throws IOException {
    beforeCommit(status);
    super.sendError(status, message);
  }

  @Override
  public void sendError(int status) throws IOException {
    beforeCommit(status);
    super.sendError(status);
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    super.setHeader("Location", location); // for the hook; the container resolves it as it sends
    beforeCommit(SC_FOUND);
    super.sendRedirect(location);
  }

  // Servlet 6.1 (Tomcat 11): see CaptureResponseWrapper.

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
    super.setHeader("Location", location); // for the hook; the container resolves it as it sends
    beforeCommit(status);
    Servlet61.sendRedirect(getResponse(), location, status, clearBuffer);
  }

  private final class WatchedOutputStream extends ServletOutputStream {
    private final ServletOutputStream client;

    WatchedOutputStream(ServletOutputStream client) {
      this.client = client;
    }

    @Override
    public void write(int b) throws IOException {
      beforeCommit(getStatus());
      client.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      beforeCommit(getStatus());
      client.write(bytes, offset, length);
    }

    @Override
    public void print(String text) throws IOException {
      beforeCommit(getStatus());
      client.print(text);
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

    @Override
    public boolean isReady() {
      return client.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      client.setWriteListener(listener);
    }
  }

  private final class WatchedWriter extends PrintWriter {
    private final PrintWriter client;

    WatchedWriter(PrintWriter client) {
      super(client, false);
      this.client = client;
    }

    @Override
    public void write(int c) {
      beforeCommit(getStatus());
      client.write(c);
    }

    @Override
    public void write(char[] chars, int offset, int length) {
      beforeCommit(getStatus());
      client.write(chars, offset, length);
    }

    @Override
    public void write(String text, int offset, int length) {
      beforeCommit(getStatus());
      client.write(text, offset, length);
    }

    @Override
    public void flush() {
      beforeCommit(getStatus());
      client.flush();
    }

    @Override
    public void close() {
      beforeCommit(getStatus());
      client.close();
    }

    @Override
    public boolean checkError() {
      return client.checkError();
    }
  }
}
