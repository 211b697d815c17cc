package dev.pagecache.demo.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real memcached (Debian package memcached) on a free loopback port, stopped by {@link #close()}. */
final class MemcachedProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private MemcachedProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static MemcachedProcess start() throws Exception {
    Path binary = Path.of("/usr/bin/memcached");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("this test needs memcached: apt-get update && apt-get install -y memcached");
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Process process = new ProcessBuilder(binary.toString(), "-l", "127.0.0.1", "-p", Integer.toString(port),
        "-U", "0", "-m", "64", "-u", "root").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return new MemcachedProcess(process, port);
      } catch (IOException notYet) {
        Thread.sleep(20);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("memcached did not start");
  }

  /** {@code 127.0.0.1:PORT}, as {@code --memcached} takes it. */
  String address() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
