package dev.pagecache.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An address where memcached should be and is not usable, on loopback, in the three ways a
 * network fails: nothing listens (connect refused), nothing answers a connect (black hole), or a
 * server accepts and then never answers (silent).
 */
public final class BrokenMemcached implements AutoCloseable {
  private final String description;
  private final int port;
  private final ServerSocket listener;
  private final List<Socket> held = new CopyOnWriteArrayList<>();

  private BrokenMemcached(String description, int port, ServerSocket listener) {
    this.description = description;
    this.port = port;
    this.listener = listener;
  }

  /** A free loopback port nobody listens on: every connect is refused at once. */
  public static BrokenMemcached refused() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    return new BrokenMemcached("refused", port, null);
  }

  /**
   * A listener whose accept queue is full and never drained: the kernel drops every further SYN,
   * so a connect hangs as it does towards a non-routable address. (Such an address, 10.255.255.1
   * say, is no black hole in every sandbox: a transparent proxy may answer it.)
   */
  public static BrokenMemcached blackHole() throws IOException {
    ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    BrokenMemcached hole = new BrokenMemcached("black-hole", listener.getLocalPort(), listener);
    for (int attempt = 0; attempt < 64; attempt++) {
      Socket filler = new Socket();
      try {
        filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), hole.port), 300);
        hole.held.add(filler);
      } catch (SocketTimeoutException full) {
        filler.close();
        return hole; // this connect hung: so will the client's
      }
    }
    hole.close();
    throw new IllegalStateException("this system accepts connects past a full backlog: no black hole on loopback");
  }

  /** A server that accepts every connection and never reads or writes a byte. */
  public static BrokenMemcached silent() throws IOException {
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    BrokenMemcached silent = new BrokenMemcached("silent", listener.getLocalPort(), listener);
    Thread acceptor = new Thread(() -> {
      try {
        while (!listener.isClosed()) {
          silent.held.add(listener.accept());
        }
      } catch (IOException closed) {
        // the test is over
      }
    }, "silent-memcached");
    acceptor.setDaemon(true);
    acceptor.start();
    return silent;
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  @Override
  public String toString() {
    return description;
  }

  @Override
  public void close() throws IOException {
    if (listener != null) {
      listener.close();
    }
    for (Socket socket : held) {
      socket.close();
    }
  }
}
