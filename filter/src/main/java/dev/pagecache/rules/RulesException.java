package dev.pagecache.rules;

/**
 * A rules file or rule set that cannot be used. The message names the source, the line and the
 * problem: {@code rules file /etc/app/pagecache.conf, line 12: unknown key 'tll' ...}.
 */
public final class RulesException extends IllegalArgumentException {
  /** The file or other origin of the rules. */
  private final String source;
  /** The line the problem is on, or 0. */
  private final int line;

  /**
   * A problem with a rules file or rule set.
   *
   * @param source names the rules, e.g. {@code rules file /etc/app/pagecache.conf}
   * @param line the line the problem is on, or 0 when it belongs to no single line
   * @param problem what is wrong, for a person to fix
   */
  public RulesException(String source, int line, String problem) {
    super(source + (line > 0 ? ", line " + line : "") + ": " + problem);
    this.source = source;
    this.line = line;
  }

  /** {@return the file or other origin of the rules} */
  public String source() {
    return source;
  }

  /** {@return the line the problem is on, or 0 when it belongs to no single line} */
  public int line() {
    return line;
  }
}
