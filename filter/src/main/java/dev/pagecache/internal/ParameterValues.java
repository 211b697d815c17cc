package dev.pagecache.internal;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;

/** Durations and sizes as init-params and properties write them, read as the rules file reads them. */
public final class ParameterValues {
  private ParameterValues() {}

  /** A duration such as {@code 50ms} or {@code 5s}, with the parameter named on error. */
  public static Duration duration(String name, String value) {
    String trimmed = value.trim();
    if (trimmed.matches("[0-9.]+")) {
      throw new IllegalArgumentException(name + ": '" + value + "' needs a unit, e.g. 50ms or 5s");
    }
    try {
      return ConfigFactory.parseString("d = \"" + trimmed.replace("\"", "") + "\"").getDuration("d");
    } catch (ConfigException e) {
      throw new IllegalArgumentException(name + ": '" + value + "' is not a duration (e.g. 50ms, 5s)");
    }
  }

  /** A size such as {@code 256MiB}, {@code 1g} or {@code 1048576}, with the parameter named on error. */
  public static long size(String name, String value) {
    try {
      long bytes = ConfigFactory.parseString("size = \"" + value.trim().replace("\"", "") + "\"").getBytes("size");
      if (bytes <= 0) {
        throw new IllegalArgumentException(name + " must be positive, was '" + value + "'");
      }
      return bytes;
    } catch (ConfigException e) {
      throw new IllegalArgumentException(name + ": '" + value + "' is not a size (e.g. 256MiB, 1GiB)");
    }
  }
}
