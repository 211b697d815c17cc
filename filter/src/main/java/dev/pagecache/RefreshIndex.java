package dev.pagecache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which pages to render again when a tag is purged, for rules with {@code refreshOnPurge}: the
 * pages this JVM stored, by tag group. Bounded: a tag remembers its first {@value #PAGES_PER_TAG}
 * pages, and the least used tags are forgotten; a page not remembered is rendered by its next
 * visitor, as without the setting.
 */
final class RefreshIndex {
  static final int PAGES_PER_TAG = 1000;
  static final int TAGS = 10_000;

  /** A page to render again: the site it is stored under, and its path and query inside the application. */
  record Page(URI site, String pathAndQuery) {}

  private final Cache<String, Set<Page>> pagesByGroup = Caffeine.newBuilder()
      .maximumSize(TAGS)
      .executor(Runnable::run)
      .build();

  void add(String tagGroup, Page page) {
    Set<Page> pages = pagesByGroup.get(tagGroup, group -> ConcurrentHashMap.newKeySet());
    if (pages.size() < PAGES_PER_TAG) {
      pages.add(page);
    }
  }

  /** The pages of a purged tag group, forgotten here: each is remembered again when stored again. */
  Set<Page> take(String tagGroup) {
    Set<Page> pages = pagesByGroup.asMap().remove(tagGroup);
    return pages == null ? Set.of() : pages;
  }
}
