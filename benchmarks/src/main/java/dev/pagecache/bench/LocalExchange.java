package dev.pagecache.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.LocalConnector;

/**
 * One persistent (keep-alive) HTTP/1.1 connection to Jetty's in-memory {@link LocalConnector}: no
 * sockets, no selector, so what a request costs is Jetty's HTTP handling, the application, and a
 * hand-off to a Jetty pool thread and back.
 *
 * <p>The client side is kept lean on purpose ({@link #exchange}): it reads only the status line and
 * {@code Content-Length} and counts the body bytes, where {@code LocalEndPoint.waitForResponse}
 * would run a full {@code HttpParser} and copy the response again. The responses measured here are
 * sized by {@code Content-Length}, which the reader checks, except those a handler compresses on the
 * fly ({@code GzipHandler}): those are chunked, and end at the last chunk.
 */
final class LocalExchange {
  private static final long TIMEOUT_SECONDS = 10;
  private static final byte[] CONTENT_LENGTH = "\r\ncontent-length:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHUNKED = "\r\ntransfer-encoding: chunked".getBytes(StandardCharsets.US_ASCII);
  /** How a chunked body ends: the last chunk's CRLF, the zero-size chunk, no trailer fields. */
  private static final byte[] LAST_CHUNK = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  /** {@link #bodyLength} of a chunked response: it ends at {@link #LAST_CHUNK}. */
  private static final long CHUNKED_BODY = -2;

  private final LocalConnector.LocalEndPoint endPoint;
  /** The start of a response: status line and header fields, which fit in the first 8 KiB here. */
  private final byte[] head = new byte[8192];

  LocalExchange(LocalConnector connector) {
    this.endPoint = connector.connect();
  }

  /** A request as the bytes a browser would send, for {@link #exchange}. */
  static ByteBuffer request(String method, String target, String... extraFields) {
    StringBuilder text = new StringBuilder()
        .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: www.example.com\r\n")
        .append("User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0\r\n")
        .append("Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n")
        .append("Accept-Language: en-GB,en;q=0.5\r\n");
    for (String field : extraFields) {
      text.append(field).append("\r\n");
    }
    text.append("\r\n");
    return ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.ISO_8859_1)).asReadOnlyBuffer();
  }

  /**
   * Sends {@code request} and waits for the whole response.
   *
   * @param head whether the request was a {@code HEAD} (the response then has no body)
   * @return the response's size in bytes, head included
   */
  int exchange(ByteBuffer request, boolean head) throws Exception {
    return exchange(request, head, null);
  }

  /** Sends {@code request} and returns the whole response, parsed: for checks, not for measuring. */
  Response fetch(ByteBuffer request, boolean head) throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    exchange(request, head, all);
    return Response.parse(all.toByteArray());
  }

  void close() {
    endPoint.close();
  }

  private int exchange(ByteBuffer request, boolean isHead, ByteArrayOutputStream keep) throws Exception {
    endPoint.addInput(request.duplicate());
    int headLength = 0;
    int headEnd = -1;
    long expected = -1;
    long total = 0;
    boolean chunked = false;
    byte[] lastBytes = new byte[LAST_CHUNK.length];
    while (true) {
      ByteBuffer chunk = endPoint.waitForOutput(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (chunk == null || !chunk.hasRemaining()) {
        throw new IllegalStateException("no response within " + TIMEOUT_SECONDS + " s, or the connection closed");
      }
      int n = chunk.remaining();
      if (keep != null) {
        byte[] copy = new byte[n];
        chunk.get(chunk.position(), copy);
        keep.writeBytes(copy);
      }
      if (headEnd < 0) {
        int copy = Math.min(n, head.length - headLength);
        chunk.get(chunk.position(), head, headLength, copy);
        int from = Math.max(0, headLength - 3);
        headLength += copy;
        headEnd = indexOfBlankLine(head, from, headLength);
        if (headEnd < 0 && headLength == head.length) {
          throw new IllegalStateException("response head longer than " + head.length + " bytes");
        }
        if (headEnd >= 0) {
          long bodyLength = bodyLength(head, headEnd, isHead);
          chunked = bodyLength == CHUNKED_BODY;
          expected = chunked ? -1 : headEnd + bodyLength;
        }
      }
      if (chunked || headEnd < 0) {
        remember(chunk, lastBytes);
      }
      total += n;
      if (chunked && Arrays.equals(lastBytes, LAST_CHUNK)) {
        return (int) total;
      }
      if (expected >= 0 && total >= expected) {
        if (total != expected) {
          throw new IllegalStateException("response is " + total + " bytes, Content-Length says " + expected);
        }
        return (int) total;
      }
    }
  }

  /** Shifts the bytes of {@code chunk} (not consumed) into {@code last}, a window on the stream's end. */
  private static void remember(ByteBuffer chunk, byte[] last) {
    int n = chunk.remaining();
    if (n >= last.length) {
      chunk.get(chunk.position() + n - last.length, last, 0, last.length);
      return;
    }
    System.arraycopy(last, n, last, 0, last.length - n);
    chunk.get(chunk.position(), last, last.length - n, n);
  }

  /** Index just past the CRLFCRLF that ends the head, or -1. */
  private static int indexOfBlankLine(byte[] bytes, int from, int to) {
    for (int i = from; i + 3 < to; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
        return i + 4;
      }
    }
    return -1;
  }

  private static long bodyLength(byte[] bytes, int headEnd, boolean isHead) {
    int status = (bytes[9] - '0') * 100 + (bytes[10] - '0') * 10 + (bytes[11] - '0');
    if (isHead || status == 304 || status == 204 || status < 200) {
      return 0;
    }
    int at = indexOfIgnoringCase(bytes, CONTENT_LENGTH, headEnd);
    if (at < 0 && indexOfIgnoringCase(bytes, CHUNKED, headEnd) >= 0) {
      return CHUNKED_BODY;
    }
    if (at < 0) {
      throw new IllegalStateException("response without Content-Length: " + new String(bytes, 0, headEnd,
          StandardCharsets.ISO_8859_1));
    }
    long length = 0;
    for (int i = at + CONTENT_LENGTH.length; i < headEnd; i++) {
      byte b = bytes[i];
      if (b >= '0' && b <= '9') {
        length = length * 10 + (b - '0');
      } else if (b != ' ') {
        break;
      }
    }
    return length;
  }

  private static int indexOfIgnoringCase(byte[] bytes, byte[] lowerCaseNeedle, int to) {
    outer:
    for (int i = 0; i + lowerCaseNeedle.length <= to; i++) {
      for (int j = 0; j < lowerCaseNeedle.length; j++) {
        byte b = bytes[i + j];
        if (b >= 'A' && b <= 'Z') {
          b += 'a' - 'A';
        }
        if (b != lowerCaseNeedle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A parsed response, for the checks a benchmark makes before it measures. */
  record Response(int status, List<String[]> fields, int bodyLength) {
    static Response parse(byte[] bytes) {
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      int headEnd = text.indexOf("\r\n\r\n");
      String[] lines = text.substring(0, headEnd).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      List<String[]> fields = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        fields.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
      }
      return new Response(status, fields, bytes.length - headEnd - 4);
    }

    Optional<String> header(String name) {
      return fields.stream().filter(f -> f[0].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
          .map(f -> f[1]).findFirst();
    }

    @Override
    public String toString() {
      StringBuilder text = new StringBuilder().append(status);
      for (String[] field : fields) {
        text.append("\n  ").append(field[0]).append(": ").append(field[1]);
      }
      return text.append("\n  (").append(bodyLength).append(" body bytes)").toString();
    }
  }
}
