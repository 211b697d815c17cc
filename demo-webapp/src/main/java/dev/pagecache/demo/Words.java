package dev.pagecache.demo;

import java.util.List;
import java.util.SplittableRandom;

/** Word lists and a seeded generator for the demo's made-up titles, names and sites. */
final class Words {
  private static final List<String> ADJECTIVES = List.of(
      "Quick", "Slow", "Hidden", "Forgotten", "Modern", "Tiny", "Giant", "Practical", "Curious",
      "Honest", "Accidental", "Elegant", "Unreasonable", "Lazy", "Careful", "Brave", "Silent", "Loud",
      "Crème brûlée", "Köln's", "Über", "Naïve");
  private static final List<String> NOUNS = List.of(
      "cache", "page", "server", "proxy", "header", "cookie", "database", "request", "garden",
      "bicycle", "kitchen", "robot", "volcano", "library", "compiler", "lighthouse", "teapot",
      "snapshot", "queue", "thread", "river", "keyboard", "café", "museum");
  private static final List<String> FORMATS = List.of(
      "%s %s explained in 10 minutes", "Why your %s %s is slow", "I built a %s %s",
      "%s %s: a field guide", "The %s %s nobody talks about", "Fixing a %s %s at 3 a.m.",
      "%s %s vs. the world", "A week with a %s %s", "How a %s %s really works",
      "%s %s, part 2", "10 lessons from a %s %s");
  private static final List<String> CHANNELS = List.of(
      "Byte Garden", "Cache Me Outside", "The HTTP Hour", "Latency Lab", "Ops Diaries",
      "Kernel Kitchen", "Weekend Hacks", "Slow Web Society", "Zürich Tech Talks", "Old Computers",
      "Data Grove", "Packet Pantry");
  private static final List<String> SITES = List.of(
      "news.example.org", "blog.example.net", "dev.example.com", "research.example.edu",
      "journal.example.org", "lists.example.net", "wiki.example.org", "tech.example.co.uk");

  private final SplittableRandom random;

  Words(long seed) {
    this.random = new SplittableRandom(seed);
  }

  String title() {
    String format = pick(FORMATS);
    return capitalise(String.format(java.util.Locale.ROOT, format, pick(ADJECTIVES), pick(NOUNS)));
  }

  String channel() {
    return pick(CHANNELS);
  }

  String site() {
    return pick(SITES);
  }

  int nextInt(int bound) {
    return random.nextInt(bound);
  }

  long nextLong(long bound) {
    return random.nextLong(bound);
  }

  private String pick(List<String> words) {
    return words.get(random.nextInt(words.size()));
  }

  private static String capitalise(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
