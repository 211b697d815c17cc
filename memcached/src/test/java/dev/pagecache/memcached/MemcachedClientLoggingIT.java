package dev.pagecache.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.it.BrokenMemcached;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What spymemcached says while memcached refuses every connection goes through pagecache's
 * logger, rate-limited: no stack trace on stderr every reconnect. Unless the application chose
 * spymemcached's logger itself: then that choice stands.
 */
class MemcachedClientLoggingIT {

  /**
   * Uses the store for a few seconds against a refused address, then prints spymemcached's
   * JVM-wide logger property. Runs in a JVM of its own: which logger spymemcached uses is settled
   * once per JVM, by whichever test touched it first.
   */
  public static final class AgainstARefusedServer {
    public static void main(String[] args) throws Exception {
      MemcachedSettings settings = MemcachedSettings.servers(args[0]).withTimeout(Duration.ofMillis(50));
      try (MemcachedPageStore store = MemcachedPageStore.connect(settings, InstantSource.system(), 1 << 20)) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
          try {
            store.get("http://example.com:80/page");
          } catch (RuntimeException miss) {
            // expected: memcached is not there
          }
          Thread.sleep(100);
        }
      }
      System.out.println(MemcachedClientLog.PROPERTY + "=" + System.getProperty(MemcachedClientLog.PROPERTY));
    }
  }

  private record Output(String stdout, String stderr) {
    List<String> errorLines() {
      return stderr.lines().toList();
    }
  }

  @Test
  void aRefusedServerPrintsNoStackTracesOnlyAFewLinesThroughPagecachesLogger(@TempDir Path dir) throws Exception {
    Output output = runAgainstARefusedServer(dir);
    String stderr = output.stderr();
    List<String> lines = output.errorLines();

    assertThat(lines).as(stderr).noneMatch(line -> line.startsWith("\tat ") || line.startsWith("Caused by"));
    assertThat(lines.size()).as(stderr).isLessThanOrEqualTo(12);
    assertThat(stderr).as("not through spymemcached's own logger").doesNotContain("net.spy.memcached.MemcachedConnection:  ");
    // A reconnect every ~2 s for 5 s: one line through pagecache's logger (java.util.logging on
    // stderr here), and the others held back for a minute (a second topic for another level).
    assertThat(lines.stream().filter(line -> line.contains("pagecache: memcached client (MemcachedConnection)")))
        .as(stderr).hasSizeBetween(1, 2);
    assertThat(output.stdout()).as("the JVM-wide property is left unset, as it was")
        .contains(MemcachedClientLog.PROPERTY + "=null");
  }

  @Test
  void anApplicationThatChoseSpymemcachedsLoggerKeepsIt(@TempDir Path dir) throws Exception {
    String sunLogger = net.spy.memcached.compat.log.SunLogger.class.getName();
    Output output = runAgainstARefusedServer(dir, "-D" + MemcachedClientLog.PROPERTY + "=" + sunLogger);

    assertThat(output.stderr()).as("through java.util.logging, under spymemcached's own names")
        .contains("Closing, and reopening").doesNotContain("pagecache: memcached client (");
    assertThat(output.stdout()).contains(MemcachedClientLog.PROPERTY + "=" + sunLogger);
  }

  private static Output runAgainstARefusedServer(Path dir, String... jvmOptions) throws Exception {
    Path out = dir.resolve("stdout.txt");
    Path errors = dir.resolve("stderr.txt");
    try (BrokenMemcached refused = BrokenMemcached.refused()) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(List.of(jvmOptions));
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), AgainstARefusedServer.class.getName(),
          refused.address()));
      Process child = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(errors.toFile()).start();
      boolean exited = child.waitFor(30, TimeUnit.SECONDS);
      if (!exited) {
        child.destroyForcibly();
      }
      Output output = new Output(Files.readString(out, StandardCharsets.UTF_8), Files.readString(errors, StandardCharsets.UTF_8));
      assertThat(exited).as(output.stderr()).isTrue();
      assertThat(child.exitValue()).as(output.stderr()).isZero();
      return output;
    }
  }
}
