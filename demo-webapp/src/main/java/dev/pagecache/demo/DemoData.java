package dev.pagecache.demo;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.AddrUtil;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;

/**
 * What visitors write to the demo, the {@link Wiki} and the {@link Feeds}: one per web application,
 * shared by the servlets that use it ({@link #acquire} in {@code init}, {@link #release} in
 * {@code destroy}).
 *
 * <p>Alone, the demo keeps it in its own memory. Demo processes behind one load balancer must
 * share it, as the servers of a fleet share their database, or an edit made through one would
 * never show on another however well the cache purges. With the context init-param
 * {@value #MEMCACHED_PARAM} ({@code host:port[,host:port...]}; the jar sets it from
 * {@code --memcached}) it is kept in those memcached servers, the one thing the processes
 * already share. Not signed, unlike the cache's pages: a record read back is checked and shown
 * escaped, but whoever can write to memcached can change the wiki.
 */
public final class DemoData {
  /** Context init-param: memcached servers to keep the data in, instead of this JVM's memory. */
  public static final String MEMCACHED_PARAM = "dev.pagecache.demo.memcached";
  private static final Logger LOG = System.getLogger(DemoData.class.getName());
  private static final String ATTRIBUTE = DemoData.class.getName();
  /** A record is the page's data, not a cached copy: worth waiting for longer than the cache does. */
  private static final long TIMEOUT_MILLIS = 1000;

  private final Wiki wiki;
  private final Feeds feeds;
  private final MemcachedClient client;
  /** Servlets holding this; guarded by the class lock. */
  private int holders;

  private DemoData(Wiki wiki, Feeds feeds, MemcachedClient client) {
    this.wiki = wiki;
    this.feeds = feeds;
    this.client = client;
  }

  /** The web application's data, opened by the first servlet that asks. */
  static DemoData acquire(ServletContext context) throws ServletException {
    synchronized (DemoData.class) {
      DemoData data = context.getAttribute(ATTRIBUTE) instanceof DemoData open ? open : null;
      if (data == null) {
        data = open(context.getInitParameter(MEMCACHED_PARAM));
        context.setAttribute(ATTRIBUTE, data);
      }
      data.holders++;
      return data;
    }
  }

  /** Closes the data (its memcached connections) once the last servlet holding it lets go. */
  void release(ServletContext context) {
    synchronized (DemoData.class) {
      if (--holders > 0) {
        return;
      }
      context.removeAttribute(ATTRIBUTE);
    }
    if (client != null) {
      client.shutdown(2, TimeUnit.SECONDS);
    }
  }

  Wiki wiki() {
    return wiki;
  }

  Feeds feeds() {
    return feeds;
  }

  /**
   * Answers {@code 503} when the records do not answer: the cache does not store it, so the next
   * request tries again.
   */
  static void sendUnavailable(HttpServletResponse response, Records.Unavailable e) throws IOException {
    LOG.log(Level.WARNING, "pagecache demo: " + e.getMessage());
    response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "The demo's data cannot be reached now; try again");
  }

  private static DemoData open(String memcached) throws ServletException {
    if (memcached == null || memcached.isBlank()) {
      return new DemoData(new Wiki(Records.inMemory(Wiki.MAX_PAGES + 1), InstantSource.system()),
          new Feeds(Records.inMemory(Feeds.MAX_USERS)), null);
    }
    MemcachedClient client;
    try {
      client = new MemcachedClient(new ConnectionFactoryBuilder()
          .setProtocol(ConnectionFactoryBuilder.Protocol.BINARY)
          .setOpTimeout(TIMEOUT_MILLIS)
          .setFailureMode(FailureMode.Cancel) // fail at once while a server is down, rather than queue
          .setMaxReconnectDelay(2) // seconds: back soon after memcached is
          .setDaemon(true)
          .build(), AddrUtil.getAddresses(memcached.trim()));
    } catch (IOException | IllegalArgumentException e) {
      throw new ServletException(MEMCACHED_PARAM + ": cannot use '" + memcached + "': " + e.getMessage(), e);
    }
    return new DemoData(new Wiki(new MemcachedRecords(client, "wiki:", TIMEOUT_MILLIS), InstantSource.system()),
        new Feeds(new MemcachedRecords(client, "feeds:", TIMEOUT_MILLIS)), client);
  }
}
