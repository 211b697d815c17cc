package dev.pagecache.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The links {@code /links} ranks: a thousand made-up stories, ordered for each user by their
 * popularity and that user's (equally made-up, but stable) taste. Anonymous visitors get the
 * ranking by popularity alone.
 */
final class LinkRanking {
  static final int SIZE = 1000;
  static final int PER_PAGE = 100;
  static final int PAGES = SIZE / PER_PAGE;

  /** One story; {@code code} is its short link, {@code /go/{code}}. */
  record Link(int id, String code, String title, String site, int popularity) {
    String url() {
      return "https://" + site + "/item/" + id;
    }
  }

  /** A link as placed for one user. */
  record Ranked(int rank, Link link, int score) {}

  private static final List<Link> LINKS = generate();

  private LinkRanking() {}

  /** The link with short-link code {@code code} ({@code l} + its id in base 36). */
  static Optional<Link> byCode(String code) {
    if (code.length() < 2 || code.charAt(0) != 'l') {
      return Optional.empty();
    }
    try {
      int id = Integer.parseInt(code.substring(1), 36);
      return id >= 0 && id < LINKS.size() && LINKS.get(id).code().equals(code)
          ? Optional.of(LINKS.get(id)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Page {@code page} (1 to {@link #PAGES}) of the ranking for {@code user}.
   *
   * @param user the user's name, or empty for the anonymous ranking
   */
  static List<Ranked> page(Optional<String> user, int page) {
    if (page < 1 || page > PAGES) {
      throw new IllegalArgumentException("page must be between 1 and " + PAGES + ", was " + page);
    }
    long taste = user.map(LinkRanking::taste).orElse(0L);
    List<Ranked> all = new ArrayList<>(SIZE);
    for (Link link : LINKS) {
      int score = link.popularity() + (user.isEmpty() ? 0 : affinity(taste, link.id()));
      all.add(new Ranked(0, link, score));
    }
    all.sort(Comparator.comparingInt(Ranked::score).reversed().thenComparingInt(r -> r.link().id()));
    List<Ranked> slice = new ArrayList<>(PER_PAGE);
    int first = (page - 1) * PER_PAGE;
    for (int i = first; i < first + PER_PAGE; i++) {
      slice.add(new Ranked(i + 1, all.get(i).link(), all.get(i).score()));
    }
    return Collections.unmodifiableList(slice);
  }

  /** A stable 64-bit fingerprint of a user name (FNV-1a), the seed of their taste. */
  private static long taste(String user) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : user.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }

  /** How much this user likes this link: 0 to 999, scattered by a 64-bit mix (SplitMix64). */
  private static int affinity(long taste, int id) {
    long z = taste + 0x9e3779b97f4a7c15L * (id + 1);
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    z ^= z >>> 31;
    return (int) Math.floorMod(z, 1000L);
  }

  private static List<Link> generate() {
    Words words = new Words(9_111L);
    List<Link> links = new ArrayList<>(SIZE);
    for (int id = 0; id < SIZE; id++) {
      links.add(new Link(id, "l" + Integer.toString(id, 36), words.title(), words.site(), words.nextInt(1000)));
    }
    return Collections.unmodifiableList(links);
  }
}
