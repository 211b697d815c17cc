package dev.pagecache.bench;

import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.internal.store.CaffeinePageStore;
import dev.pagecache.store.StoreStats;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.management.MemoryMXBean;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * What one cached page costs in memory beyond its body bytes, measured three ways, next to what
 * the store's weigher charges for it ({@code 2 * key.length() + CachedPage.weight()}):
 * <ol>
 *   <li>JOL: the object graph of one {@link CachedPage} holding a 20 KB body and typical headers
 *       (an upper bound: constants it shares with other pages are counted in full);</li>
 *   <li>JOL: the object graph of a {@link CaffeinePageStore} holding {@code N} such pages under
 *       distinct keys, minus that of the empty store, per entry (keys, Caffeine's nodes, its
 *       hash table and frequency sketch included);</li>
 *   <li>the used heap after full GCs, before and after filling a second store the same way, per entry.</li>
 * </ol>
 *
 * <p>Not a JMH benchmark: run it as
 * {@code java -Xmx2g -cp benchmarks/target/benchmarks.jar dev.pagecache.bench.EntryFootprint [N [bodyBytes]]}
 * (N defaults to 10,000 and the body to 20,480 bytes; the heap needs about 2 × N × (body + 2 KB)).
 */
public final class EntryFootprint {
  private static final int DEFAULT_ENTRIES = 10_000;

  private EntryFootprint() {}

  public static void main(String[] args) throws Exception {
    // JDK 17 refuses Unsafe.objectFieldOffset on record fields (CacheControl, EntityTag are records):
    // let JOL find offsets its other way. Set before any JOL class initialises.
    System.setProperty("jol.magicFieldOffset", "true");
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ENTRIES;
    int body = args.length > 1 ? Integer.parseInt(args[1]) : Pages.BODY_LENGTH;
    Instant now = Instant.now();
    byte[] template = Pages.html(body);

    // 3. Heap growth first, before JOL has built anything of its own.
    long heapPerEntry = heapGrowthPerEntry(entries, template, now, maxBytes(entries, template, now));

    System.out.println(VM.current().details());

    // 1. One page.
    String key = key(0);
    CachedPage page = Pages.typicalPage(template.clone(), now, 0);
    GraphLayout pageGraph = GraphLayout.parseInstance(page);
    long pageBytes = pageGraph.totalSize();
    long keyBytes = GraphLayout.parseInstance(key).totalSize();
    int weigherCharge = 2 * key.length() + page.weight();
    System.out.println("One CachedPage, " + body + "-byte body, headers " + page.headers().fields().size()
        + " fields, content type '" + page.contentType().orElse("") + "':");
    System.out.println(pageGraph.toFootprint());
    System.out.println("Key '" + key + "' (" + key.length() + " chars): " + keyBytes + " bytes");

    // 2. A store of N pages, by object graph.
    InstantSource clock = InstantSource.system();
    long maxBytes = maxBytes(entries, template, now);
    CaffeinePageStore empty = new CaffeinePageStore(maxBytes, clock);
    empty.cleanUp();
    long emptyBytes = GraphLayout.parseInstance(empty).totalSize();
    CaffeinePageStore store = filledStore(entries, template, now, maxBytes);
    GraphLayout storeGraph = GraphLayout.parseInstance(store);
    long storeBytes = storeGraph.totalSize();
    StoreStats stats = store.stats();
    if (stats.entries() != entries) {
      throw new IllegalStateException("store kept " + stats.entries() + " of " + entries + " entries");
    }
    long graphPerEntry = (storeBytes - emptyBytes) / entries;
    long weighedPerEntry = stats.weightedBytes() / entries;
    System.out.println("Store of " + entries + " pages, object graph by class:");
    System.out.println(storeGraph.toFootprint());

    System.out.println();
    System.out.println("=== Per-entry memory, " + body + "-byte body ===");
    row("JOL, one CachedPage (page + body)", pageBytes, body);
    row("JOL, one CachedPage + its key", pageBytes + keyBytes, body);
    row("JOL, store of " + entries + " minus empty store, per entry", graphPerEntry, body);
    row("heap after GC, store of " + entries + ", per entry", heapPerEntry, body);
    row("weigher: 2*key.length() + CachedPage.weight()", weigherCharge, body);
    row("store's weighted size / entries", weighedPerEntry, body);
    System.out.printf(Locale.ROOT, "%nCachedPage.weight() = %d (FIXED_OVERHEAD_BYTES 320 + body %d + 2*headers.byteSize() %d"
        + " + 2*contentType %d); key charge 2*%d = %d%n", page.weight(), body, 2 * page.headers().byteSize(),
        2 * page.contentType().map(String::length).orElse(0), key.length(), 2 * key.length());
    long actual = graphPerEntry - body;
    long charged = weighedPerEntry - body;
    System.out.printf(Locale.ROOT, "Beyond the body: actual %d B, charged %d B -> the weigher %s by %d B per entry"
        + " (%.1f%% of the entry's real size)%n", actual, charged,
        charged < actual ? "UNDER-estimates" : "over-estimates", Math.abs(actual - charged),
        100.0 * Math.abs(actual - charged) / graphPerEntry);
    Reference.reachabilityFence(store);
    Reference.reachabilityFence(page);
  }

  private static long heapGrowthPerEntry(int entries, byte[] template, Instant now, long maxBytes)
      throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long before = usedAfterGc(memory);
    CaffeinePageStore store = filledStore(entries, template, now, maxBytes);
    long after = usedAfterGc(memory);
    if (store.stats().entries() != entries) {
      throw new IllegalStateException("store kept " + store.stats().entries() + " of " + entries);
    }
    return (after - before) / entries;
  }

  private static CaffeinePageStore filledStore(int entries, byte[] template, Instant now, long maxBytes) {
    CaffeinePageStore store = new CaffeinePageStore(maxBytes, InstantSource.system());
    for (int i = 0; i < entries; i++) {
      store.put(key(i), Pages.typicalPage(template.clone(), now, i));
    }
    store.cleanUp();
    return store;
  }

  /**
   * Room for every entry with a quarter to spare: nothing is evicted, and the store is more than
   * half full, as a working cache is, so Caffeine has sized its frequency sketch (it does so
   * lazily past half the maximum weight).
   */
  private static long maxBytes(int entries, byte[] template, Instant now) {
    return (long) (1.25 * entries * (2 * key(0).length() + Pages.typicalPage(template.clone(), now, 0).weight()));
  }

  private static String key(int i) {
    return String.format(Locale.ROOT, "http://www.example.com:80/articles/2026/11/how-we-cache-whole-pages-%05d", i);
  }

  private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static void row(String what, long bytes, int body) {
    System.out.printf(Locale.ROOT, "%-58s %8d B  beyond body: %6d B (%5.1f%% of body)%n", what, bytes, bytes - body,
        100.0 * (bytes - body) / body);
  }
}
