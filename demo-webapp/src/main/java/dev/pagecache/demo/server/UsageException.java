package dev.pagecache.demo.server;

/**
 * A command line, option value or file the demo cannot start with. The message is one line that
 * names the option and the problem; {@link DemoServer#main} prints it and exits with status
 * {@value #EXIT_STATUS}.
 */
public final class UsageException extends Exception {
  /** The exit status for a bad option or file. */
  public static final int EXIT_STATUS = 2;

  public UsageException(String message) {
    super(message);
  }
}
