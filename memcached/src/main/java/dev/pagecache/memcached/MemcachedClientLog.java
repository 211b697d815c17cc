package dev.pagecache.memcached;

import java.lang.System.Logger;
import net.spy.memcached.compat.log.AbstractLogger;
import net.spy.memcached.compat.log.Level;
import net.spy.memcached.compat.log.LoggerFactory;

/**
 * Where spymemcached's own messages go once pagecache uses it: to pagecache's logger
 * {@value #LOGGER_NAME}, a child of {@code dev.pagecache.PageCacheFilter}. Its INFO messages
 * (connection attempts, one per reconnect) become DEBUG; WARN and ERROR are logged at most once a
 * minute per kind, without a stack trace unless that logger is at DEBUG. Left alone, spymemcached
 * prints to stderr, with a stack trace for every failed reconnect (every 2 s while memcached is
 * down).
 *
 * <p>Public only because spymemcached creates it by class name; not an API.
 */
public final class MemcachedClientLog extends AbstractLogger {
  static final String LOGGER_NAME = "dev.pagecache.PageCacheFilter.memcached";
  /** spymemcached's JVM-wide choice of logger class, read once per copy of spymemcached. */
  static final String PROPERTY = "net.spy.log.LoggerImpl";
  private static final RateLimitedLog LOG = new RateLimitedLog(System.getLogger(LOGGER_NAME), 60_000, System::nanoTime);

  private final String source;

  /**
   * Called by spymemcached, once per logger it makes.
   *
   * @param name spymemcached's logger name, a class name; its simple name tells the messages apart
   */
  public MemcachedClientLog(String name) {
    super(name);
    this.source = name.substring(name.lastIndexOf('.') + 1);
  }

  /**
   * Makes the spymemcached next to this class log here, unless the application chose its logger
   * with {@value #PROPERTY}. The property is JVM-wide but read only once, when this copy of
   * spymemcached makes its first logger: so it is set just for that moment, and cleared again,
   * leaving other applications in the JVM (with copies of their own) as they were. Nothing
   * happens if spymemcached is loaded where it cannot see this class (a server's shared lib).
   */
  static synchronized void install() {
    if (System.getProperty(PROPERTY) != null) {
      return;
    }
    try {
      if (Class.forName(MemcachedClientLog.class.getName(), false, LoggerFactory.class.getClassLoader())
          != MemcachedClientLog.class) {
        return;
      }
    } catch (ClassNotFoundException | LinkageError e) {
      return;
    }
    System.setProperty(PROPERTY, MemcachedClientLog.class.getName());
    try {
      LoggerFactory.getLogger(MemcachedClientLog.class);
    } finally {
      System.clearProperty(PROPERTY);
    }
  }

  @Override
  public boolean isTraceEnabled() {
    return LOG.logger().isLoggable(Logger.Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return LOG.logger().isLoggable(Logger.Level.DEBUG);
  }

  /** Its INFO is our DEBUG. */
  @Override
  public boolean isInfoEnabled() {
    return isDebugEnabled();
  }

  @Override
  public void log(Level level, Object message, Throwable e) {
    Logger.Level target = switch (level) {
      case TRACE -> Logger.Level.TRACE;
      case DEBUG, INFO -> Logger.Level.DEBUG;
      case WARN -> Logger.Level.WARNING;
      case ERROR, FATAL -> Logger.Level.ERROR;
    };
    String text = "pagecache: memcached client (" + source + "): " + message;
    if (isDebugEnabled()) {
      LOG.logger().log(target, text, e); // someone is looking closely: everything, with stack traces
    } else {
      LOG.log(target, getName() + " " + level, () -> e == null ? text : text + ": " + e);
    }
  }
}
