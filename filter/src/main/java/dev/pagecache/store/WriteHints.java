package dev.pagecache.store;

/**
 * What a store may want to know about a write beyond the entry: which rule it comes from (for
 * messages), and whether a page too large for one item of a shared store may be split.
 *
 * @param rule the rule's description, e.g. {@code rule '/wiki/*' (line 12)}
 * @param shareLargePages whether a page larger than one shared item may be chunked; if not, it stays local
 */
public record WriteHints(String rule, boolean shareLargePages) {
  /** Hints for a write that comes from no rule: large pages may be chunked. */
  public static final WriteHints NONE = new WriteHints("(no rule)", true);
}
