package dev.pagecache.internal.purge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may purge: a client that presents the shared token as {@code Authorization: Bearer <token>},
 * and/or one whose address is on the allow-list; with both configured, both must pass. The
 * address is checked first, so a client from elsewhere learns nothing about the token.
 *
 * <p>The token is kept only as its SHA-256, and a presented token is hashed the same way before
 * {@link MessageDigest#isEqual} compares the two: the comparison takes the same time whatever
 * the token's length and wherever the first wrong byte is, and no object here can print it.
 *
 * <p>A request a browser sends on behalf of another site ({@code Sec-Fetch-Site: cross-site}, or
 * an {@code Origin} that is not the request's own) is refused: an allow-list alone would otherwise
 * let any web page purge through the browser of someone on an allowed network.
 */
public final class PurgeAccess {
  /**
   * The servlet-context attribute under which the filter publishes its purge endpoint's access, for
   * the admin page ({@code dev.pagecache.admin.PageCacheAdminServlet}) to let in the same callers.
   */
  public static final String CONTEXT_ATTRIBUTE = PurgeAccess.class.getName();

  /** The shortest token accepted: {@value} characters. */
  public static final int MIN_TOKEN_CHARS = 16;
  /** Longer tokens add nothing and would only bloat every request: {@value} characters at most. */
  public static final int MAX_TOKEN_CHARS = 1024;

  /** Why a request may or may not purge, with the status that says so. */
  public enum Verdict {
    GRANTED(200, "granted"),
    ADDRESS_NOT_ALLOWED(403, "the client's address is not allowed to purge"),
    CROSS_SITE(403, "a browser request from another site may not purge"),
    NO_TOKEN(401, "purging needs a bearer token (Authorization: Bearer <token>)"),
    WRONG_TOKEN(401, "the bearer token is not the purge token");

    private final int status;
    private final String message;

    Verdict(int status, String message) {
      this.status = status;
      this.message = message;
    }

    public int status() {
      return status;
    }

    /** For the client; holds nothing the client sent. */
    public String message() {
      return message;
    }

    public boolean granted() {
      return this == GRANTED;
    }
  }

  /**
   * What a purge request shows about who sent it.
   *
   * @param authorization the {@code Authorization} header, or null
   * @param remoteAddress {@code ServletRequest.getRemoteAddr()}: the socket's peer, never a
   *     forwarding header
   * @param origin the {@code Origin} header, or null
   * @param fetchSite the {@code Sec-Fetch-Site} header, or null
   * @param ownOrigin the request's own origin, e.g. {@code https://www.example.com}
   */
  public record Caller(String authorization, String remoteAddress, String origin, String fetchSite, String ownOrigin) {
    /** Hides the credentials from any log line that prints a caller. */
    @Override
    public String toString() {
      return "Caller[" + remoteAddress + (authorization == null ? "" : ", with Authorization") + "]";
    }
  }

  private final Optional<byte[]> tokenDigest;
  private final Optional<AllowList> allowList;

  /**
   * @param token the shared secret, or empty for none (checked by {@link #checkToken})
   * @param allowList the addresses allowed, or empty for any
   */
  public PurgeAccess(Optional<String> token, Optional<AllowList> allowList) {
    if (token.isEmpty() && allowList.isEmpty()) {
      throw new IllegalArgumentException("the purge endpoint needs a token, an allow-list of addresses, or both");
    }
    token.ifPresent(t -> checkToken("token", t));
    this.tokenDigest = token.map(PurgeAccess::sha256);
    this.allowList = allowList;
  }

  /**
   * Checks a token before it is used; the message names {@code name} and never the token.
   *
   * @throws IllegalArgumentException when the token is empty, short, long, or holds characters a
   *     bearer token cannot (RFC 6750 §2.1: letters, digits, {@code - . _ ~ + /}, then {@code =})
   */
  public static void checkToken(String name, String token) {
    if (token.isEmpty()) {
      throw new IllegalArgumentException(name + " is empty: give a random token of at least " + MIN_TOKEN_CHARS
          + " characters, or leave it out");
    }
    if (token.length() < MIN_TOKEN_CHARS) {
      throw new IllegalArgumentException(name + " is shorter than " + MIN_TOKEN_CHARS + " characters: too easy "
          + "to guess; use a random one, e.g. from openssl rand -base64 32");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new IllegalArgumentException(name + " is longer than " + MAX_TOKEN_CHARS + " characters");
    }
    if (!isBearerToken(token)) {
      throw new IllegalArgumentException(name + " may hold only letters, digits and - . _ ~ + / (then = at the "
          + "end), as a bearer token must");
    }
  }

  public boolean hasToken() {
    return tokenDigest.isPresent();
  }

  public Optional<AllowList> allowList() {
    return allowList;
  }

  public Verdict check(Caller caller) {
    if (allowList.isPresent() && !allowList.get().permits(caller.remoteAddress())) {
      return Verdict.ADDRESS_NOT_ALLOWED;
    }
    if (isCrossSite(caller)) {
      return Verdict.CROSS_SITE;
    }
    if (tokenDigest.isEmpty()) {
      return Verdict.GRANTED;
    }
    Optional<String> presented = bearerToken(caller.authorization());
    if (presented.isEmpty()) {
      return Verdict.NO_TOKEN;
    }
    return MessageDigest.isEqual(tokenDigest.get(), sha256(presented.get())) ? Verdict.GRANTED : Verdict.WRONG_TOKEN;
  }

  /**
   * The browser's own word when it gives one (Fetch Metadata); else an {@code Origin} that is not
   * the request's. Clients that are not browsers (curl, a CMS hook) send neither.
   */
  private static boolean isCrossSite(Caller caller) {
    if (caller.fetchSite() != null) {
      String site = caller.fetchSite().trim().toLowerCase(Locale.ROOT);
      return !site.equals("same-origin") && !site.equals("none");
    }
    return caller.origin() != null && !caller.origin().trim().equalsIgnoreCase(caller.ownOrigin());
  }

  /** The credentials of {@code Bearer <token>} (scheme in any case, RFC 9110 §11.1); empty for anything else. */
  private static Optional<String> bearerToken(String authorization) {
    if (authorization == null || authorization.length() < 7
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = authorization.substring(7).strip();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  private static boolean isBearerToken(String token) {
    int end = token.length();
    while (end > 0 && token.charAt(end - 1) == '=') {
      end--;
    }
    if (end == 0) {
      return false;
    }
    for (int i = 0; i < end; i++) {
      char c = token.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return (tokenDigest.isPresent() ? "bearer token" : "no token")
        + allowList.map(list -> ", from " + list).orElse(", from any address");
  }
}
