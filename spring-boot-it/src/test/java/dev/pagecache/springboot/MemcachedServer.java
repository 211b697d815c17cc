package dev.pagecache.springboot;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real memcached process on a free loopback port, stopped through its own process handle. A copy of
 * the filter module's dev.pagecache.it.MemcachedServer until that is published in a test jar.
 * Fails (does not skip) when the binary is missing, saying how to install it.
 */
public final class MemcachedServer implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/memcached");

  private final int port;
  private final List<String> extraArgs;
  private Process process;

  private MemcachedServer(int port, List<String> extraArgs) {
    this.port = port;
    this.extraArgs = extraArgs;
  }

  /** Starts memcached with {@code extraArgs} (e.g. {@code "-I", "512k"}). */
  public static MemcachedServer start(String... extraArgs) throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " is missing: these tests need a real memcached. "
          + "Install it with: apt-get update && apt-get install -y memcached");
    }
    MemcachedServer server = new MemcachedServer(freePort(), List.of(extraArgs));
    server.launch();
    return server;
  }

  private void launch() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(BINARY.toString(), "-l", "127.0.0.1", "-p", Integer.toString(port),
        "-U", "0", "-m", "64", "-t", "2", "-u", "root"));
    command.addAll(extraArgs);
    process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("memcached exited with " + process.exitValue() + ": " + command);
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(20);
      }
    }
    throw new IllegalStateException("memcached did not listen on port " + port + " within 10 s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Kills the process (as a crash would) and waits for it to go. */
  public void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Starts it again on the same port, empty. */
  public void restart() throws IOException, InterruptedException {
    kill();
    launch();
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
