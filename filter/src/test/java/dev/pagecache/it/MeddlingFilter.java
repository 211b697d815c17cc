package dev.pagecache.it;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Sits in front of the cache filter and, for requests carrying {@code X-Meddle}, does its worst
 * to whatever the cache hands out: it overwrites every byte array passed to {@code write} after
 * passing it on, and once the cache has answered it changes the status, the headers and the body
 * of the response if it still can. None of it may reach the next request.
 */
public final class MeddlingFilter implements Filter {
  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    if (request.getHeader("X-Meddle") == null) {
      chain.doFilter(req, res);
      return;
    }
    HttpServletResponse response = (HttpServletResponse) res;
    chain.doFilter(req, new ScribblingResponse(response));
    if (!response.isCommitted()) {
      response.setStatus(299);
      response.setHeader("X-Origin", "meddled");
      response.setHeader("ETag", "\"meddled\"");
      response.setHeader("Cache-Control", "meddled");
      response.resetBuffer();
      response.getOutputStream().write("meddled body".getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static final class ScribblingResponse extends HttpServletResponseWrapper {
    private ServletOutputStream stream;

    ScribblingResponse(HttpServletResponse response) {
      super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      if (stream == null) {
        ServletOutputStream real = super.getOutputStream();
        stream = new ServletOutputStream() {
          @Override
          public void write(int b) throws IOException {
            real.write(b);
          }

          @Override
          public void write(byte[] bytes, int offset, int length) throws IOException {
            real.write(bytes, offset, length);
            Arrays.fill(bytes, offset, offset + length, (byte) 'X');
          }

          @Override
          public boolean isReady() {
            return real.isReady();
          }

          @Override
          public void setWriteListener(WriteListener listener) {
            real.setWriteListener(listener);
          }
        };
      }
      return stream;
    }
  }
}
