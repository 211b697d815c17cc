package dev.pagecache.internal.policy;

import dev.pagecache.internal.http.HeaderNames;
import dev.pagecache.rules.CacheRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The response fields under a rule that are the application's word to this cache alone: recorded,
 * never sent to the client, never stored. The tag fields ({@link PageTags#withheldHeaders}) and the
 * targeted cache-control fields the rule does not pass on ({@link CacheRule#withheldTargetedFields},
 * {@code Pagecache-Control} by default).
 */
public final class WithheldFields {
  private static final List<String> DEFAULT_TARGETED = List.of("Pagecache-Control");
  /** The common case, made once: it is asked for on every hit. */
  private static final Set<String> DEFAULT = HeaderNames.setOf("Surrogate-Key", "Cache-Tag", "Pagecache-Control");

  private WithheldFields() {}

  public static Set<String> of(CacheRule rule) {
    List<String> targeted = rule.withheldTargetedFields();
    Set<String> tags = PageTags.withheldHeaders(rule);
    if (targeted.isEmpty()) {
      return tags;
    }
    if (targeted.equals(DEFAULT_TARGETED) && tags.size() == 2 && DEFAULT.containsAll(tags)) {
      return DEFAULT;
    }
    List<String> names = new ArrayList<>(tags);
    names.addAll(targeted);
    return HeaderNames.setOf(names.toArray(String[]::new));
  }
}
