package dev.pagecache.internal.policy;

import dev.pagecache.internal.http.AcceptEncoding;
import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.internal.store.Representation;
import java.util.List;
import java.util.Optional;

/**
 * Which stored form of a page answers a request (RFC 9110 §12.5.3): the one in the coding the
 * request's {@code Accept-Encoding} rates highest, the server's order (brotli, gzip, identity)
 * breaking ties. A client that refuses every coding the page has still gets the identity body
 * when there is one (what servers do rather than answer 406); a body the origin encoded itself
 * has no identity form, so such a client gets nothing from the cache, and the origin answers it.
 */
public final class Representations {
  private Representations() {}

  /** The form to send; empty when the request refuses the only form the page has. */
  public static Optional<Representation> choose(RequestView request, CachedPage page) {
    List<Representation> forms = page.representations();
    Representation origin = page.originRepresentation();
    if (forms.size() == 1 && !origin.isEncoded()) {
      return Optional.of(origin); // the common case, decided without reading the request
    }
    AcceptEncoding accepted = AcceptEncoding.parse(request.headers("Accept-Encoding"));
    Representation best = null;
    int bestQuality = 0;
    for (Representation form : forms) {
      int quality = accepted.quality(form.coding());
      if (quality > bestQuality) {
        best = form;
        bestQuality = quality;
      }
    }
    if (best != null) {
      return Optional.of(best);
    }
    return origin.isEncoded() ? Optional.empty() : Optional.of(origin);
  }
}
