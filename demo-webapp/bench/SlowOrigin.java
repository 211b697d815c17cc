import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The origin of bench/proxy-load.sh: pages that take DELAY_MS (default 1000) to answer, with no
 * thread held while they wait (a timer answers them), so the origin alone handles thousands of
 * concurrent requests and the proxy in front of it is what is measured.
 *
 * <pre>
 *   java bench/SlowOrigin.java PORT [DELAY_MS]      (binds 127.0.0.1)
 *   /slow       after DELAY_MS, Cache-Control: no-store (never cached)
 *   /cacheable  after DELAY_MS, Cache-Control: max-age=300
 *   /count      how many requests each page has received, one "path count" per line, and
 *               "in-flight N": requests received and not yet answered
 * </pre>
 */
public final class SlowOrigin {
  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    long delayMs = args.length > 1 ? Long.parseLong(args[1]) : 1000;
    // The JDK server closes kept-alive connections beyond 200 idle ones: wrk counts each as an error.
    System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
    ConcurrentHashMap<String, AtomicLong> counts = new ConcurrentHashMap<>();
    AtomicLong inFlight = new AtomicLong();
    ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8192);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      exchange.getRequestBody().readAllBytes();
      if (path.equals("/count")) {
        StringBuilder text = new StringBuilder();
        counts.forEach((page, count) -> text.append(page).append(' ').append(count.get()).append('\n'));
        text.append("in-flight ").append(inFlight.get()).append('\n');
        answer(exchange, 200, "no-store", text.toString());
        return;
      }
      if (!path.equals("/slow") && !path.equals("/cacheable")) {
        answer(exchange, 404, "no-store", "no such page\n");
        return;
      }
      counts.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
      inFlight.incrementAndGet();
      String cacheControl = path.equals("/slow") ? "no-store" : "max-age=300";
      // Answered later by the timer: the JDK server keeps the exchange open until it is closed.
      timer.schedule(() -> {
        inFlight.decrementAndGet();
        answer(exchange, 200, cacheControl, "x".repeat(1024) + "\n");
      }, delayMs, TimeUnit.MILLISECONDS);
    });
    server.start();
    System.out.println("slow origin at http://127.0.0.1:" + port + "/ (" + delayMs + " ms)");
  }

  private static void answer(HttpExchange exchange, int status, String cacheControl, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (exchange; OutputStream out = exchange.getResponseBody()) {
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.getResponseHeaders().set("Cache-Control", cacheControl);
      exchange.sendResponseHeaders(status, bytes.length);
      out.write(bytes);
    } catch (IOException | RuntimeException clientGone) {
      // nothing to do: the client went away
    }
  }
}
