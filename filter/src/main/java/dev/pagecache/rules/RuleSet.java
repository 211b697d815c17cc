package dev.pagecache.rules;

import java.util.List;
import java.util.Optional;

/**
 * Ordered rules; the first whose path pattern matches a request decides for it. Construction
 * refuses rules that can never match (an earlier rule covers all their paths) and duplicate
 * patterns, since either is a mistake that would silently cache the wrong thing.
 */
public final class RuleSet {
  private final List<CacheRule> rules;

  private RuleSet(List<CacheRule> rules) {
    this.rules = rules;
  }

  /**
   * The rules in order, built in code.
   *
   * @param rules first match wins
   * @return the rule set
   * @throws RulesException when a rule is shadowed by an earlier one or repeats its pattern
   */
  public static RuleSet of(List<CacheRule> rules) {
    return of(rules, "rules");
  }

  /**
   * The rules in order, from a named source.
   *
   * @param rules first match wins
   * @param source named in error messages, e.g. the rules file
   * @return the rule set
   * @throws RulesException when a rule is shadowed by an earlier one or repeats its pattern
   */
  public static RuleSet of(List<CacheRule> rules, String source) {
    List<CacheRule> copy = List.copyOf(rules);
    for (int later = 0; later < copy.size(); later++) {
      CacheRule rule = copy.get(later);
      for (int earlier = 0; earlier < later; earlier++) {
        CacheRule first = copy.get(earlier);
        if (!first.path().covers(rule.path()) || !first.methods().containsAll(rule.methods())) {
          continue;
        }
        String problem = first.path().source().equals(rule.path().source())
            ? (first.sameSettingsAs(rule) ? "repeats " : "conflicts with ") + first.describe()
                + ": the same path pattern twice; the first one always wins"
            : rule.describe() + " can never match: " + first.describe()
                + " comes first and matches every path it would";
        throw new RulesException(source, rule.line(), problem);
      }
    }
    return new RuleSet(copy);
  }

  /** {@return a rule set that matches nothing, so every request passes through} */
  public static RuleSet empty() {
    return new RuleSet(List.of());
  }

  /**
   * The rule that decides for a request.
   *
   * @param method the request method
   * @param path the path inside the application, decoded, without the query
   * @return the first rule that applies to {@code method} and whose pattern matches {@code path};
   *     empty when none does, and the request is not cached
   */
  public Optional<CacheRule> match(String method, String path) {
    for (CacheRule rule : rules) {
      if (rule.appliesTo(method) && rule.path().matches(path)) {
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }

  /** {@return the rules in order, unmodifiable} */
  public List<CacheRule> rules() {
    return rules;
  }

  @Override
  public String toString() {
    return rules.toString();
  }
}
