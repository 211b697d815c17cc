package dev.pagecache.demo.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built jar ({@code target/pagecache-demo.jar}) run as a separate process, as a user runs it:
 * {@code java -jar pagecache-demo.jar [options]}. Output (stdout and stderr together) is collected.
 */
final class DemoJar implements AutoCloseable {
  private static final Pattern START_LINE = Pattern.compile("pagecache demo at (http://\\S+/) \\|");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final CompletableFuture<String> startLine = new CompletableFuture<>();
  private final Thread reader;

  private DemoJar(Process process) {
    this.process = process;
    this.reader = new Thread(this::readOutput, "demo-jar-output");
    reader.setDaemon(true);
    reader.start();
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("demo.jar", "target/pagecache-demo.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run the integration tests with mvn verify");
    }
    return jar;
  }

  /** Starts the jar with {@code args}; {@link #uri()} waits until it listens. */
  static DemoJar start(String... args) throws IOException {
    return start(Map.of(), args);
  }

  /** Starts the jar with {@code args} and these variables added to its environment. */
  static DemoJar start(Map<String, String> environment, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar", jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder process = new ProcessBuilder(command).redirectErrorStream(true);
    process.environment().putAll(environment);
    return new DemoJar(process.start());
  }

  /** Runs the jar with {@code args} to its end, for options that make it exit. */
  static Result run(String... args) throws Exception {
    try (DemoJar demo = start(args)) {
      if (!demo.process.waitFor(30, TimeUnit.SECONDS)) {
        throw new AssertionError("the demo did not exit; output: " + demo.output());
      }
      demo.reader.join(10_000); // the output ends with the process
      return new Result(demo.process.exitValue(), demo.output());
    }
  }

  /** What a run that exited printed, and its status. */
  record Result(int exitStatus, List<String> lines) {}

  /** The URL from the start line, once the server listens. */
  URI uri() throws Exception {
    String url = startLine.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return URI.create(url);
  }

  /** The line logged at start. */
  String startLine() throws Exception {
    uri();
    synchronized (output) {
      return output.stream().filter(line -> START_LINE.matcher(line).find()).findFirst().orElseThrow();
    }
  }

  /** The line with the random purge token, printed right after the start line. */
  String purgeTokenLine() throws Exception {
    uri();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      synchronized (output) {
        for (String line : output) {
          if (line.startsWith("pagecache-demo: purge token for this run: ")) {
            return line;
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no purge token line; output: " + output());
  }

  List<String> output() {
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  /** The process's id, e.g. to read its thread count from {@code /proc}. */
  long pid() {
    return process.pid();
  }

  int port() throws Exception {
    return uri().getPort();
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("Picked up ")) {
          continue; // the JVM's notice of JAVA_TOOL_OPTIONS and the like, not the demo's output
        }
        synchronized (output) {
          output.add(line);
        }
        Matcher matcher = START_LINE.matcher(line);
        if (matcher.find()) {
          startLine.complete(matcher.group(1));
        }
      }
    } catch (IOException closed) {
      // the process ended
    } finally {
      startLine.completeExceptionally(new IllegalStateException("the demo exited without starting: " + output()));
    }
  }

  /** Stops the process: SIGTERM (Jetty stops gracefully), then, if it lingers, SIGKILL. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
