package dev.pagecache.internal.store;

import dev.pagecache.store.CacheEntry;
import dev.pagecache.internal.http.AcceptEncoding;
import dev.pagecache.internal.http.CacheControl;
import dev.pagecache.internal.http.ContentCoding;
import dev.pagecache.internal.http.EntityTag;
import dev.pagecache.internal.http.Headers;
import dev.pagecache.internal.http.HttpDates;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of one response: status, headers, body and the validators and times a
 * cache needs. Nothing that serves a page can change it: the body is copied in, and handed out
 * only as a read-only view or written to a stream ({@link #writeBodyTo}), so the next request
 * always gets what was stored (see the conditional-GET bug this design rules out in the README).
 *
 * <p>{@link #headers()} holds the end-to-end fields the origin set, except those the cache owns or
 * that describe one transfer: {@code Content-Type} and {@code Date} are kept as their own
 * fields; {@code Content-Length}, {@code Age}, {@code Set-Cookie}, {@code Cache-Status},
 * {@code Surrogate-Control} and hop-by-hop fields are never stored.
 *
 * <p>Besides the body the origin sent, a snapshot may hold that body compressed ({@link ContentCoding}),
 * made once when it was stored: each is a {@link Representation} with its own length and entity
 * tag, and a hit sends the one the request prefers ({@code dev.pagecache.internal.policy.Representations}).
 */
public final class CachedPage implements CacheEntry {
  /**
   * Object overhead of a snapshot beyond its body and header text, and of each header field:
   * measured with JOL (benchmarks' EntryFootprint) on a 20 KB page with six fields.
   */
  static final int FIXED_OVERHEAD_BYTES = 580;
  static final int PER_FIELD_BYTES = 70;
  /** A {@link Representation} beyond its bytes: the object, its array header and its tag. */
  static final int PER_REPRESENTATION_BYTES = 120;

  private final int status;
  private final Headers headers;
  private final String contentType;
  private final byte[] body;
  private final Instant date;
  private final String dateHeader;
  private final Instant storedAt;
  private final Duration initialAge;
  private final Instant expiresAt;
  private final Instant staleWhileRevalidateUntil;
  private final Instant staleIfErrorUntil;
  private final EntityTag etag;
  /** Whether {@link #etag} is the origin's own, not the content hash this cache made up. */
  private final boolean originEtag;
  /** Kept in the store until then, past its stale windows, so that it can be revalidated; may be null. */
  private final Instant retainUntil;
  private final String etagHeader;
  private final Instant lastModified;
  private final CacheControl cacheControl;
  private final String errorMessage;
  private final boolean errorReplay;
  private final Instant renderedAt;
  private final long purgeSequence;
  private final List<String> purgeGroups;
  /** {@link System#nanoTime()} when this JVM began rendering it; {@link #NOT_RENDERED_HERE} for a copy from elsewhere. Never encoded. */
  private final long renderStartNanos;
  /** The compressed bodies the cache made, by coding; never one for a body the origin encoded itself. */
  private final Map<ContentCoding, byte[]> encoded;
  /** The origin's body, then the cache's codings: all in the server's order of preference, the origin's last. */
  private final List<Representation> representations;
  private final Representation originRepresentation;
  /** What a hit sends as {@code Vary}: the stored field, with {@code Accept-Encoding} once when it matters; or null. */
  private final String varyHeader;

  /** The {@link #renderStartNanos()} of a page this JVM did not render (read from memcached). */
  public static final long NOT_RENDERED_HERE = Long.MIN_VALUE;

  private CachedPage(Builder builder) {
    this.status = builder.status;
    this.headers = Objects.requireNonNull(builder.headers, "headers");
    this.contentType = builder.contentType;
    this.body = builder.body;
    this.storedAt = Objects.requireNonNull(builder.storedAt, "storedAt");
    this.date = builder.date != null ? builder.date : builder.storedAt;
    this.dateHeader = HttpDates.format(date);
    this.initialAge = builder.initialAge;
    this.expiresAt = Objects.requireNonNull(builder.expiresAt, "expiresAt");
    this.staleWhileRevalidateUntil = latest(expiresAt, builder.staleWhileRevalidateUntil);
    this.staleIfErrorUntil = latest(expiresAt, builder.staleIfErrorUntil);
    this.etag = builder.etag;
    this.originEtag = builder.etag != null && builder.originEtag;
    this.retainUntil = builder.retainUntil;
    this.etagHeader = etag == null ? null : etag.headerValue();
    this.lastModified = builder.lastModified;
    this.cacheControl = CacheControl.parse(headers.all("Cache-Control"));
    this.errorReplay = builder.errorReplay;
    this.errorMessage = builder.errorMessage;
    this.renderedAt = builder.renderedAt != null ? builder.renderedAt : storedAt;
    this.purgeSequence = builder.purgeSequence;
    this.purgeGroups = List.copyOf(builder.purgeGroups);
    this.renderStartNanos = builder.renderStartNanos;
    String originCoding = originCoding(headers);
    this.encoded = originCoding.equals(AcceptEncoding.IDENTITY) && !errorReplay && !builder.encoded.isEmpty()
        ? Map.copyOf(builder.encoded) : Map.of();
    this.originRepresentation = new Representation(originCoding, false, body, etag);
    List<Representation> forms = new ArrayList<>(ContentCoding.values().length + 1);
    for (ContentCoding coding : ContentCoding.values()) {
      byte[] bytes = encoded.get(coding);
      if (bytes != null) {
        forms.add(new Representation(coding.token(), true, bytes, etag == null ? null : coding.derive(etag)));
      }
    }
    forms.add(originRepresentation);
    this.representations = List.copyOf(forms);
    this.varyHeader = representations.size() > 1 || !originCoding.equals(AcceptEncoding.IDENTITY)
        ? varyWithAcceptEncoding(headers.tokens("Vary")) : null;
  }

  /** The coding of the body the origin sent: its {@code Content-Encoding}, lower case, or {@code identity}. */
  private static String originCoding(Headers headers) {
    List<String> codings = headers.tokens("Content-Encoding");
    List<String> applied = new ArrayList<>(codings.size());
    for (String coding : codings) {
      if (!coding.equalsIgnoreCase(AcceptEncoding.IDENTITY)) {
        applied.add(coding.toLowerCase(Locale.ROOT));
      }
    }
    return applied.isEmpty() ? AcceptEncoding.IDENTITY : String.join(", ", applied);
  }

  private static String varyWithAcceptEncoding(List<String> vary) {
    for (String name : vary) {
      if (name.equals("*") || name.equalsIgnoreCase("Accept-Encoding")) {
        return String.join(", ", vary);
      }
    }
    List<String> merged = new ArrayList<>(vary);
    merged.add("Accept-Encoding");
    return String.join(", ", merged);
  }

  public static Builder builder() {
    return new Builder();
  }

  public int status() {
    return status;
  }

  public Headers headers() {
    return headers;
  }

  public Optional<String> contentType() {
    return Optional.ofNullable(contentType);
  }

  public int bodyLength() {
    return body.length;
  }

  /** A read-only view of the body; the bytes behind it never change. */
  public ByteBuffer body() {
    return ByteBuffer.wrap(body).asReadOnlyBuffer();
  }

  /**
   * Writes the body to {@code out}. A stream this library cannot vouch for (one a user's filter
   * wrapped around the container's) gets a copy, because {@code OutputStream.write(byte[])} does
   * not promise to leave the array alone.
   */
  public void writeBodyTo(OutputStream out, boolean trustedStream) throws IOException {
    originRepresentation.writeTo(out, trustedStream);
  }

  /**
   * Every form of the body it holds, in the server's order of preference ({@link ContentCoding}
   * order), the origin's body last. Never empty.
   */
  public List<Representation> representations() {
    return representations;
  }

  /** The body as the origin sent it, in the coding it sent it in ({@code identity} unless it compressed). */
  public Representation originRepresentation() {
    return originRepresentation;
  }

  /** The body compressed by the cache in {@code coding}, if it made that form. */
  public Optional<Representation> encoded(ContentCoding coding) {
    if (!encoded.containsKey(coding)) {
      return Optional.empty();
    }
    for (Representation form : representations) {
      if (form.coding().equals(coding.token())) {
        return Optional.of(form);
      }
    }
    return Optional.empty();
  }

  /**
   * The {@code Vary} a hit sends when the body has several forms or a coding of the origin's (so
   * that caches downstream key it by {@code Accept-Encoding}): the stored {@code Vary} with
   * {@code Accept-Encoding} added once. Empty when the stored fields say it already.
   */
  public Optional<String> varyHeader() {
    return Optional.ofNullable(varyHeader);
  }

  /**
   * This page with the compressed forms of its body added. Shares everything else: both are immutable.
   * A page whose body the origin encoded itself, or an error replay, keeps none.
   */
  public CachedPage withEncoded(Map<ContentCoding, byte[]> bodies) {
    Builder copy = copyBuilder();
    copy.encoded = new EnumMap<>(ContentCoding.class);
    bodies.forEach((coding, bytes) -> copy.encoded.put(coding, bytes.clone()));
    return copy.build();
  }

  /**
   * This page with the compressed forms {@code source} holds: for a copy whose body is
   * {@code source}'s (a page freshened by revalidation), so that nothing is compressed twice.
   */
  public CachedPage withEncodedFrom(CachedPage source) {
    if (!Arrays.equals(body, source.body)) {
      throw new IllegalArgumentException("the compressed forms of another body");
    }
    Builder copy = copyBuilder();
    copy.encoded = new EnumMap<>(ContentCoding.class);
    copy.encoded.putAll(source.encoded); // the arrays never change: shared
    return copy.build();
  }

  /** The {@code Date} the response carried (or the time it was stored, if it carried none). */
  public Instant date() {
    return date;
  }

  /** {@link #date()} in IMF-fixdate form, formatted once. */
  public String dateHeader() {
    return dateHeader;
  }

  /** When the response was received from the origin. */
  public Instant storedAt() {
    return storedAt;
  }

  /** The {@code Age} the response already had when it was stored (from a cache upstream). */
  public Duration initialAge() {
    return initialAge;
  }

  /** End of freshness: the page is not served from cache from this instant on. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** Until then an expired page may be served while one request renders its successor. */
  public Instant staleWhileRevalidateUntil() {
    return staleWhileRevalidateUntil;
  }

  /** Until then an expired page may be served when rendering its successor fails. */
  public Instant staleIfErrorUntil() {
    return staleIfErrorUntil;
  }

  @Override
  public Instant evictableAt() {
    return latest(latest(staleWhileRevalidateUntil, staleIfErrorUntil), retainUntil);
  }

  /** Until when the store keeps it for revalidation, past its stale windows; empty when it does not. */
  public Optional<Instant> retainUntil() {
    return Optional.ofNullable(retainUntil);
  }

  /** The origin's own {@code ETag}, as opposed to the content hash this cache made up for a body without one. */
  public Optional<EntityTag> originEtag() {
    return originEtag ? Optional.of(etag) : Optional.empty();
  }

  /**
   * Whether the origin gave it a validator this cache can ask it about once it is stale (RFC 9111
   * §4.3.1): its own {@code ETag} or a {@code Last-Modified}. A replayed {@code sendError} is not
   * revalidated: the error page is the container's, not the origin's.
   */
  public boolean revalidatable() {
    return !errorReplay && (originEtag || lastModified != null);
  }

  private static Instant latest(Instant a, Instant b) {
    return b == null || a.isAfter(b) ? a : b;
  }

  public Optional<EntityTag> etag() {
    return Optional.ofNullable(etag);
  }

  /** {@link #etag()} in header form, formatted once; {@code null} when there is none. */
  public String etagHeader() {
    return etagHeader;
  }

  public Optional<Instant> lastModified() {
    return Optional.ofNullable(lastModified);
  }

  /** The origin's {@code Cache-Control}, parsed once. */
  public CacheControl cacheControl() {
    return cacheControl;
  }

  /**
   * Whether the origin answered through {@code sendError}: such a page is replayed through the
   * container's error handling, so a hit shows the same error page the origin's answer did.
   */
  public boolean isErrorReplay() {
    return errorReplay;
  }

  public Optional<String> errorMessage() {
    return Optional.ofNullable(errorMessage);
  }

  /** When its render began (by the clock of the JVM that rendered it). */
  public Instant renderedAt() {
    return renderedAt;
  }

  /**
   * The fleet's purge sequence number known when its render began: a purge of one of its
   * {@link #purgeGroups()} numbered higher may postdate what the render read.
   */
  @Override
  public long purgeSequence() {
    return purgeSequence;
  }

  /**
   * This page as this JVM rendered it: from {@code renderedAt} (and {@code renderStartNanos} by
   * {@link System#nanoTime()}), with purge sequence number {@code purgeSequence} known, in
   * {@code purgeGroups}. Shares the body: both are immutable.
   */
  public CachedPage renderedHere(Instant renderedAt, long renderStartNanos, long purgeSequence,
      List<String> purgeGroups) {
    Builder copy = copyBuilder();
    copy.renderedAt = renderedAt;
    copy.renderStartNanos = renderStartNanos;
    return copy.purgeGroups(purgeSequence, purgeGroups).build();
  }

  private Builder copyBuilder() {
    Builder copy = new Builder();
    copy.status = status;
    copy.headers = headers;
    copy.contentType = contentType;
    copy.body = body;
    copy.date = date;
    copy.storedAt = storedAt;
    copy.initialAge = initialAge;
    copy.expiresAt = expiresAt;
    copy.staleWhileRevalidateUntil = staleWhileRevalidateUntil;
    copy.staleIfErrorUntil = staleIfErrorUntil;
    copy.etag = etag;
    copy.originEtag = originEtag;
    copy.retainUntil = retainUntil;
    copy.lastModified = lastModified;
    copy.errorReplay = errorReplay;
    copy.errorMessage = errorMessage;
    copy.renderedAt = renderedAt;
    copy.purgeSequence = purgeSequence;
    copy.purgeGroups = purgeGroups;
    copy.renderStartNanos = renderStartNanos;
    copy.encoded.putAll(encoded);
    return copy;
  }

  /**
   * When this JVM began rendering it, by {@link System#nanoTime()}: a clock no other JVM's skew and no
   * step of the wall clock can move; {@link #NOT_RENDERED_HERE} for a copy from another JVM.
   */
  public long renderStartNanos() {
    return renderStartNanos;
  }

  /** The version groups it belongs to: its URL, its path's prefixes, its tags ({@code dev.pagecache.internal.purge.PurgeGroups}). */
  @Override
  public List<String> purgeGroups() {
    return purgeGroups;
  }

  @Override
  public int weight() {
    // Header text is Latin-1 in practice: one byte a character in the JVM's compact strings.
    return FIXED_OVERHEAD_BYTES + body.length + headers.byteSize() + PER_FIELD_BYTES * headers.fields().size()
        + (contentType == null ? 0 : contentType.length()) + groupsWeight() + encodedWeight();
  }

  private int encodedWeight() {
    int weight = 0;
    for (byte[] bytes : encoded.values()) {
      weight += PER_REPRESENTATION_BYTES + bytes.length;
    }
    return weight;
  }

  private int groupsWeight() {
    int weight = 0;
    for (String group : purgeGroups) {
      weight += 40 + group.length();
    }
    return weight;
  }

  /** Identical content, validators and times: used by tests and by codecs that round-trip. */
  public boolean sameAs(CachedPage other) {
    return status == other.status && headers.equals(other.headers)
        && Objects.equals(contentType, other.contentType) && Arrays.equals(body, other.body)
        && date.equals(other.date) && storedAt.equals(other.storedAt)
        && initialAge.equals(other.initialAge) && expiresAt.equals(other.expiresAt)
        && staleWhileRevalidateUntil.equals(other.staleWhileRevalidateUntil)
        && staleIfErrorUntil.equals(other.staleIfErrorUntil)
        && Objects.equals(etag, other.etag) && originEtag == other.originEtag
        && Objects.equals(retainUntil, other.retainUntil) && Objects.equals(lastModified, other.lastModified)
        && errorReplay == other.errorReplay && Objects.equals(errorMessage, other.errorMessage)
        && renderedAt.equals(other.renderedAt) && purgeSequence == other.purgeSequence
        && purgeGroups.equals(other.purgeGroups) && sameEncoded(other);
  }

  private boolean sameEncoded(CachedPage other) {
    if (!encoded.keySet().equals(other.encoded.keySet())) {
      return false;
    }
    for (Map.Entry<ContentCoding, byte[]> form : encoded.entrySet()) {
      if (!Arrays.equals(form.getValue(), other.encoded.get(form.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "CachedPage[status=" + status + ", contentType=" + contentType + ", body=" + body.length
        + " bytes" + (encoded.isEmpty() ? "" : ", encoded=" + encoded.keySet()) + ", storedAt=" + storedAt + ", expiresAt=" + expiresAt + ", etag=" + etagHeader + "]";
  }

  /** Builds a snapshot; {@link #body(byte[])} copies its argument. */
  public static final class Builder {
    private int status = 200;
    private Headers headers = Headers.empty();
    private String contentType;
    private byte[] body = new byte[0];
    private Instant date;
    private Instant storedAt;
    private Duration initialAge = Duration.ZERO;
    private Instant expiresAt;
    private Instant staleWhileRevalidateUntil;
    private Instant staleIfErrorUntil;
    private EntityTag etag;
    private boolean originEtag;
    private Instant retainUntil;
    private Instant lastModified;
    private boolean errorReplay;
    private String errorMessage;
    private Instant renderedAt;
    private long purgeSequence;
    private List<String> purgeGroups = List.of();
    private long renderStartNanos = NOT_RENDERED_HERE;
    private Map<ContentCoding, byte[]> encoded = new EnumMap<>(ContentCoding.class);

    private Builder() {}

    /** The body compressed in {@code coding} (copied): kept only when the body is the origin's identity body. */
    public Builder encoded(ContentCoding coding, byte[] body) {
      this.encoded.put(coding, body.clone());
      return this;
    }

    public Builder renderedAt(Instant renderedAt) {
      this.renderedAt = renderedAt;
      return this;
    }

    /** See {@link CachedPage#purgeSequence()} and {@link CachedPage#purgeGroups()}. */
    public Builder purgeGroups(long purgeSequence, List<String> purgeGroups) {
      this.purgeSequence = purgeSequence;
      this.purgeGroups = purgeGroups;
      return this;
    }

    public Builder status(int status) {
      this.status = status;
      return this;
    }

    public Builder headers(Headers headers) {
      this.headers = headers;
      return this;
    }

    public Builder contentType(String contentType) {
      this.contentType = contentType;
      return this;
    }

    public Builder body(byte[] body) {
      this.body = body.clone();
      return this;
    }

    public Builder date(Instant date) {
      this.date = date;
      return this;
    }

    public Builder storedAt(Instant storedAt) {
      this.storedAt = storedAt;
      return this;
    }

    public Builder initialAge(Duration initialAge) {
      this.initialAge = initialAge;
      return this;
    }

    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    public Builder staleWhileRevalidateUntil(Instant until) {
      this.staleWhileRevalidateUntil = until;
      return this;
    }

    public Builder staleIfErrorUntil(Instant until) {
      this.staleIfErrorUntil = until;
      return this;
    }

    public Builder etag(EntityTag etag) {
      this.etag = etag;
      return this;
    }

    /** Whether the {@link #etag} is the origin's own (see {@link CachedPage#originEtag()}). */
    public Builder originEtag(boolean fromOrigin) {
      this.originEtag = fromOrigin;
      return this;
    }

    /** See {@link CachedPage#retainUntil()}; null for none. */
    public Builder retainUntil(Instant until) {
      this.retainUntil = until;
      return this;
    }

    public Builder lastModified(Instant lastModified) {
      this.lastModified = lastModified;
      return this;
    }

    public Builder errorReplay(String message) {
      this.errorReplay = true;
      this.errorMessage = message;
      return this;
    }

    public CachedPage build() {
      return new CachedPage(this);
    }
  }
}
