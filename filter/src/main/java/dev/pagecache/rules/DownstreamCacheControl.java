package dev.pagecache.rules;

/**
 * The {@code Cache-Control} a rule sends to browsers and front-end proxies in place of the
 * origin's, e.g. {@code public, max-age={ttl}}. {@code {ttl}} is replaced by the whole seconds of
 * freshness the cached page has left, so a downstream cache never keeps it longer than we do.
 */
public final class DownstreamCacheControl {
  /** Replaced by the whole seconds of freshness the page has left; at most once in a template. */
  public static final String TTL_PLACEHOLDER = "{ttl}";

  private final String template;
  private final String before;
  private final String after;

  private DownstreamCacheControl(String template) {
    this.template = template;
    int at = template.indexOf(TTL_PLACEHOLDER);
    this.before = at < 0 ? template : template.substring(0, at);
    this.after = at < 0 ? null : template.substring(at + TTL_PLACEHOLDER.length());
  }

  /**
   * The value to send, from a template.
   *
   * @param template a {@code Cache-Control} value, with {@value #TTL_PLACEHOLDER} at most once
   * @return the value to send, from the trimmed template
   * @throws IllegalArgumentException if the template is blank, has a line break or repeats the placeholder
   */
  public static DownstreamCacheControl of(String template) {
    String trimmed = template.trim();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("downstream Cache-Control is empty");
    }
    if (trimmed.indexOf('\r') >= 0 || trimmed.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("downstream Cache-Control may not contain line breaks");
    }
    if (trimmed.indexOf(TTL_PLACEHOLDER) != trimmed.lastIndexOf(TTL_PLACEHOLDER)) {
      throw new IllegalArgumentException("downstream Cache-Control may use " + TTL_PLACEHOLDER + " once");
    }
    return new DownstreamCacheControl(trimmed);
  }

  /**
   * The header value for one page.
   *
   * @param remainingSeconds whole seconds of freshness the page has left; negative counts as 0
   * @return the template with the placeholder replaced
   */
  public String render(long remainingSeconds) {
    return after == null ? before : before + Math.max(0, remainingSeconds) + after;
  }

  /** {@return the template as given, trimmed} */
  public String template() {
    return template;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DownstreamCacheControl that && that.template.equals(template);
  }

  @Override
  public int hashCode() {
    return template.hashCode();
  }

  @Override
  public String toString() {
    return template;
  }
}
