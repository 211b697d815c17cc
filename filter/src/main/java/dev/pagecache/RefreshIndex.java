package dev.pagecache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which pages to render again when a tag is purged, for rules with {@code refreshOnPurge}: the
 * pages this JVM stored, by tag group. Bounded: a tag remembers its first {@value #PAGES_PER_TAG}
 * pages, {@value #PAGES} in all, none whose path and query is longer than
 * {@value #MAX_PATH_AND_QUERY} characters, and the least used tags are forgotten; a page not
 * remembered is rendered by its next visitor, as without the setting.
 */
final class RefreshIndex {
  static final int PAGES_PER_TAG = 1000;
  static final int TAGS = 10_000;
  /** In all, whatever the tags: paths and queries come from clients. */
  static final int PAGES = 100_000;
  static final int MAX_PATH_AND_QUERY = 2048;

  /** A page to render again: the site it is stored under, and its path and query inside the application. */
  record Page(URI site, String pathAndQuery) {}

  private final java.util.concurrent.atomic.AtomicInteger remembered = new java.util.concurrent.atomic.AtomicInteger();
  private final Cache<String, Set<Page>> pagesByGroup = Caffeine.newBuilder()
      .maximumSize(TAGS)
      .executor(Runnable::run)
      .removalListener((String group, Set<Page> pages, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
        if (pages != null && cause.wasEvicted()) {
          remembered.addAndGet(-pages.size());
        }
      })
      .build();

  void add(String tagGroup, Page page) {
    if (page.pathAndQuery().length() > MAX_PATH_AND_QUERY || remembered.get() >= PAGES) {
      return;
    }
    Set<Page> pages = pagesByGroup.get(tagGroup, group -> ConcurrentHashMap.newKeySet());
    if (pages.size() < PAGES_PER_TAG && pages.add(page)) {
      remembered.incrementAndGet();
    }
  }

  /** The pages of a purged tag group, forgotten here: each is remembered again when stored again. */
  Set<Page> take(String tagGroup) {
    Set<Page> pages = pagesByGroup.asMap().remove(tagGroup);
    if (pages == null) {
      return Set.of();
    }
    remembered.addAndGet(-pages.size());
    return pages;
  }
}
