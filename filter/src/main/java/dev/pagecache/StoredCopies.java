package dev.pagecache;

import dev.pagecache.internal.policy.Freshness;
import dev.pagecache.internal.policy.StoredKeys;
import dev.pagecache.internal.purge.PurgeGroups;
import dev.pagecache.internal.store.InspectableStore;
import dev.pagecache.rules.CacheRule;
import dev.pagecache.store.CacheEntry;
import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.store.PageStore;
import dev.pagecache.internal.store.Representation;
import dev.pagecache.internal.store.VariantIndex;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The stored copies as {@link PageCache#entries} and {@link PageCache#lookup} show them: read
 * quietly from the store ({@link InspectableStore}), only those a request could be served, and
 * described as {@link StoredPage} records. For people and tools, never on a request's path.
 */
final class StoredCopies {
  /** The most copies one listing or lookup returns. */
  static final int MAX_LISTED = 1000;
  /** The furthest a listing may start. */
  static final int MAX_OFFSET = 1_000_000;

  private final InspectableStore store;
  private final InstantSource clock;
  private final Predicate<CachedPage> purged;
  private final Function<String, Optional<CacheRule>> ruleOfPrimaryKey;
  private final BiConsumer<String, RuntimeException> storeFailed;

  /**
   * @param store what the cache stores in; a store of the user's own shows nothing but what
   *     {@link #lookup} finds under a key
   * @param purged whether a purge reached a copy since its render began
   * @param ruleOfPrimaryKey the rule a URL's primary key falls under
   * @param storeFailed counts and logs a failed read of the shared layer
   */
  StoredCopies(PageStore store, InstantSource clock, Predicate<CachedPage> purged,
      Function<String, Optional<CacheRule>> ruleOfPrimaryKey, BiConsumer<String, RuntimeException> storeFailed) {
    this.store = store instanceof InspectableStore view ? view : new InspectableStore() {
      @Override
      public void forEachInMemory(Visitor visitor) {}

      @Override
      public Optional<Held> peekMemory(String key) {
        return store.get(key).map(entry -> new Held(entry, 0));
      }
    };
    this.clock = clock;
    this.purged = purged;
    this.ruleOfPrimaryKey = ruleOfPrimaryKey;
    this.storeFailed = storeFailed;
  }

  StoredPage.Listing entries(StoredPage.Order order, boolean descending, int offset, int limit) {
    if (offset < 0 || offset > MAX_OFFSET) {
      throw new IllegalArgumentException("offset must be 0 to " + MAX_OFFSET + ", was " + offset);
    }
    if (limit < 0 || limit > MAX_LISTED) {
      throw new IllegalArgumentException("limit must be 0 to " + MAX_LISTED + ", was " + limit);
    }
    Instant now = clock.instant();
    Comparator<Listed> comparator = Listed.order(order, descending);
    // The worst of those kept on top: each entry costs one comparison and at most one eviction,
    // and no more than offset + limit of them are held, however many the store has.
    PriorityQueue<Listed> kept = new PriorityQueue<>(comparator.reversed());
    int[] total = {0};
    store.forEachInMemory((key, entry, hits) -> {
      if (entry instanceof CachedPage page) {
        listed(key, page, hits, now).ifPresent(listed -> {
          total[0]++;
          kept.add(listed);
          if (kept.size() > offset + limit) {
            kept.poll();
          }
        });
      }
    });
    List<Listed> sorted = new ArrayList<>(kept);
    sorted.sort(comparator);
    List<StoredPage> pages = new ArrayList<>();
    for (int i = offset; i < sorted.size(); i++) {
      Listed listed = sorted.get(i);
      pages.add(described(listed.parsed(), listed.page(), listed.hits(), StoredPage.Layer.MEMORY, now));
    }
    return new StoredPage.Listing(pages, offset, total[0]);
  }

  /** A copy in this JVM's memory as a GET could be served it; empty when unreachable or purged. */
  private Optional<Listed> listed(String key, CachedPage page, long hits, Instant now) {
    if (purged.test(page)) {
      return Optional.empty();
    }
    StoredKeys.Parsed parsed = StoredKeys.parse(key, page.purgeGroups());
    if (parsed.isVariant() && !isCurrentGeneration(parsed)) {
      return Optional.empty(); // its URL was purged or re-indexed: it only waits to age out
    }
    return Optional.of(new Listed(key, parsed, page, hits, Freshness.age(page, now).toMillis(),
        Duration.between(now, page.expiresAt()).toMillis()));
  }

  private boolean isCurrentGeneration(StoredKeys.Parsed variant) {
    return store.peekMemory(variant.primaryKey())
        .filter(held -> held.entry() instanceof VariantIndex index
            && index.generation() == variant.generation().getAsLong())
        .isPresent();
  }

  /** A copy being sorted for {@link #entries}, with what it is sorted by. */
  private record Listed(String key, StoredKeys.Parsed parsed, CachedPage page, long hits, long ageMillis,
      long remainingMillis) {
    static Comparator<Listed> order(StoredPage.Order order, boolean descending) {
      Comparator<Listed> by = switch (order) {
        case URL -> Comparator.comparing((Listed listed) -> listed.parsed().primaryKey())
            .thenComparing(listed -> listed.parsed().variant());
        case BYTES -> Comparator.comparingInt(listed -> listed.page().weight());
        case AGE -> Comparator.comparingLong(Listed::ageMillis);
        case REMAINING -> Comparator.comparingLong(Listed::remainingMillis);
        case HITS -> Comparator.comparingLong(Listed::hits);
      };
      return (descending ? by.reversed() : by).thenComparing(Listed::key);
    }
  }

  /** Every copy under one URL's primary key, in each layer; see {@link PageCache#lookup}. */
  List<StoredPage> lookup(String primaryKey) {
    Instant now = clock.instant();
    List<StoredPage> found = new ArrayList<>();
    List<String> variantKeys = new ArrayList<>();
    Optional<InspectableStore.Held> mine = store.peekMemory(primaryKey);
    if (mine.isPresent() && mine.get().entry() instanceof CachedPage page) {
      addServable(found, primaryKey, page, mine.get().hits(), StoredPage.Layer.MEMORY, now);
    } else if (mine.isPresent() && mine.get().entry() instanceof VariantIndex index) {
      String prefix = StoredKeys.variantPrefix(primaryKey, index.generation());
      store.forEachInMemory((key, entry, hits) -> {
        if (entry instanceof CachedPage page && isVariantKey(key, prefix) && variantKeys.size() < MAX_LISTED) {
          variantKeys.add(key);
          addServable(found, key, page, hits, StoredPage.Layer.MEMORY, now);
        }
      });
    }
    if (store.hasSharedLayer()) {
      lookupShared(primaryKey, variantKeys, found, now);
    }
    found.sort(Comparator.comparing(StoredPage::layer).thenComparing(StoredPage::variant));
    return List.copyOf(found);
  }

  /**
   * The shared layer's copies: the URL's own, or the variants this JVM's memory holds too (a shared
   * store cannot list its keys, and a variant's key holds request values only a request brings).
   */
  private void lookupShared(String primaryKey, List<String> variantKeys, List<StoredPage> found, Instant now) {
    try {
      Optional<CacheEntry> theirs = store.peekShared(primaryKey);
      if (theirs.isPresent() && theirs.get() instanceof CachedPage page) {
        addServable(found, primaryKey, page, 0, StoredPage.Layer.SHARED, now);
      } else if (theirs.isPresent() && theirs.get() instanceof VariantIndex index) {
        String prefix = StoredKeys.variantPrefix(primaryKey, index.generation());
        for (String key : variantKeys) {
          if (isVariantKey(key, prefix)) {
            Optional<CacheEntry> variant = store.peekShared(key);
            if (variant.isPresent() && variant.get() instanceof CachedPage page) {
              addServable(found, key, page, 0, StoredPage.Layer.SHARED, now);
            }
          }
        }
      }
    } catch (RuntimeException e) {
      storeFailed.accept("lookup " + primaryKey, e);
    }
  }

  private static boolean isVariantKey(String key, String prefix) {
    return key.startsWith(prefix) && (key.length() == prefix.length() || key.charAt(prefix.length()) == '\n');
  }

  private void addServable(List<StoredPage> found, String key, CachedPage page, long hits, StoredPage.Layer layer,
      Instant now) {
    if (!purged.test(page)) {
      found.add(described(StoredKeys.parse(key, page.purgeGroups()), page, hits, layer, now));
    }
  }

  private StoredPage described(StoredKeys.Parsed parsed, CachedPage page, long hits, StoredPage.Layer layer,
      Instant now) {
    Map<String, Integer> forms = new LinkedHashMap<>();
    for (Representation form : page.representations()) {
      forms.put(form.coding(), form.length());
    }
    List<String> tags = new ArrayList<>();
    for (String group : page.purgeGroups()) {
      if (group.startsWith(PurgeGroups.TAG_PREFIX)) {
        tags.add(group.substring(PurgeGroups.TAG_PREFIX.length()));
      }
    }
    String rule = ruleOfPrimaryKey.apply(parsed.primaryKey()).map(CacheRule::describe).orElse("");
    return new StoredPage(parsed.primaryKey(), parsed.variant(), page.status(), page.weight(), forms,
        Freshness.age(page, now), Duration.between(now, page.expiresAt()), hits, layer, rule, tags);
  }
}
