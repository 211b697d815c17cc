package dev.pagecache.rules;

import java.util.Set;

/**
 * Which query parameters go into a page's cache key. Parameters left out do not change the page
 * (tracking tags such as {@code utm_source}), so requests that differ only in them share an entry.
 */
public record QueryKey(Mode mode, Set<String> names) {
  private static final QueryKey ALL = new QueryKey(Mode.ALL, Set.of());
  private static final QueryKey NONE = new QueryKey(Mode.NONE, Set.of());

  public enum Mode { ALL, NONE, ONLY, EXCEPT }

  public QueryKey {
    names = Set.copyOf(names);
  }

  public static QueryKey all() {
    return ALL;
  }

  public static QueryKey none() {
    return NONE;
  }

  public static QueryKey only(Set<String> names) {
    return new QueryKey(Mode.ONLY, names);
  }

  public static QueryKey allExcept(Set<String> names) {
    return new QueryKey(Mode.EXCEPT, names);
  }

  public boolean includes(String parameterName) {
    return switch (mode) {
      case ALL -> true;
      case NONE -> false;
      case ONLY -> names.contains(parameterName);
      case EXCEPT -> !names.contains(parameterName);
    };
  }

  @Override
  public String toString() {
    return switch (mode) {
      case ALL -> "all";
      case NONE -> "none";
      case ONLY -> "only " + names;
      case EXCEPT -> "all except " + names;
    };
  }
}
