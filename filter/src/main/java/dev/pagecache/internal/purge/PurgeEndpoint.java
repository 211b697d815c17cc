package dev.pagecache.internal.purge;

import dev.pagecache.rules.TagTemplate;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The purge endpoint's decisions: which requests are its, who may purge, what a request asks to
 * purge, and the answer. Nothing here touches the servlet API or the cache: {@link #decide}
 * returns either an {@link Answer} to send as it is, or a {@link Purge} for the caller to carry
 * out and then answer with {@link #purged}.
 *
 * <ul>
 *   <li>{@code PURGE <url>} (the Varnish and nginx convention) purges the URL it is sent to.</li>
 *   <li>{@code POST <path>} with form parameters {@code url=} (absolute, or a path on the
 *       request's own scheme, host and port), {@code prefix=}, {@code tag=} (each may repeat)
 *       and {@code all} purges what they name, and answers
 *       {@code {"purged":{"urls":[...],"prefixes":[...],"tags":[...],"all":false}}}.</li>
 * </ul>
 *
 * <p>Access is checked before anything else, the request's form included: a client that may not
 * purge costs no more than reading its headers. Then: 405 for any method but {@code POST} on the
 * path, 400 for a request that names nothing, names something that is not a URL, or names more
 * than {@value #MAX_VALUES} things.
 */
public final class PurgeEndpoint {
  /** The most URLs, prefixes and tags one request may name: {@value}. */
  public static final int MAX_VALUES = 500;
  /** The longest URL or prefix: {@value} characters, more than any container takes in a request line. */
  public static final int MAX_URL_CHARS = 8192;
  /** The longest tag: {@value} characters, as pages keep them ({@link TagTemplate#MAX_TAG_LENGTH}). */
  public static final int MAX_TAG_CHARS = TagTemplate.MAX_TAG_LENGTH;

  private static final String TEXT = "text/plain;charset=UTF-8";
  private static final String JSON = "application/json;charset=UTF-8";
  private static final Set<String> PARAMETERS = Set.of("url", "prefix", "tag", "all");

  /** What the filter needs to answer, or hands to {@link #purged} after purging. */
  public sealed interface Decision permits Answer, Purge {}

  /**
   * A response to send as it is.
   *
   * @param refused whether access was refused (401, 403)
   * @param headers header fields besides {@code Content-Type}
   */
  public record Answer(int status, String contentType, String body, Map<String, String> headers, boolean refused)
      implements Decision {
    public Answer {
      headers = Map.copyOf(headers);
    }
  }

  /**
   * What one request asks to purge, each URL absolute and in ASCII, without repeats.
   *
   * @param all whether everything is purged
   */
  public record Purge(List<URI> urls, List<URI> prefixes, List<String> tags, boolean all) implements Decision {
    public Purge {
      urls = List.copyOf(urls);
      prefixes = List.copyOf(prefixes);
      tags = List.copyOf(tags);
    }

    /** {@code {"purged":{"urls":[...],"prefixes":[...],"tags":[...],"all":false}}} */
    public String toJson() {
      return "{\"purged\":{\"urls\":" + Json.array(urls) + ",\"prefixes\":" + Json.array(prefixes)
          + ",\"tags\":" + Json.array(tags) + ",\"all\":" + all + "}}";
    }
  }

  /**
   * A request to the endpoint, read lazily where reading costs.
   *
   * @param method as sent; methods are case-sensitive, so {@code purge} is not {@code PURGE}
   * @param path the decoded path inside the application (servlet path and path info)
   * @param target the request's path as sent (with the context path, percent-encoded) and its
   *     query, e.g. {@code /shop/wiki/Home?rev=2}
   * @param caller who sent it; {@code caller.ownOrigin()} is what paths in {@code url=} resolve against
   * @param form the request's parameters, read only once access is granted
   */
  public record Request(String method, String path, String target, PurgeAccess.Caller caller,
      Supplier<Map<String, String[]>> form) {}

  private final PurgeSettings settings;

  public PurgeEndpoint(PurgeSettings settings) {
    this.settings = settings;
  }

  /**
   * Whether a request is the endpoint's: every {@code PURGE}, and every method on its path. Asked
   * of every request, hits included, so the path is compared in its two parts, not joined.
   *
   * @param servletPath and {@code pathInfo} (either may be null): the decoded path inside the application
   */
  public boolean handles(String method, String servletPath, String pathInfo) {
    if (method.equals("PURGE")) {
      return true;
    }
    String path = settings.path();
    String first = servletPath == null ? "" : servletPath;
    String second = pathInfo == null ? "" : pathInfo;
    return path.length() == first.length() + second.length() && path.startsWith(first)
        && path.startsWith(second, first.length());
  }

  public Decision decide(Request request) {
    PurgeAccess.Verdict verdict = settings.access().check(request.caller());
    if (!verdict.granted()) {
      return refused(verdict);
    }
    if (request.path().equals(settings.path())) {
      if (!request.method().equals("POST")) {
        return new Answer(405, TEXT, "pagecache: " + settings.path() + " answers POST only; PURGE <url> purges a URL\n",
            Map.of("Allow", "POST"), false);
      }
      Map<String, String[]> form;
      try {
        form = request.form().get();
      } catch (RuntimeException unreadable) {
        // Jetty throws on a form past its size or key limits.
        return badRequest("the form could not be read (too large?)");
      }
      return fromForm(form, request.caller().ownOrigin());
    }
    try {
      return new Purge(List.of(url("the request's URL", request.target(), request.caller().ownOrigin(), true)),
          List.of(), List.of(), false);
    } catch (BadRequest e) {
      return badRequest(e.getMessage());
    }
  }

  /** The answer after {@code purge} was carried out. */
  public static Answer purged(Purge purge) {
    return new Answer(200, JSON, purge.toJson(), Map.of(), false);
  }

  /** The answer when the store failed while purging; the server log has the details. */
  public static Answer failed() {
    return new Answer(500, TEXT, "pagecache: the purge failed; see the server log\n", Map.of(), false);
  }

  private static Answer refused(PurgeAccess.Verdict verdict) {
    Map<String, String> headers = verdict.status() == 401
        ? Map.of("WWW-Authenticate", "Bearer realm=\"pagecache\"") : Map.of();
    return new Answer(verdict.status(), TEXT, "pagecache: " + verdict.message() + "\n", headers, true);
  }

  private static Answer badRequest(String message) {
    return new Answer(400, TEXT, "pagecache: " + message + "\n", Map.of(), false);
  }

  /**
   * What a purge form names (parameters {@code url}, {@code prefix}, {@code tag}, {@code all}),
   * read as the endpoint reads it, access aside: the admin page's forms go through here too.
   *
   * @param ownOrigin what paths in {@code url=} and {@code prefix=} resolve against
   * @return a {@link Purge}, or a 400 {@link Answer} saying what is wrong
   */
  public static Decision fromForm(Map<String, String[]> form, String ownOrigin) {
    Set<URI> urls = new LinkedHashSet<>();
    Set<URI> prefixes = new LinkedHashSet<>();
    Set<String> tags = new LinkedHashSet<>();
    boolean all = false;
    try {
      int named = 0;
      for (Map.Entry<String, String[]> parameter : form.entrySet()) {
        String name = parameter.getKey();
        if (!PARAMETERS.contains(name)) {
          throw new BadRequest("unknown parameter " + quote(name) + "; known: url, prefix, tag, all");
        }
        for (String value : parameter.getValue()) {
          if (!name.equals("all") && ++named > MAX_VALUES) {
            throw new BadRequest("more than " + MAX_VALUES + " urls, prefixes and tags in one request");
          }
          switch (name) {
            case "url" -> urls.add(url("url", value, ownOrigin, true));
            case "prefix" -> prefixes.add(url("prefix", value, ownOrigin, false));
            case "tag" -> tags.add(tag(value));
            default -> all |= all(value);
          }
        }
      }
    } catch (BadRequest e) {
      return badRequest(e.getMessage());
    }
    if (urls.isEmpty() && prefixes.isEmpty() && tags.isEmpty() && !all) {
      return badRequest("name what to purge, as form parameters: url=, prefix=, tag= (each may repeat) or all=true");
    }
    return new Purge(new ArrayList<>(urls), new ArrayList<>(prefixes), new ArrayList<>(tags), all);
  }

  /**
   * An absolute http(s) URL, or a path resolved against {@code ownOrigin}; lower-case scheme and
   * host, no default port, non-ASCII percent-encoded as UTF-8.
   */
  private static URI url(String name, String value, String ownOrigin, boolean queryAllowed) throws BadRequest {
    String text = value.strip();
    if (text.length() > MAX_URL_CHARS) {
      throw new BadRequest(name + " is longer than " + MAX_URL_CHARS + " characters");
    }
    boolean path = text.startsWith("/") && !text.startsWith("//");
    URI uri;
    try {
      uri = new URI(path ? ownOrigin + text : text);
    } catch (URISyntaxException e) {
      throw new BadRequest(name + " " + quote(value) + " is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw new BadRequest(name + " " + quote(value) + " is neither an http(s) URL with a host nor a path "
          + "starting with /");
    }
    if (uri.getRawFragment() != null) {
      throw new BadRequest(name + " " + quote(value) + " has a #fragment, which no request carries");
    }
    if (!queryAllowed && uri.getRawQuery() != null) {
      throw new BadRequest(name + " " + quote(value) + " has a query; a prefix is a path");
    }
    URI ascii = URI.create(uri.toASCIIString());
    int port = ascii.getPort();
    boolean defaultPort = port < 0 || port == (scheme.equals("https") ? 443 : 80);
    String rawPath = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
    return URI.create(scheme + "://" + ascii.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port)
        + rawPath + (ascii.getRawQuery() == null ? "" : "?" + ascii.getRawQuery()));
  }

  /** A tag as pages can carry it (see {@link TagTemplate#isTagCharacter}): no spaces or control characters. */
  private static String tag(String value) throws BadRequest {
    if (value.isEmpty() || value.length() > MAX_TAG_CHARS) {
      throw new BadRequest("a tag has 1 to " + MAX_TAG_CHARS + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      if (!TagTemplate.isTagCharacter(value.charAt(i))) {
        throw new BadRequest("tag " + quote(value) + " holds a space or control character, which no page's tag does");
      }
    }
    return value;
  }

  private static boolean all(String value) throws BadRequest {
    return switch (value.strip()) {
      case "", "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw new BadRequest("all is true or false, was " + quote(value));
    };
  }

  /** Client text, short and printable, for a message back to that client. */
  private static String quote(String value) {
    StringBuilder quoted = new StringBuilder("'");
    int limit = Math.min(value.length(), 80);
    for (int i = 0; i < limit; i++) {
      char c = value.charAt(i);
      quoted.append(c < ' ' || c == 0x7f || Character.isISOControl(c) ? '?' : c);
    }
    return quoted.append(value.length() > limit ? "...'" : "'").toString();
  }

  /** A request that names something the endpoint cannot purge; its message is for the client. */
  private static final class BadRequest extends Exception {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}
