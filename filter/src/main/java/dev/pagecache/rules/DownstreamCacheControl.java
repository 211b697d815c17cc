package dev.pagecache.rules;

/**
 * The {@code Cache-Control} a rule sends to browsers and front-end proxies in place of the
 * origin's, e.g. {@code public, max-age={ttl}}. {@code {ttl}} is replaced by the whole seconds of
 * freshness the cached page has left, so a downstream cache never keeps it longer than we do.
 */
public final class DownstreamCacheControl {
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

  /** The header value for a page with {@code remainingSeconds} of freshness left. */
  public String render(long remainingSeconds) {
    return after == null ? before : before + Math.max(0, remainingSeconds) + after;
  }

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
