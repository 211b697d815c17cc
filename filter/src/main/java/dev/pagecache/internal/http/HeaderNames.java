package dev.pagecache.internal.http;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Sets of header names, compared as HTTP compares them: ignoring case, in any locale. */
public final class HeaderNames {
  private HeaderNames() {}

  public static Set<String> setOf(String... names) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(List.of(names));
    return Collections.unmodifiableSet(set);
  }
}
