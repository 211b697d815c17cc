package dev.pagecache.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for what an HTTP client library hides: a client that stops
 * reading or vanishes mid-page, and responses whose framing is broken.
 */
final class RawHttp {
  private RawHttp() {}

  /** Opens a connection and sends {@code GET path}; the caller reads (or not) and closes. */
  static Socket sendGet(int port, String path, int receiveBufferBytes) throws IOException {
    Socket socket = new Socket();
    if (receiveBufferBytes > 0) {
      socket.setReceiveBufferSize(receiveBufferBytes);
    }
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return socket;
  }

  /** Reads up to {@code limit} bytes, or until {@code quietMillis} pass without any. */
  static int readSome(Socket socket, int limit, int quietMillis) throws IOException {
    socket.setSoTimeout(quietMillis);
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[8192];
    int total = 0;
    try {
      while (total < limit) {
        int read = in.read(buffer, 0, Math.min(buffer.length, limit - total));
        if (read < 0) {
          break;
        }
        total += read;
      }
    } catch (SocketTimeoutException quiet) {
      // nothing more for now
    }
    return total;
  }

  /** Closes with a reset, as a client that vanishes does: the server's next write fails. */
  static void vanish(Socket socket) throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /** The whole response to a {@code GET}, however it ends (the server may cut it short). */
  static String get(int port, String path) throws IOException {
    try (Socket socket = sendGet(port, path, 0)) {
      socket.setSoTimeout(10_000);
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      try {
        socket.getInputStream().transferTo(response);
      } catch (IOException cutShort) {
        // what arrived is the answer
      }
      return response.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * Sends {@code head} (request line and header fields, each line ending in CRLF, without the
   * blank line) and {@code body} as they are, with {@code Connection: close}, and returns the whole
   * response: for requests a client library would not send (a GET with a body, a made-up method).
   */
  static String exchange(int port, String head, String body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write((head + "Connection: close\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      try {
        socket.getInputStream().transferTo(response);
      } catch (IOException cutShort) {
        // what arrived is the answer
      }
      return response.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
