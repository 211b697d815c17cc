package dev.pagecache.demo;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import java.time.Duration;
import java.util.Map;

/**
 * The work a demo page pretends to do before it answers: a database query, a ranking, a template.
 * A servlet's delay is its default, or its {@value #DELAY_PARAM} init-param ({@code 300ms},
 * {@code 1.5s}), times the context-wide {@value #SCALE_PARAM} (a number; {@code 0} for no delay,
 * as the tests run).
 */
public final class Delay {
  /** Context init-param: a factor applied to every page's delay; default 1. */
  public static final String SCALE_PARAM = "dev.pagecache.demo.delayScale";
  /** Servlet init-param: the page's own delay, as a duration with a unit. */
  public static final String DELAY_PARAM = "delay";

  private final Duration duration;

  private Delay(Duration duration) {
    this.duration = duration;
  }

  /** The delay a servlet is configured with; a bad value fails the servlet's {@code init}. */
  static Delay configured(ServletConfig config, Duration defaultDelay) throws ServletException {
    Duration base = defaultDelay;
    String own = config.getInitParameter(DELAY_PARAM);
    if (own != null) {
      base = parseDuration(config.getServletName() + " init-param " + DELAY_PARAM, own);
    }
    String scale = config.getServletContext().getInitParameter(SCALE_PARAM);
    return new Delay(scaled(base, scale == null ? 1.0 : parseScale(scale)));
  }

  Duration duration() {
    return duration;
  }

  /** Blocks the calling thread for the delay, as slow work would. */
  void pause() {
    if (duration.isZero()) {
      return;
    }
    try {
      Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Duration scaled(Duration base, double scale) {
    return Duration.ofNanos(Math.round(base.toNanos() * scale));
  }

  private static Duration parseDuration(String what, String value) throws ServletException {
    try {
      Duration duration = ConfigFactory.parseMap(Map.of("delay", value.trim())).getDuration("delay");
      if (duration.isNegative()) {
        throw new ServletException(what + " may not be negative, was '" + value + "'");
      }
      return duration;
    } catch (ConfigException e) {
      throw new ServletException(what + ": '" + value + "' is not a duration (e.g. 300ms, 1.5s)");
    }
  }

  private static double parseScale(String value) throws ServletException {
    try {
      double scale = Double.parseDouble(value.trim());
      if (scale >= 0 && scale <= 100) {
        return scale;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ServletException("context-param " + SCALE_PARAM + " must be a number from 0 to 100, was '" + value + "'");
  }
}
