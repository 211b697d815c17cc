package dev.pagecache.internal.store;

import dev.pagecache.internal.http.AcceptEncoding;
import dev.pagecache.internal.http.EntityTag;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * One form of a stored page's body (RFC 9110 §3.2): the bytes in one content coding, their length
 * and their own entity tag. What a hit sends is chosen among these, and everything that serves a
 * body (the whole of it, a 304, a {@code HEAD}, a byte range) works on the one chosen: a range
 * counts bytes of this form, and {@code If-Range} compares this form's strong tag.
 */
public final class Representation {
  private final String coding;
  private final boolean madeByCache;
  private final byte[] body;
  private final EntityTag etag;
  private final String etagHeader;

  Representation(String coding, boolean madeByCache, byte[] body, EntityTag etag) {
    this.coding = Objects.requireNonNull(coding, "coding");
    this.madeByCache = madeByCache;
    this.body = body;
    this.etag = etag;
    this.etagHeader = etag == null ? null : etag.headerValue();
  }

  /** {@code identity}, {@code gzip}, {@code br}, or the coding the origin sent itself (lower case). */
  public String coding() {
    return coding;
  }

  /** Whether it is in a coding other than {@code identity}. */
  public boolean isEncoded() {
    return !coding.equals(AcceptEncoding.IDENTITY);
  }

  /**
   * The {@code Content-Encoding} to send with it when the cache made it; empty for the body the
   * origin sent (whose own {@code Content-Encoding}, if any, is among the stored fields).
   */
  public Optional<String> addedContentEncoding() {
    return madeByCache ? Optional.of(coding) : Optional.empty();
  }

  public int length() {
    return body.length;
  }

  /** A read-only view of the bytes; they never change. */
  public ByteBuffer body() {
    return ByteBuffer.wrap(body).asReadOnlyBuffer();
  }

  /** Its entity tag: the stored page's for the origin's body, one derived from it for a coding the cache made. */
  public Optional<EntityTag> etag() {
    return Optional.ofNullable(etag);
  }

  /** {@link #etag()} in header form, formatted once; {@code null} when there is none. */
  public String etagHeader() {
    return etagHeader;
  }

  /** Writes all of it; see {@link CachedPage#writeBodyTo} for {@code trustedStream}. */
  public void writeTo(OutputStream out, boolean trustedStream) throws IOException {
    out.write(trustedStream ? body : body.clone());
  }

  /** Writes {@code length} bytes from {@code offset} (a byte range of this form). */
  public void writeTo(OutputStream out, boolean trustedStream, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, body.length);
    if (trustedStream) {
      out.write(body, offset, length);
    } else {
      out.write(java.util.Arrays.copyOfRange(body, offset, offset + length));
    }
  }

  @Override
  public String toString() {
    return "Representation[" + coding + ", " + body.length + " bytes, etag=" + etagHeader + "]";
  }
}
