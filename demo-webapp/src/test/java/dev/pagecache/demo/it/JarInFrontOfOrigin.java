package dev.pagecache.demo.it;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An origin of a test's own (the JDK's HTTP server, answering with {@code handler}) and the built
 * demo jar in front of it in reverse-proxy mode: what each proxy-mode test of one HTTP feature starts.
 */
final class JarInFrontOfOrigin implements AutoCloseable {
  private final HttpServer origin;
  private final ExecutorService originThreads;
  private final DemoJar proxy;

  private JarInFrontOfOrigin(HttpServer origin, ExecutorService originThreads, DemoJar proxy) {
    this.origin = origin;
    this.originThreads = originThreads;
    this.proxy = proxy;
  }

  /** @param proxyOptions more options for the demo jar, e.g. {@code --origin-timeout 500ms} */
  static JarInFrontOfOrigin start(HttpHandler handler, String... proxyOptions) throws Exception {
    HttpServer origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    ExecutorService originThreads = Executors.newCachedThreadPool();
    origin.setExecutor(originThreads);
    origin.createContext("/", handler);
    origin.start();
    try {
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--port", "0", "--proxy-to",
          "http://127.0.0.1:" + origin.getAddress().getPort(), "--cache-size", "32MiB"));
      args.addAll(java.util.List.of(proxyOptions));
      DemoJar proxy = DemoJar.start(args.toArray(String[]::new));
      proxy.uri(); // started and listening
      return new JarInFrontOfOrigin(origin, originThreads, proxy);
    } catch (Exception | Error e) {
      origin.stop(0);
      originThreads.shutdownNow();
      throw e;
    }
  }

  DemoJar proxy() {
    return proxy;
  }

  @Override
  public void close() throws Exception {
    try {
      proxy.close();
    } finally {
      origin.stop(0);
      originThreads.shutdownNow();
    }
  }
}
