package dev.pagecache.bench;

import dev.pagecache.internal.http.Headers;
import dev.pagecache.store.CacheEntry;
import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.store.PageCodec;
import dev.pagecache.memcached.MemcachedPageStore;
import dev.pagecache.memcached.MemcachedSettings;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.spy.memcached.CachedData;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.transcoders.Transcoder;

/**
 * The shared layer's cost, measured against spymemcached itself in the same run: a pagecache L2
 * hit (get, checksum, inflate, decode) of a 20 KB HTML page next to a raw get of the very bytes
 * pagecache stores, interleaved in rounds; and what a page costs on the wire with and without
 * compression. Starts its own memcached on a free loopback port (Debian package memcached).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.pagecache.bench.SharedLayerLatency [rounds]</pre>
 */
public final class SharedLayerLatency {
  private static final int PER_ROUND = 2_000;
  /** A memcached key as the store makes them: the codec binds every value to one. */
  private static final String KEY = "pagecache:v" + PageCodec.VERSION + ":0:http://shop.example:80/page";

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Process memcached = new ProcessBuilder("/usr/bin/memcached", "-l", "127.0.0.1", "-p", Integer.toString(port),
        "-U", "0", "-m", "256", "-u", "root").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      awaitPort(port);
      run(port, rounds);
    } finally {
      memcached.destroyForcibly();
      memcached.waitFor();
    }
  }

  private static void run(int port, int rounds) throws Exception {
    CachedPage page = page(html(20 * 1024));
    MemcachedSettings settings = MemcachedSettings.servers("127.0.0.1:" + port).withTimeout(Duration.ofMillis(500));
    PageCodec compressing = new PageCodec(null, MemcachedSettings.DEFAULT_COMPRESSION_THRESHOLD, Integer.MAX_VALUE - 16);
    PageCodec plain = new PageCodec(null, Integer.MAX_VALUE, Integer.MAX_VALUE - 16);
    byte[] stored = compressing.encode(page, KEY);

    MemcachedClient raw = new MemcachedClient(new ConnectionFactoryBuilder()
        .setProtocol(ConnectionFactoryBuilder.Protocol.BINARY).setDaemon(true).build(),
        List.of(new InetSocketAddress("127.0.0.1", port)));
    Transcoder<byte[]> bytes = new PassThrough();
    raw.set("raw-20k", 3600, stored, bytes).get();
    try (MemcachedPageStore store = MemcachedPageStore.connect(settings, InstantSource.system(), Integer.MAX_VALUE - 16)) {
      store.put("http://shop.example:80/page", page);
      long[] rawNanos = new long[rounds * PER_ROUND];
      long[] storeNanos = new long[rounds * PER_ROUND];
      // warm-up
      for (int i = 0; i < 5_000; i++) {
        raw.get("raw-20k", bytes);
        store.get("http://shop.example:80/page");
      }
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < PER_ROUND; i++) {
          long t0 = System.nanoTime();
          byte[] value = raw.get("raw-20k", bytes);
          rawNanos[round * PER_ROUND + i] = System.nanoTime() - t0;
          if (value == null) {
            throw new IllegalStateException("raw miss");
          }
        }
        for (int i = 0; i < PER_ROUND; i++) {
          long t0 = System.nanoTime();
          Optional<CacheEntry> entry = store.get("http://shop.example:80/page");
          storeNanos[round * PER_ROUND + i] = System.nanoTime() - t0;
          if (entry.isEmpty()) {
            throw new IllegalStateException("store miss");
          }
        }
      }
      Arrays.sort(rawNanos);
      Arrays.sort(storeNanos);
      System.out.printf("20 KB HTML page, %d gets each, interleaved in %d rounds, one thread, loopback%n",
          rounds * PER_ROUND, rounds);
      System.out.printf("%-44s p50 %7.1f µs   p99 %7.1f µs%n", "raw spymemcached get of the stored bytes",
          micros(rawNanos, 0.50), micros(rawNanos, 0.99));
      System.out.printf("%-44s p50 %7.1f µs   p99 %7.1f µs%n", "pagecache L2 hit (get + verify + inflate)",
          micros(storeNanos, 0.50), micros(storeNanos, 0.99));
      System.out.printf("ratio p50 %.2f, p99 %.2f%n", micros(storeNanos, 0.50) / micros(rawNanos, 0.50),
          micros(storeNanos, 0.99) / micros(rawNanos, 0.99));
    } finally {
      raw.shutdown();
    }

    System.out.println();
    System.out.println("bytes sent to memcached per page (body + headers + format):");
    for (int size : new int[] {1024, 2048, 4096, 8192, 20 * 1024, 100 * 1024, 490 * 1024}) {
      CachedPage sized = page(html(size));
      byte[] deflated = new PageCodec(null, 0, Integer.MAX_VALUE - 16).encode(sized, KEY);
      byte[] asIs = plain.encode(sized, KEY);
      long encodeDeflate = time(() -> new PageCodec(null, 0, Integer.MAX_VALUE - 16).encode(sized, KEY));
      long decodeDeflate = time(() -> decode(compressing, deflated));
      long decodePlain = time(() -> decode(plain, asIs));
      System.out.printf("%7d B body: %7d B as is, %7d B deflated (%.1fx); deflate %6.1f µs, inflate+decode %6.1f µs vs %6.1f µs as is%n",
          size, asIs.length, deflated.length, (double) asIs.length / deflated.length,
          encodeDeflate / 1000.0, decodeDeflate / 1000.0, decodePlain / 1000.0);
    }
  }

  private static void decode(PageCodec codec, byte[] value) {
    try {
      codec.decode(value, KEY);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Median nanoseconds of an action, after warm-up. */
  private static long time(Runnable action) {
    for (int i = 0; i < 2_000; i++) {
      action.run();
    }
    long[] samples = new long[2_000];
    for (int i = 0; i < samples.length; i++) {
      long t0 = System.nanoTime();
      action.run();
      samples[i] = System.nanoTime() - t0;
    }
    Arrays.sort(samples);
    return samples[samples.length / 2];
  }

  private static double micros(long[] sorted, double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, Math.round(quantile * (sorted.length - 1)))] / 1000.0;
  }

  private static CachedPage page(byte[] body) {
    Instant now = Instant.now();
    return CachedPage.builder().status(200)
        .headers(Headers.builder().add("Cache-Control", "max-age=300").add("ETag", "\"abc\"").add("Vary", "Accept-Encoding").build())
        .contentType("text/html;charset=UTF-8").body(body).storedAt(now).expiresAt(now.plusSeconds(3600)).build();
  }

  /** A video listing like the demo's home page: varied titles and numbers, so it compresses as real HTML does. */
  static byte[] html(int size) {
    String[] words = {"cats", "guitar", "lesson", "review", "travel", "Lisbon", "cooking", "pasta", "live", "remix",
        "tutorial", "Java", "caching", "night", "drive", "city", "mountain", "river", "speedrun", "unboxing"};
    StringBuilder out = new StringBuilder("<!doctype html><html><head><title>Videos</title></head><body><ul>\n");
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; out.length() < size; i++) {
      out.append("<li class=\"video\"><a href=\"/watch/").append(Long.toString(random.nextLong() & 0xffffffffL, 36))
          .append("\">").append(words[random.nextInt(words.length)]).append(' ').append(words[random.nextInt(words.length)])
          .append(' ').append(i).append("</a> <span class=\"views\">").append(random.nextInt(1_000_000))
          .append(" views</span> <time>2026-").append(1 + random.nextInt(12)).append('-').append(1 + random.nextInt(28))
          .append("</time></li>\n");
    }
    return out.substring(0, size).getBytes(StandardCharsets.UTF_8);
  }

  private static void awaitPort(int port) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return;
      } catch (java.io.IOException notYet) {
        Thread.sleep(20);
      }
    }
    throw new IllegalStateException("memcached did not start");
  }

  private static final class PassThrough implements Transcoder<byte[]> {
    @Override
    public boolean asyncDecode(CachedData data) {
      return false;
    }

    @Override
    public CachedData encode(byte[] value) {
      return new CachedData(0, value, CachedData.MAX_SIZE);
    }

    @Override
    public byte[] decode(CachedData data) {
      return data.getData();
    }

    @Override
    public int getMaxSize() {
      return CachedData.MAX_SIZE;
    }
  }
}
