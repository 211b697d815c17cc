package dev.pagecache.demo;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The feeds each user follows, shown on every page of their links ({@link LinksPage}), kept in
 * {@link Records} (one record a user, the URLs one a line, newest first). Bounded, as anyone may
 * add: at most {@value #MAX_PER_USER} feeds a user (adding one more forgets the oldest), and, in
 * memory, {@value #MAX_USERS} users (the one whose feeds were read or changed least recently is
 * forgotten). A URL is checked when added and again when read, as another process may have
 * written the record; pages show it escaped.
 */
final class Feeds {
  static final int MAX_PER_USER = 20;
  static final int MAX_USERS = 10_000;
  static final int MAX_URL_LENGTH = 2000;
  private static final String USER_KEY = "user:";

  private final Records records;

  Feeds(Records records) {
    this.records = records;
  }

  /**
   * {@code text} as a feed URL: an absolute {@code http} or {@code https} URL with a host, at most
   * {@value #MAX_URL_LENGTH} characters of printable ASCII (no spaces: a URL with others must be
   * percent-encoded), and no {@code user:password@}, which would be shown to whoever reads the page.
   */
  static Optional<String> feedUrl(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String url = text.strip();
    if (url.isEmpty() || url.length() > MAX_URL_LENGTH || !url.chars().allMatch(c -> c > ' ' && c < 127)) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawUserInfo() == null) {
        return Optional.of(url);
      }
    } catch (URISyntaxException e) {
      // not a URL
    }
    return Optional.empty();
  }

  /** The user's feeds, newest first. @throws Records.Unavailable when they cannot be read now */
  List<String> of(String user) {
    return decode(records.get(USER_KEY + user).orElse(""));
  }

  /**
   * Adds {@code url} (a {@link #feedUrl}) to the user's feeds, first; one already there moves to
   * the front, and past {@value #MAX_PER_USER} the oldest is forgotten.
   *
   * @return the user's feeds now, newest first
   * @throws Records.Unavailable when they cannot be written now
   */
  List<String> add(String user, String url) {
    return decode(records.update(USER_KEY + user, current -> {
      List<String> feeds = new ArrayList<>(MAX_PER_USER);
      feeds.add(url);
      for (String feed : decode(current.orElse(""))) {
        if (feeds.size() < MAX_PER_USER && !feed.equals(url)) {
          feeds.add(feed);
        }
      }
      return Optional.of(String.join("\n", feeds));
    }).orElse(""));
  }

  /** The valid URLs of a record, each once, at most {@value #MAX_PER_USER}. */
  static List<String> decode(String record) {
    return record.lines().map(Feeds::feedUrl).flatMap(Optional::stream).distinct().limit(MAX_PER_USER).toList();
  }
}
