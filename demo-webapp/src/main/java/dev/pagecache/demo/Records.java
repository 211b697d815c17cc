package dev.pagecache.demo;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Text records by key: where the demo keeps what visitors write. Values read back are checked by
 * their owner ({@link Wiki}, {@link Feeds}), as one written by another process may be anything.
 */
interface Records {
  /** @throws Unavailable when the records cannot be read now */
  Optional<String> get(String key);

  /** The values of those of {@code keys} that exist. @throws Unavailable when they cannot be read now */
  Map<String, String> getAll(Collection<String> keys);

  /**
   * Replaces the value at {@code key} with {@code change} applied to it, atomically: when another
   * writer got there first, {@code change} runs again on what that writer stored. {@code change}
   * returns empty, or the value it was given, to leave the record as it is.
   *
   * @return the value stored now
   * @throws Unavailable when the records cannot be written now
   */
  Optional<String> update(String key, UnaryOperator<Optional<String>> change);

  /** The records cannot be read or written now (their server does not answer). */
  final class Unavailable extends RuntimeException {
    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Records in this JVM's memory, at most {@code maxKeys}: past that, the record read or written
   * least recently is forgotten.
   */
  static Records inMemory(int maxKeys) {
    return new InMemory(maxKeys);
  }

  /** {@link #inMemory}: a map in access order, every call under its lock (a read reorders it). */
  final class InMemory implements Records {
    private final Map<String, String> values;

    private InMemory(int maxKeys) {
      if (maxKeys < 1) {
        throw new IllegalArgumentException("maxKeys must be at least 1, was " + maxKeys);
      }
      this.values = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > maxKeys;
        }
      };
    }

    @Override
    public synchronized Optional<String> get(String key) {
      return Optional.ofNullable(values.get(key));
    }

    @Override
    public synchronized Map<String, String> getAll(Collection<String> keys) {
      Map<String, String> found = new LinkedHashMap<>();
      for (String key : keys) {
        String value = values.get(key);
        if (value != null) {
          found.put(key, value);
        }
      }
      return found;
    }

    @Override
    public synchronized Optional<String> update(String key, UnaryOperator<Optional<String>> change) {
      Optional<String> current = Optional.ofNullable(values.get(key));
      Optional<String> next = change.apply(current);
      if (next.isEmpty() || next.equals(current)) {
        return current;
      }
      values.put(key, next.get());
      return next;
    }
  }
}
