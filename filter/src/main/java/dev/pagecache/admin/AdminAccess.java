package dev.pagecache.admin;

import dev.pagecache.internal.purge.PurgeAccess;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may see the admin page and purge from it. The callers are the purge endpoint's
 * ({@link PurgeAccess}: a token, an allow-list of addresses, or both), or the servlet's own when it
 * has any; with neither the page is closed.
 *
 * <p>A browser cannot put a bearer token on a link or a form, but it sends HTTP Basic credentials on
 * every request once the user typed them: the token is the password (any user name), and is checked
 * as the purge endpoint checks a bearer token. Basic needs no session, no cookie and no script, and
 * is as safe as the bearer header over HTTPS; over plain HTTP the token travels as it does to the
 * purge endpoint.
 *
 * <p>Because the browser sends those credentials on any request to the page, also one another site
 * makes it send, a purge (the only change the page makes) must be a {@code POST} that the browser
 * says comes from this origin ({@code Sec-Fetch-Site: same-origin}, else an {@code Origin} equal to
 * the request's own) and that carries a form token only the page's own forms hold: an HMAC, under a
 * key drawn at start-up, of the caller's credentials and address.
 */
final class AdminAccess {
  static final String REALM_CHALLENGE = "Basic realm=\"pagecache admin\", charset=\"UTF-8\"";

  /** Why a request is refused, with the status that says so; nothing the client sent is in it. */
  record Refusal(int status, String message, boolean challenge) {}

  /**
   * What a request shows about who sent it.
   *
   * @param authorization the {@code Authorization} header, or null
   * @param remoteAddress the socket's peer
   * @param origin the {@code Origin} header, or null
   * @param fetchSite the {@code Sec-Fetch-Site} header, or null
   * @param ownOrigin the request's own origin, e.g. {@code https://www.example.com}
   */
  record Caller(String authorization, String remoteAddress, String origin, String fetchSite, String ownOrigin) {
    @Override
    public String toString() {
      return "Caller[" + remoteAddress + (authorization == null ? "" : ", with Authorization") + "]";
    }
  }

  private static final Refusal CLOSED = new Refusal(403, "The pagecache admin page is closed: nobody is allowed in. "
      + "Turn on the purge endpoint (filter init-param pagecache.purge.token and/or pagecache.purge.allowFrom), "
      + "whose callers this page lets in, or give this servlet its own init-param "
      + PageCacheAdminServlet.TOKEN_PARAM + " and/or " + PageCacheAdminServlet.ALLOW_FROM_PARAM + ".", false);
  private static final Refusal SIGN_IN = new Refusal(401, "Sign in to the pagecache admin page with any user name "
      + "and the purge token as the password.", true);
  private static final Refusal WRONG_TOKEN = new Refusal(401, "That password is not the purge token.", true);
  private static final Refusal ADDRESS = new Refusal(403, "Your address is not allowed to use the pagecache admin "
      + "page.", false);
  private static final Refusal CROSS_SITE = new Refusal(403, "A purge must be sent from the pagecache admin page "
      + "itself: the browser said it came from another site, or said nothing of where it came from "
      + "(no Origin, no Sec-Fetch-Site).", false);
  private static final Refusal FORM_TOKEN = new Refusal(403, "The form's token is missing or not this page's: "
      + "reload the admin page and try again.", false);

  private final SecretKeySpec formKey;

  AdminAccess() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    this.formKey = new SecretKeySpec(key, "HmacSHA256");
  }

  /**
   * Whether {@code caller} may read the admin pages: the access's verdict, with no check of where
   * the request came from (a page another site opens shows that site nothing; it cannot read it).
   *
   * @param access who may come in; empty when nobody is configured
   */
  Optional<Refusal> checkRead(Optional<PurgeAccess> access, Caller caller) {
    if (access.isEmpty()) {
      return Optional.of(CLOSED);
    }
    return refusal(access.get().check(new PurgeAccess.Caller(asBearer(caller.authorization()),
        caller.remoteAddress(), null, null, caller.ownOrigin())));
  }

  /**
   * Whether {@code caller} may purge: {@link #checkRead}, then same origin, then the page's form
   * token, read only once the rest passed.
   */
  Optional<Refusal> checkPurge(Optional<PurgeAccess> access, Caller caller, Supplier<String> readFormToken) {
    Optional<Refusal> refused = checkRead(access, caller);
    if (refused.isPresent()) {
      return refused;
    }
    if (!isSameOrigin(caller)) {
      return Optional.of(CROSS_SITE);
    }
    String formToken = readFormToken.get();
    byte[] expected = formToken(caller).getBytes(StandardCharsets.US_ASCII);
    byte[] presented = formToken == null ? new byte[0] : formToken.getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, presented) ? Optional.empty() : Optional.of(FORM_TOKEN);
  }

  /** The token the page's forms carry for this caller. */
  String formToken(Caller caller) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(formKey);
      String bound = (caller.authorization() == null ? "" : caller.authorization()) + "\n" + caller.remoteAddress();
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(bound.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform has HmacSHA256", e);
    }
  }

  /** The browser's word ({@code Sec-Fetch-Site}) when it gives one, else its {@code Origin}; neither is not enough. */
  static boolean isSameOrigin(Caller caller) {
    if (caller.fetchSite() != null) {
      return caller.fetchSite().trim().toLowerCase(Locale.ROOT).equals("same-origin");
    }
    return caller.origin() != null && caller.origin().trim().equalsIgnoreCase(caller.ownOrigin());
  }

  /**
   * The token of HTTP Basic credentials (the password; the user name is ignored) as a bearer
   * header, a bearer header as it is, or null.
   */
  static String asBearer(String authorization) {
    if (authorization == null || authorization.length() > 4 * PurgeAccess.MAX_TOKEN_CHARS) {
      return null;
    }
    if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization;
    }
    if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String credentials;
    try {
      credentials = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
    int colon = credentials.indexOf(':');
    String password = colon < 0 ? "" : credentials.substring(colon + 1);
    return password.isEmpty() ? null : "Bearer " + password;
  }

  private static Optional<Refusal> refusal(PurgeAccess.Verdict verdict) {
    return switch (verdict) {
      case GRANTED -> Optional.empty();
      case ADDRESS_NOT_ALLOWED -> Optional.of(ADDRESS);
      case CROSS_SITE -> Optional.of(CROSS_SITE);
      case NO_TOKEN -> Optional.of(SIGN_IN);
      case WRONG_TOKEN -> Optional.of(WRONG_TOKEN);
    };
  }
}
