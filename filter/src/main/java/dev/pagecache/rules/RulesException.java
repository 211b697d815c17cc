package dev.pagecache.rules;

/**
 * A rules file or rule set that cannot be used. The message names the source, the line and the
 * problem: {@code rules file /etc/app/pagecache.conf, line 12: unknown key 'tll' ...}.
 */
public final class RulesException extends IllegalArgumentException {
  private final String source;
  private final int line;

  public RulesException(String source, int line, String problem) {
    super(source + (line > 0 ? ", line " + line : "") + ": " + problem);
    this.source = source;
    this.line = line;
  }

  /** The file or other origin of the rules. */
  public String source() {
    return source;
  }

  /** The line the problem is on, or 0 when it belongs to no single line. */
  public int line() {
    return line;
  }
}
