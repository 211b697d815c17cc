package dev.pagecache.it;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Everything logged while it is open, at every level: java.util.logging from the root (where
 * {@code System.Logger}, so pagecache, and Tomcat write in these tests) with stack traces, and
 * standard error (where Jetty's slf4j-simple writes), still passed on to the real one.
 */
final class LogCapture implements AutoCloseable {
  private final StringBuilder text = new StringBuilder();
  private final Logger root = Logger.getLogger("");
  private final Logger pagecache = Logger.getLogger("dev.pagecache");
  private final Level pagecacheLevel = pagecache.getLevel();
  private final PrintStream originalErr = System.err;
  private final Handler handler;

  LogCapture() {
    Formatter formatter = new SimpleFormatter();
    handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        synchronized (text) {
          text.append(formatter.format(record));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    pagecache.setLevel(Level.ALL);
    System.setErr(new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        originalErr.write(bytes, offset, length);
        synchronized (text) {
          text.append(new String(bytes, offset, length, StandardCharsets.UTF_8));
        }
      }
    }, true, StandardCharsets.UTF_8));
  }

  String text() {
    synchronized (text) {
      return text.toString();
    }
  }

  @Override
  public void close() {
    System.setErr(originalErr);
    root.removeHandler(handler);
    pagecache.setLevel(pagecacheLevel);
  }
}
