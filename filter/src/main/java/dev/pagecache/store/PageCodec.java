package dev.pagecache.store;

import dev.pagecache.http.EntityTag;
import dev.pagecache.http.Headers;
import java.io.ByteArrayOutputStream;
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
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The versioned byte format of a {@link CacheEntry} outside the JVM (memcached). Never Java
 * serialization: whatever comes back is untrusted input, checked field by field, and anything
 * that does not decode is a {@link CorruptEntryException} (a miss), never an error for a user.
 *
 * <p>Layout, big-endian; {@code str} is a u32 byte length and UTF-8 bytes, {@code time} an i64
 * epoch second and an i32 nanosecond, {@code opt} a u8 0/1 before the value:
 * <pre>
 *   "PGCH" magic (4) | version u8 = 1 | flags u8 (1 deflated body, 2 signed, 4 error replay) | kind u8 (1 page, 2 variant index)
 *   page:  status u16 | storedAt time | date time | expiresAt time | staleWhileRevalidateUntil time
 *          | staleIfErrorUntil time | initialAge i64 s
 *          | lastModified opt time | etag opt (weak u8, tag str) | contentType opt str | errorMessage opt str
 *          | fields u16 × (name str, values u16 × str) | body length i32 | stored length i32 | stored bytes
 *   index: generation i64 | evictableAt time | names u16 × str
 *   CRC32C u32 of everything before it | HMAC-SHA256 (32 bytes) of everything before it, when signed
 * </pre>
 * For example, a 200 {@code text/html} page with one field {@code Vary: Accept-Language} and the
 * 12-byte body {@code <p>hello</p>} starts {@code 50 47 43 48 01 00 01 00 c8 ...}: magic, version
 * 1, no flags, a page, status 200.
 *
 * <p>With a shared secret, every entry is signed and an entry without a valid signature is
 * refused, so whoever can write to memcached cannot plant pages.
 */
public final class PageCodec {
  static final byte[] MAGIC = {'P', 'G', 'C', 'H'};
  static final int VERSION = 1;
  static final int FLAG_DEFLATED = 1;
  static final int FLAG_SIGNED = 2;
  static final int FLAG_ERROR_REPLAY = 4;
  static final int KIND_PAGE = 1;
  static final int KIND_INDEX = 2;
  private static final int MAC_BYTES = 32;
  /** Compress only when it saves at least this share of the body. */
  private static final double MIN_SAVING = 0.10;

  private final byte[] secret;
  private final int compressionThreshold;
  private final int maxBodyBytes;

  /**
   * @param secret HMAC key; {@code null} for unsigned entries
   * @param compressionThreshold bodies of at least this many bytes are deflated when it pays
   * @param maxBodyBytes the largest body a decoded entry may have, inflated
   */
  public PageCodec(byte[] secret, int compressionThreshold, int maxBodyBytes) {
    this.secret = secret == null ? null : secret.clone();
    this.compressionThreshold = compressionThreshold;
    this.maxBodyBytes = maxBodyBytes;
  }

  public byte[] encode(CacheEntry entry) {
    Writer out = new Writer();
    out.bytes(MAGIC);
    out.u8(VERSION);
    int flagsAt = out.size();
    out.u8(0);
    int flags = secret != null ? FLAG_SIGNED : 0;
    if (entry instanceof CachedPage page) {
      out.u8(KIND_PAGE);
      flags |= writePage(out, page);
    } else {
      VariantIndex index = (VariantIndex) entry;
      out.u8(KIND_INDEX);
      out.i64(index.generation());
      out.time(index.evictableAt());
      out.u16(index.varyHeaders().size());
      for (String name : index.varyHeaders()) {
        out.str(name);
      }
    }
    byte[] body = out.toByteArray();
    body[flagsAt] = (byte) flags;
    CRC32C crc = new CRC32C();
    crc.update(body);
    byte[] withCrc = Arrays.copyOf(body, body.length + 4);
    ByteBuffer.wrap(withCrc, body.length, 4).putInt((int) crc.getValue());
    if (secret == null) {
      return withCrc;
    }
    byte[] signed = Arrays.copyOf(withCrc, withCrc.length + MAC_BYTES);
    System.arraycopy(mac(withCrc, withCrc.length), 0, signed, withCrc.length, MAC_BYTES);
    return signed;
  }

