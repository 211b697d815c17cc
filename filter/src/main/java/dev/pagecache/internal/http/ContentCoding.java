package dev.pagecache.internal.http;

/**
 * The content codings the cache makes itself, in its order of preference: brotli is smaller than
 * gzip for the same text, and both are smaller than the identity body.
 */
public enum ContentCoding {
  BR("br", "br"),
  GZIP("gzip", "gz");

  private final String token;
  private final String etagSuffix;

  ContentCoding(String token, String etagSuffix) {
    this.token = token;
    this.etagSuffix = etagSuffix;
  }

  /** The name in {@code Content-Encoding} and {@code Accept-Encoding}. */
  public String token() {
    return token;
  }

  /**
   * The entity tag of a representation in this coding, made from the identity body's: a strong
   * tag names exact bytes (RFC 9110 §8.8.1), so {@code "abc"} becomes {@code "abc-gz"}; a weak tag
   * names a meaning, which every coding shares, and stays as it is.
   */
  public EntityTag derive(EntityTag identity) {
    return identity.weak() ? identity : EntityTag.strong(identity.tag() + "-" + etagSuffix);
  }
}
