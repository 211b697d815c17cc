package dev.pagecache.store;

import dev.pagecache.internal.store.CachedPage;
import dev.pagecache.internal.store.Representation;
import dev.pagecache.internal.store.VariantIndex;
import dev.pagecache.internal.http.ContentCoding;
import dev.pagecache.internal.http.EntityTag;
import dev.pagecache.internal.http.Headers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The versioned byte format of what pagecache keeps outside the JVM (memcached): a
 * {@link CacheEntry}, or the {@link ChunkManifest} of an entry too large for one item. Never Java
 * serialization: whatever comes back is untrusted input, checked field by field, and anything that
 * does not decode is a {@link CorruptEntryException} (a miss), never an error for a user. Every
 * length is checked against what is there, or against a limit, before anything is allocated for it.
 *
 * <p>Every value is bound to the key it is stored under. Its checksum and, with a secret, its
 * signature cover that key together with the bytes, and the bytes start with the format version.
 * A value copied under another key (another URL, another namespace, a generation before a purge)
 * no longer verifies there.
 *
 * <p>Layout, big-endian; {@code str} is a u32 byte length and UTF-8 bytes, {@code time} an i64
 * epoch second and an i32 nanosecond, {@code opt} a u8 0/1 before the value:
 * <pre>
 *   "PGCH" magic (4) | version u8 = 4 | flags u8 (1 deflated body, 2 signed, 4 error replay,
 *          8 origin's own etag, 16 retention time follows the stored bytes, 32 gzip body)
 *          | kind u8 (1 page, 2 variant index, 3 chunk manifest)
 *   page:  status u16 | storedAt time | date time | expiresAt time | staleWhileRevalidateUntil time
 *          | staleIfErrorUntil time | initialAge i64 s
 *          | lastModified opt time | etag opt (weak u8, tag str) | contentType opt str | errorMessage opt str
 *          | fields u16 × (name str, values u16 × str) | renderedAt time | purge sequence i64
 *          | purge groups u16 × str | body length i32 | stored length i32 | stored bytes
 *          | retainUntil time (flag 16 only)
 *   index: generation i64 | evictableAt time | names u16 × str
 *   chunks: generation i64 | chunk size i32 | chunk count u16 | total length i32
 *   CRC32C u32 of (key str, everything before it)
 *   | HMAC-SHA256 (32 bytes) of (key str, everything before it), when signed
 * </pre>
 * For example, a 200 {@code text/html} page with one field {@code Vary: Accept-Language} and the
 * 12-byte body {@code <p>hello</p>} starts {@code 50 47 43 48 04 00 01 00 c8 ...}: magic, version
 * 4, no flags, a page, status 200.
 *
 * <p>A page the cache compressed ({@link CachedPage#encoded}) is stored as its gzip form alone, flag
 * 32: it is already smaller than anything deflate would make of the identity body, and the reader
 * rebuilds the identity body from it, bounded by the body length recorded beside it (and by the
 * largest body this cache takes), so a gzip bomb costs no more than a page. The brotli form is not
 * stored: a JVM that reads the page from memcached serves gzip and identity. Body length is the
 * identity body's; stored length is the gzip form's.
 *
 * <p>Without a secret the checksum catches damage and values moved by mistake, but anyone who can
 * write to memcached can compute it too. With a shared secret every value is signed and a value
 * without a valid signature for its key is refused, so whoever can write to memcached can neither
 * plant pages nor move ours to other URLs.
 */
public final class PageCodec {
  static final byte[] MAGIC = {'P', 'G', 'C', 'H'};
  /**
   * Version 2 binds each value to its key; version 4 stores a compressed page as its gzip form.
   * Other versions are refused (and never read: keys name the version).
   */
  public static final int VERSION = 4;
  static final int FLAG_DEFLATED = 1;
  static final int FLAG_SIGNED = 2;
  static final int FLAG_ERROR_REPLAY = 4;
  /** The ETag is the origin's own (revalidation asks the origin about it), not a content hash. */
  static final int FLAG_ORIGIN_ETAG = 8;
  /** A retention time (kept for revalidation) follows the body. */
  static final int FLAG_RETAINED = 16;
  /** The stored bytes are the body's gzip form (RFC 1952); the identity body is rebuilt from them. */
  static final int FLAG_GZIP_BODY = 32;
  static final int KIND_PAGE = 1;
  static final int KIND_INDEX = 2;
  static final int KIND_CHUNKS = 3;
  private static final int HEADER_BYTES = MAGIC.length + 3;
  private static final int CRC_BYTES = 4;
  private static final int MAC_BYTES = 32;
  /** More than any page has: its URL, its path's prefixes and up to 64 tags. */
  static final int MAX_PURGE_GROUPS = 512;
  /** Compress only when it saves at least this share of the body. */
  private static final double MIN_SAVING = 0.10;

  private final byte[] secret;
  private final int compressionThreshold;
  private final int maxBodyBytes;

  /**
   * A codec for one fleet: every JVM that shares a store must use the same secret.
   *
   * @param secret HMAC key; {@code null} for unsigned entries
   * @param compressionThreshold bodies of at least this many bytes are deflated when it pays
   * @param maxBodyBytes the largest body a decoded entry may have, inflated
   */
  public PageCodec(byte[] secret, int compressionThreshold, int maxBodyBytes) {
    this.secret = secret == null ? null : secret.clone();
    this.compressionThreshold = compressionThreshold;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * The bytes to store an entry under a key, and only there.
   *
   * @param entry a page or variant index made by pagecache
   * @param key the key the value is stored under; the value verifies under no other
   * @return the encoded value, checksummed and, with a secret, signed
   */
  public byte[] encode(CacheEntry entry, String key) {
    if (entry instanceof CachedPage page) {
      Writer out = header(KIND_PAGE);
      int flags = writePage(out, page);
      return seal(out.toByteArray(), flags, key);
    }
    VariantIndex index = (VariantIndex) entry;
    Writer out = header(KIND_INDEX);
    out.i64(index.generation());
    out.time(index.evictableAt());
    out.u16(index.varyHeaders().size());
    for (String name : index.varyHeaders()) {
      out.str(name);
    }
    return seal(out.toByteArray(), 0, key);
  }

  /**
   * The bytes to store a chunk manifest in place of a large entry.
   *
   * @param manifest where the entry's chunks are
   * @param key the key of the entry it stands for
   * @return the encoded value, checksummed and, with a secret, signed
   */
  public byte[] encodeManifest(ChunkManifest manifest, String key) {
    Writer out = header(KIND_CHUNKS);
    out.i64(manifest.generation());
    out.i32(manifest.chunkSize());
    out.u16(manifest.chunkCount());
    out.i32(manifest.totalBytes());
    return seal(out.toByteArray(), 0, key);
  }

  /**
   * Whether a value says it is a chunk manifest: where to look next, not yet whether to trust it.
   *
   * @param value a value read from the store; may be {@code null}
   * @return {@code true} if its header names this version and a chunk manifest; nothing is verified
   */
  public static boolean isManifest(byte[] value) {
    return value != null && value.length > HEADER_BYTES && Arrays.equals(value, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
        && (value[MAGIC.length] & 0xff) == VERSION && value[HEADER_BYTES - 1] == KIND_CHUNKS;
  }

  private static Writer header(int kind) {
    Writer out = new Writer();
    out.bytes(MAGIC);
    out.u8(VERSION);
    out.u8(0); // flags, known once the body is written
    out.u8(kind);
    return out;
  }

  /** Sets the flags, then appends the checksum and, with a secret, the signature, both over key and content. */
  private byte[] seal(byte[] content, int flags, String key) {
    content[MAGIC.length + 1] = (byte) (flags | (secret != null ? FLAG_SIGNED : 0));
    byte[] boundKey = boundKey(key);
    byte[] sealed = Arrays.copyOf(content, content.length + CRC_BYTES + (secret != null ? MAC_BYTES : 0));
    ByteBuffer.wrap(sealed, content.length, CRC_BYTES).putInt(crc(boundKey, sealed, content.length));
    if (secret != null) {
      System.arraycopy(mac(boundKey, sealed, content.length + CRC_BYTES), 0, sealed, content.length + CRC_BYTES, MAC_BYTES);
    }
    return sealed;
  }

  private int writePage(Writer out, CachedPage page) {
    int flags = (page.isErrorReplay() ? FLAG_ERROR_REPLAY : 0) | (page.originEtag().isPresent() ? FLAG_ORIGIN_ETAG : 0);
    out.u16(page.status());
    out.time(page.storedAt());
    out.time(page.date());
    out.time(page.expiresAt());
    out.time(page.staleWhileRevalidateUntil());
    out.time(page.staleIfErrorUntil());
    out.i64(page.initialAge().getSeconds());
    out.optTime(page.lastModified().orElse(null));
    EntityTag etag = page.etag().orElse(null);
    out.u8(etag == null ? 0 : 1);
    if (etag != null) {
      out.u8(etag.weak() ? 1 : 0);
      out.str(etag.tag());
    }
    out.optStr(page.contentType().orElse(null));
    out.optStr(page.errorMessage().orElse(null));
    List<Headers.Field> fields = page.headers().fields();
    out.u16(fields.size());
    for (Headers.Field field : fields) {
      out.str(field.name());
      out.u16(field.values().size());
      for (String value : field.values()) {
        out.str(value);
      }
    }
    out.time(page.renderedAt());
    out.i64(page.purgeSequence());
    out.u16(page.purgeGroups().size());
    for (String group : page.purgeGroups()) {
      out.str(group);
    }
    Optional<Representation> gzip = page.encoded(ContentCoding.GZIP);
    if (gzip.isPresent()) {
      byte[] form = new byte[gzip.get().length()];
      gzip.get().body().get(form);
      out.i32(page.bodyLength());
      out.i32(form.length);
      out.bytes(form);
      flags |= FLAG_GZIP_BODY;
    } else {
      byte[] body = new byte[page.bodyLength()];
      page.body().get(body);
      byte[] stored = body.length >= compressionThreshold ? deflateIfSmaller(body) : null;
      out.i32(body.length);
      if (stored != null) {
        flags |= FLAG_DEFLATED;
        out.i32(stored.length);
        out.bytes(stored);
      } else {
        out.i32(body.length);
        out.bytes(body);
      }
    }
    if (page.retainUntil().isPresent()) {
      // At the end, so that a reader that predates it finds bytes after the entry and refuses it.
      flags |= FLAG_RETAINED;
      out.time(page.retainUntil().get());
    }
    return flags;
  }

  private static byte[] deflateIfSmaller(byte[] body) {
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try {
      deflater.setInput(body);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
      byte[] buffer = new byte[16 * 1024];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
        if (out.size() > body.length * (1 - MIN_SAVING)) {
          return null;
        }
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  /**
   * Reads back what {@link #encode} wrote.
   *
   * @param value the bytes read from the store: untrusted
   * @param key the key they were read from
   * @return the page or variant index
   * @throws CorruptEntryException for anything that is not an intact entry written by this
   *     format version for {@code key} (and, with a secret, signed with it)
   */
  public CacheEntry decode(byte[] value, String key) throws CorruptEntryException {
    Opened opened = open(value, key);
    ByteBuffer in = opened.content();
    try {
      CacheEntry entry = switch (opened.kind()) {
        case KIND_PAGE -> readPage(in, opened.flags());
        case KIND_INDEX -> readIndex(in);
        case KIND_CHUNKS -> throw new CorruptEntryException("a chunk manifest where an entry was expected");
        default -> throw new CorruptEntryException("unknown entry kind " + opened.kind());
      };
      return complete(entry, in);
    } catch (BufferUnderflowException | IllegalArgumentException | java.time.DateTimeException e) {
      throw new CorruptEntryException("malformed: " + e);
    }
  }

  /**
   * Reads back what {@link #encodeManifest} wrote.
   *
   * @param value the bytes read from the store: untrusted
   * @param key the key of the entry the manifest stands for
   * @return the manifest, its numbers consistent with one another
   * @throws CorruptEntryException for anything that is not an intact, consistent chunk manifest
   *     written by this format version for {@code key} (and, with a secret, signed with it)
   */
  public ChunkManifest decodeManifest(byte[] value, String key) throws CorruptEntryException {
    Opened opened = open(value, key);
    if (opened.kind() != KIND_CHUNKS) {
      throw new CorruptEntryException("not a chunk manifest");
    }
    ByteBuffer in = opened.content();
    try {
      return complete(new ChunkManifest(in.getLong(), in.getInt(), in.getShort() & 0xffff, in.getInt()), in);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new CorruptEntryException("malformed chunk manifest: " + e.getMessage());
    }
  }

  private static <T> T complete(T decoded, ByteBuffer in) throws CorruptEntryException {
    if (in.hasRemaining()) {
      throw new CorruptEntryException(in.remaining() + " bytes after the entry");
    }
    return decoded;
  }

  /** A verified value: its flags, its kind, and its content after the header. */
  private record Opened(int flags, int kind, ByteBuffer content) {}

  /** Checks magic, version, signature and checksum, in that order: nothing is parsed before they pass. */
  private Opened open(byte[] value, String key) throws CorruptEntryException {
    if (value == null || value.length < HEADER_BYTES + CRC_BYTES) {
      throw new CorruptEntryException("too short");
    }
    if (!Arrays.equals(value, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new CorruptEntryException("bad magic");
    }
    int version = value[MAGIC.length] & 0xff;
    if (version != VERSION) {
      throw new CorruptEntryException("unknown format version " + version);
    }
    int flags = value[MAGIC.length + 1] & 0xff;
    boolean signed = (flags & FLAG_SIGNED) != 0;
    if (secret != null && !signed) {
      throw new CorruptEntryException("not signed");
    }
    byte[] boundKey = boundKey(key);
    int end = value.length;
    if (signed) {
      if (secret == null) {
        throw new CorruptEntryException("signed with a secret this cache does not have");
      }
      end -= MAC_BYTES;
      if (end < HEADER_BYTES + CRC_BYTES
          || !MessageDigest.isEqual(mac(boundKey, value, end), Arrays.copyOfRange(value, end, value.length))) {
        throw new CorruptEntryException("bad signature (another secret, or stored under another key)");
      }
    }
    int contentEnd = end - CRC_BYTES;
    if (crc(boundKey, value, contentEnd) != ByteBuffer.wrap(value, contentEnd, CRC_BYTES).getInt()) {
      throw new CorruptEntryException("checksum mismatch (damaged, or stored under another key)");
    }
    ByteBuffer content = ByteBuffer.wrap(value, HEADER_BYTES, contentEnd - HEADER_BYTES).slice();
    return new Opened(flags, value[HEADER_BYTES - 1], content);
  }

  private CachedPage readPage(ByteBuffer in, int flags) throws CorruptEntryException {
    CachedPage.Builder page = CachedPage.builder()
        .status(status(in.getShort() & 0xffff))
        .storedAt(time(in))
        .date(time(in))
        .expiresAt(time(in))
        .staleWhileRevalidateUntil(time(in))
        .staleIfErrorUntil(time(in))
        .initialAge(Duration.ofSeconds(nonNegative(in.getLong())));
    if (flag(in)) {
      page.lastModified(time(in));
    }
    if (flag(in)) {
      boolean weak = flag(in);
      page.etag(new EntityTag(str(in), weak));
    }
    if (flag(in)) {
      page.contentType(str(in));
    }
    String errorMessage = flag(in) ? str(in) : null;
    if ((flags & FLAG_ERROR_REPLAY) != 0) {
      page.errorReplay(errorMessage);
    }
    int fieldCount = in.getShort() & 0xffff;
    Headers.Builder headers = Headers.builder();
    for (int i = 0; i < fieldCount; i++) {
      String name = str(in);
      int values = in.getShort() & 0xffff;
      for (int j = 0; j < values; j++) {
        headers.add(name, str(in));
      }
    }
    page.headers(headers.build());
    page.renderedAt(time(in));
    long purgeSequence = nonNegative(in.getLong());
    int groupCount = in.getShort() & 0xffff;
    if (groupCount > MAX_PURGE_GROUPS) {
      throw new CorruptEntryException(groupCount + " purge groups");
    }
    List<String> groups = new ArrayList<>(groupCount);
    for (int i = 0; i < groupCount; i++) {
      groups.add(str(in));
    }
    page.purgeGroups(purgeSequence, groups);
    int bodyLength = in.getInt();
    int storedLength = in.getInt();
    if (bodyLength < 0 || bodyLength > maxBodyBytes || storedLength < 0 || storedLength > in.remaining()) {
      throw new CorruptEntryException("body length out of range");
    }
    byte[] stored = new byte[storedLength];
    in.get(stored);
    if ((flags & FLAG_GZIP_BODY) != 0) {
      if ((flags & (FLAG_DEFLATED | FLAG_ERROR_REPLAY)) != 0) {
        throw new CorruptEntryException("a gzip body cannot be deflated too, or an error replay");
      }
      page.body(gunzip(stored, bodyLength));
      page.encoded(ContentCoding.GZIP, stored);
    } else {
      page.body((flags & FLAG_DEFLATED) != 0 ? inflate(stored, bodyLength) : exact(stored, bodyLength));
    }
    page.originEtag((flags & FLAG_ORIGIN_ETAG) != 0);
    if ((flags & FLAG_RETAINED) != 0) {
      page.retainUntil(time(in));
    }
    return page.build();
  }

  private static VariantIndex readIndex(ByteBuffer in) throws CorruptEntryException {
    long generation = in.getLong();
    Instant evictableAt = time(in);
    int count = in.getShort() & 0xffff;
    List<String> names = new ArrayList<>(Math.min(count, in.remaining() / 4)); // each name takes at least 4 bytes
    for (int i = 0; i < count; i++) {
      names.add(str(in));
    }
    return new VariantIndex(generation, names, evictableAt);
  }

  /**
   * Inflates exactly {@code length} bytes, refusing anything that would inflate past it. The
   * buffer grows with what really inflates: a small hostile value that claims a large body costs
   * what it inflates to, not what it claims.
   */
  private static byte[] inflate(byte[] stored, int length) throws CorruptEntryException {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(stored);
      byte[] body = new byte[(int) Math.min(length, Math.max(64 * 1024, 4L * stored.length))];
      int filled = 0;
      while (filled < length) {
        if (filled == body.length) {
          body = Arrays.copyOf(body, (int) Math.min(length, 2L * body.length));
        }
        int n = inflater.inflate(body, filled, body.length - filled);
        if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        filled += n;
      }
      if (filled != length || !inflater.finished()) {
        throw new CorruptEntryException("deflated body does not inflate to its stated length");
      }
      return body;
    } catch (DataFormatException e) {
      throw new CorruptEntryException("bad deflate data");
    } finally {
      inflater.end();
    }
  }

  /**
   * The identity body of a stored gzip form: exactly {@code length} bytes, with gzip's own checksum
   * and length verified. Reading stops at {@code length} (one byte more is read to find the end):
   * memory grows with what really decompresses, never past what the entry claims.
   */
  private static byte[] gunzip(byte[] gzip, int length) throws CorruptEntryException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip), 8192)) {
      byte[] body = in.readNBytes(length);
      if (body.length != length || in.read() != -1) {
        throw new CorruptEntryException("gzip body does not decompress to its stated length");
      }
      return body;
    } catch (IOException e) {
      throw new CorruptEntryException("bad gzip data");
    }
  }

  private static byte[] exact(byte[] stored, int length) throws CorruptEntryException {
    if (stored.length != length) {
      throw new CorruptEntryException("body length mismatch");
    }
    return stored;
  }

  private static int status(int status) throws CorruptEntryException {
    if (status < 100 || status > 599) {
      throw new CorruptEntryException("status " + status);
    }
    return status;
  }

  private static long nonNegative(long value) throws CorruptEntryException {
    if (value < 0) {
      throw new CorruptEntryException("negative value");
    }
    return value;
  }

  private static boolean flag(ByteBuffer in) throws CorruptEntryException {
    int value = in.get();
    if (value != 0 && value != 1) {
      throw new CorruptEntryException("bad flag byte " + value);
    }
    return value == 1;
  }

  private static Instant time(ByteBuffer in) {
    long seconds = in.getLong();
    int nanos = in.getInt();
    return Instant.ofEpochSecond(seconds, nanos);
  }

  private static String str(ByteBuffer in) throws CorruptEntryException {
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new CorruptEntryException("string length out of range");
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The key as the checksum and the signature see it: a u32 length, then its UTF-8 bytes. */
  private static byte[] boundKey(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).array();
  }

  private static int crc(byte[] boundKey, byte[] data, int length) {
    CRC32C crc = new CRC32C();
    crc.update(boundKey);
    crc.update(data, 0, length);
    return (int) crc.getValue();
  }

  private byte[] mac(byte[] boundKey, byte[] data, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(boundKey);
      mac.update(data, 0, length);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }

  /** A growable big-endian writer. */
  private static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);

    void u8(int value) {
      out.write(value);
    }

    void u16(int value) {
      if (value > 0xffff) {
        throw new IllegalArgumentException("more than 65535 items");
      }
      out.write(value >>> 8);
      out.write(value);
    }

    void i32(int value) {
      out.write(value >>> 24);
      out.write(value >>> 16);
      out.write(value >>> 8);
      out.write(value);
    }

    void i64(long value) {
      i32((int) (value >>> 32));
      i32((int) value);
    }

    void time(Instant instant) {
      i64(instant.getEpochSecond());
      i32(instant.getNano());
    }

    void optTime(Instant instant) {
      u8(instant == null ? 0 : 1);
      if (instant != null) {
        time(instant);
      }
    }

    void str(String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      i32(bytes.length);
      bytes(bytes);
    }

    void optStr(String text) {
      u8(text == null ? 0 : 1);
      if (text != null) {
        str(text);
      }
    }

    void bytes(byte[] bytes) {
      out.write(bytes, 0, bytes.length);
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}
