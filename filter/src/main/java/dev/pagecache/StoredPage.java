package dev.pagecache;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stored copy of a page, as {@link PageCache#entries} and {@link PageCache#lookup} show it: a
 * read-only description made when asked, not the stored snapshot itself.
 *
 * @param url the URL the copy answers, as its key holds it: lower-case scheme and host, the port
 *     always written, path and query in their normal form, e.g. {@code http://example.com:80/wiki/Home}
 * @param variant which request header or cookie values this copy is for, e.g.
 *     {@code accept-language: fr; cookie theme=#1f9a0c3e} (cookie values and credential headers as a digest); empty for the URL's only copy
 * @param status the stored response's status code
 * @param bytes the memory this copy takes: its body, each compressed form and its header fields
 * @param forms each stored form of the body and its length in bytes, e.g. {@code identity=20480,
 *     gzip=5120, br=4096}, the form the origin sent first
 * @param age its current age (RFC 9111 §4.2.3)
 * @param remaining how long it stays fresh; zero or negative once stale (it may still be served
 *     stale, within its rule's stale windows)
 * @param hits how many requests read this copy in this JVM's memory since it was stored; always 0
 *     for a copy in the shared layer, whose reads are not counted
 * @param layer where this copy is kept
 * @param rule the rule that caches the URL, e.g. {@code rule '/wiki/*' (line 12)}; empty when no
 *     rule matches it any longer
 * @param tags the tags it can be purged by ({@link PageCache#purgeTag})
 */
public record StoredPage(String url, String variant, int status, int bytes, Map<String, Integer> forms,
    Duration age, Duration remaining, long hits, Layer layer, String rule, List<String> tags) {

  /** Where a copy is kept. */
  public enum Layer {
    /** This JVM's memory. */
    MEMORY("memory"),
    /** The store shared across JVMs (memcached). */
    SHARED("shared");

    private final String label;

    Layer(String label) {
      this.label = label;
    }

    /**
     * The layer's name for people.
     *
     * @return {@code memory} or {@code shared}
     */
    public String label() {
      return label;
    }
  }

  /** What {@link PageCache#entries} sorts copies by. */
  public enum Order {
    /** By {@link StoredPage#url()}, then variant. */
    URL,
    /** By {@link StoredPage#bytes()}. */
    BYTES,
    /** By {@link StoredPage#age()}. */
    AGE,
    /** By {@link StoredPage#remaining()}. */
    REMAINING,
    /** By {@link StoredPage#hits()}. */
    HITS
  }

  /**
   * One page of a sorted listing, and how many copies there are in all.
   *
   * @param pages the copies of this page of the listing, in order
   * @param offset how many copies come before the first of {@code pages}
   * @param total how many copies the listing holds in all
   */
  public record Listing(List<StoredPage> pages, int offset, int total) {
    /**
     * Copies the list.
     *
     * @param pages the copies of this page of the listing, in order
     * @param offset how many copies come before the first of {@code pages}
     * @param total how many copies the listing holds in all
     */
    public Listing {
      pages = List.copyOf(pages);
    }
  }

  /**
   * Copies the collections.
   *
   * @param url the URL the copy answers
   * @param variant which request values this copy is for; empty for the URL's only copy
   * @param status the stored status code
   * @param bytes the memory the copy takes
   * @param forms each stored form of the body and its length
   * @param age its current age
   * @param remaining how long it stays fresh; zero or negative once stale
   * @param hits reads of this copy in this JVM's memory
   * @param layer where it is kept
   * @param rule the rule that caches the URL, or empty
   * @param tags the tags it can be purged by
   */
  public StoredPage {
    forms = Collections.unmodifiableMap(new LinkedHashMap<>(forms));
    tags = List.copyOf(tags);
  }

  /**
   * Whether the copy is past its freshness lifetime.
   *
   * @return whether {@link #remaining()} is zero or negative
   */
  public boolean stale() {
    return remaining.isNegative() || remaining.isZero();
  }
}
