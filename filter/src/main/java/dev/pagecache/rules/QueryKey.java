package dev.pagecache.rules;

import java.util.Set;

/**
 * Which query parameters go into a page's cache key. Parameters left out do not change the page
 * (tracking tags such as {@code utm_source}), so requests that differ only in them share an entry.
 *
 * @param mode which parameters the names pick
 * @param names the parameter names for {@link Mode#ONLY} and {@link Mode#EXCEPT}, as written
 *     (parameter names are case-sensitive); empty for the other modes
 */
public record QueryKey(Mode mode, Set<String> names) {
  private static final QueryKey ALL = new QueryKey(Mode.ALL, Set.of());
  private static final QueryKey NONE = new QueryKey(Mode.NONE, Set.of());

  /** How {@link #names()} is read. */
  public enum Mode {
    /** Every parameter is in the key; the names are ignored. */
    ALL,
    /** No parameter is in the key: one page for the path whatever the query. */
    NONE,
    /** Only the named parameters are in the key. */
    ONLY,
    /** Every parameter but the named ones is in the key. */
    EXCEPT
  }

  /**
   * Copies {@code names}, so the key cannot change afterwards.
   *
   * @param mode which parameters the names pick
   * @param names the names {@code mode} reads; copied
   */
  public QueryKey {
    names = Set.copyOf(names);
  }

  /** {@return a key that holds every parameter (the default)} */
  public static QueryKey all() {
    return ALL;
  }

  /** {@return a key that holds no parameter} */
  public static QueryKey none() {
    return NONE;
  }

  /**
   * A key that holds only some parameters.
   *
   * @param names the parameters kept, as written
   * @return the key
   */
  public static QueryKey only(Set<String> names) {
    return new QueryKey(Mode.ONLY, names);
  }

  /**
   * A key that leaves some parameters out, such as tracking tags.
   *
   * @param names the parameters left out, as written
   * @return the key
   */
  public static QueryKey allExcept(Set<String> names) {
    return new QueryKey(Mode.EXCEPT, names);
  }

  /**
   * Whether a parameter goes into the key (and reaches the application when its page may be stored).
   *
   * @param parameterName the name as sent, decoded
   * @return {@code true} if the key holds it
   */
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
