package dev.pagecache.internal.policy;

import dev.pagecache.rules.CacheRule;
import dev.pagecache.internal.store.CachedPage;

/**
 * Whether a page about to be stored is compressed too, once, so that hits never compress: only a
 * body the origin sent as it is (no {@code Content-Encoding} of its own), of a type the rule lists,
 * at least the rule's minimum size, that the origin did not mark {@code no-transform}
 * (RFC 9111 §5.2.2.6: a cache must not change the content coding then), and not an error page the
 * container renders again on every hit.
 */
public final class Compression {
  private Compression() {}

  public static boolean applies(CachedPage page, CacheRule rule) {
    return !page.isErrorReplay()
        && !page.originRepresentation().isEncoded()
        && page.bodyLength() >= Math.max(1, rule.compressMinBytes())
        && rule.compressTypes().matches(page.contentType())
        && !noTransform(page);
  }

  private static boolean noTransform(CachedPage page) {
    for (String directive : page.headers().tokens("Cache-Control")) {
      if (directive.equalsIgnoreCase("no-transform")) {
        return true;
      }
    }
    return false;
  }
}
