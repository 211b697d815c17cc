package dev.pagecache.spring.boot;

/** A {@code pagecache.*} property that cannot be used; the message names the property and the problem. */
public final class PageCacheSettingsException extends IllegalArgumentException {
  /** The property, e.g. {@code pagecache.purge.token}. */
  private final String property;

  PageCacheSettingsException(String property, String problem, Throwable cause) {
    super(property + ": " + problem, cause);
    this.property = property;
  }

  /** @return the property, e.g. {@code pagecache.purge.token} */
  public String property() {
    return property;
  }
}