  private int writePage(Writer out, CachedPage page) {
    int flags = page.isErrorReplay() ? FLAG_ERROR_REPLAY : 0;
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
   * @throws CorruptEntryException for anything that is not an intact entry written by this
   *     format version (and, with a secret, signed with it)
   */
  public CacheEntry decode(byte[] value) throws CorruptEntryException {
    if (value == null || value.length < MAGIC.length + 3 + 4) {
      throw new CorruptEntryException("too short");
    }
    if (!Arrays.equals(value, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new CorruptEntryException("bad magic");
    }
    if ((value[4] & 0xff) != VERSION) {
      throw new CorruptEntryException("unknown format version " + (value[4] & 0xff));
    }
    int flags = value[5] & 0xff;
    boolean signed = (flags & FLAG_SIGNED) != 0;
    if (secret != null && !signed) {
      throw new CorruptEntryException("not signed");
    }
    int end = value.length;
    if (signed) {
      if (secret == null) {
        throw new CorruptEntryException("signed with a secret this cache does not have");
      }
      end -= MAC_BYTES;
      if (end < MAGIC.length + 3 + 4
          || !MessageDigest.isEqual(mac(value, end), Arrays.copyOfRange(value, end, value.length))) {
        throw new CorruptEntryException("bad signature");
      }
    }
    int contentEnd = end - 4;
    CRC32C crc = new CRC32C();
    crc.update(value, 0, contentEnd);
    if ((int) crc.getValue() != ByteBuffer.wrap(value, contentEnd, 4).getInt()) {
      throw new CorruptEntryException("checksum mismatch");
    }
    ByteBuffer in = ByteBuffer.wrap(value, 7, contentEnd - 7).slice();
    try {
      CacheEntry entry = switch (value[6]) {
        case KIND_PAGE -> readPage(in, flags);
        case KIND_INDEX -> readIndex(in);
        default -> throw new CorruptEntryException("unknown entry kind " + value[6]);
      };
      if (in.hasRemaining()) {
        throw new CorruptEntryException(in.remaining() + " bytes after the entry");
      }
      return entry;
    } catch (BufferUnderflowException | IllegalArgumentException | java.time.DateTimeException e) {
      throw new CorruptEntryException("malformed: " + e);
    }
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
    int bodyLength = in.getInt();
    int storedLength = in.getInt();
    if (bodyLength < 0 || bodyLength > maxBodyBytes || storedLength < 0 || storedLength > in.remaining()) {
      throw new CorruptEntryException("body length out of range");
    }
    byte[] stored = new byte[storedLength];
    in.get(stored);
    page.body((flags & FLAG_DEFLATED) != 0 ? inflate(stored, bodyLength) : exact(stored, bodyLength));
    return page.build();
  }

  private static VariantIndex readIndex(ByteBuffer in) throws CorruptEntryException {
    long generation = in.getLong();
    Instant evictableAt = time(in);
    int count = in.getShort() & 0xffff;
    List<String> names = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      names.add(str(in));
    }
    return new VariantIndex(generation, names, evictableAt);
  }

  /** Inflates exactly {@code length} bytes, refusing anything that would inflate past it. */
  private static byte[] inflate(byte[] stored, int length) throws CorruptEntryException {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(stored);
      byte[] body = new byte[length];
      int filled = 0;
      while (filled < length) {
        int n = inflater.inflate(body, filled, length - filled);
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

  private byte[] mac(byte[] data, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(data, 0, length);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }

  /** A growable big-endian writer. */
  private static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);

    int size() {
      return out.size();
    }

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
