package dev.pagecache.demo;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The videos the home page lists: made up from a fixed seed, the same on every run. */
final class VideoCatalog {
  /** Enough videos for a home page of about 500 KB. */
  static final int SIZE = 3000;

  /** One video; {@code code} is also its short link, {@code /go/{code}}. */
  record Video(String code, String title, String channel, Duration length, long views, LocalDate uploaded) {
    String watchUrl() {
      return "https://videos.example.com/watch?v=" + code;
    }
  }

  /** By index: the code of the video at index {@code i} is {@code v} + {@code i} in base 36. */
  private static final List<Video> VIDEOS = generate();
  private static final List<Video> NEWEST_FIRST = VIDEOS.stream()
      .sorted(Comparator.comparing(Video::uploaded).reversed().thenComparing(Video::code))
      .toList();

  private VideoCatalog() {}

  /** Every video, newest first. */
  static List<Video> newestFirst() {
    return NEWEST_FIRST;
  }

  /** The video with short-link code {@code code} ({@code v} + its index in base 36). */
  static Optional<Video> byCode(String code) {
    if (code.length() < 2 || code.charAt(0) != 'v') {
      return Optional.empty();
    }
    try {
      int index = Integer.parseInt(code.substring(1), 36);
      return index >= 0 && index < VIDEOS.size() && VIDEOS.get(index).code().equals(code)
          ? Optional.of(VIDEOS.get(index)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static List<Video> generate() {
    Words words = new Words(20_260_101L);
    LocalDate newest = LocalDate.of(2026, 11, 1);
    List<Video> videos = new ArrayList<>(SIZE);
    for (int i = 0; i < SIZE; i++) {
      videos.add(new Video("v" + Integer.toString(i, 36), words.title(), words.channel(),
          Duration.ofSeconds(30 + words.nextInt(3 * 3600)), 100 + words.nextLong(25_000_000L),
          newest.minusDays(words.nextInt(3 * 365))));
    }
    return Collections.unmodifiableList(videos);
  }
}
