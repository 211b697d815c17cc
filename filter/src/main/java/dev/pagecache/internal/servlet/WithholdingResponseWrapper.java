package dev.pagecache.internal.servlet;

import dev.pagecache.internal.http.Headers;
import dev.pagecache.internal.http.HttpDates;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Passes a response straight through, except for fields meant for the cache alone: what the
 * application sets under those names, by any setter, is kept here (so that it reads back what it
 * set) and never reaches the client. For responses the cache does not hold: a bypass under a rule
 * (the tag fields) and a request of another method ({@code Surrogate-Control}, see
 * {@link CommitWatchWrapper}).
 */
public class WithholdingResponseWrapper extends HttpServletResponseWrapper {
  private final Set<String> withheld;
  private final Headers.Builder kept = Headers.builder();

  /** @param withheld field names, compared ignoring case ({@code HeaderNames.setOf}) */
  public WithholdingResponseWrapper(HttpServletResponse response, Set<String> withheld) {
    super(response);
    this.withheld = withheld;
  }

  private boolean withholds(String name) {
    return name != null && withheld.contains(name);
  }

  @Override
  public void setHeader(String name, String value) {
    if (!withholds(name)) {
      super.setHeader(name, value);
    } else if (value == null) {
      kept.remove(name);
    } else {
      kept.set(name, value);
    }
  }

  @Override
  public void addHeader(String name, String value) {
    if (!withholds(name)) {
      super.addHeader(name, value);
    } else if (value != null) {
      kept.add(name, value);
    }
  }

  @Override
  public void setIntHeader(String name, int value) {
    if (withholds(name)) {
      setHeader(name, Integer.toString(value));
    } else {
      super.setIntHeader(name, value);
    }
  }

  @Override
  public void addIntHeader(String name, int value) {
    if (withholds(name)) {
      addHeader(name, Integer.toString(value));
    } else {
      super.addIntHeader(name, value);
    }
  }

  @Override
  public void setDateHeader(String name, long date) {
    if (withholds(name)) {
      setHeader(name, HttpDates.format(Instant.ofEpochMilli(date)));
    } else {
      super.setDateHeader(name, date);
    }
  }

  @Override
  public void addDateHeader(String name, long date) {
    if (withholds(name)) {
      addHeader(name, HttpDates.format(Instant.ofEpochMilli(date)));
    } else {
      super.addDateHeader(name, date);
    }
  }

  @Override
  public boolean containsHeader(String name) {
    return withholds(name) ? kept.contains(name) : super.containsHeader(name);
  }

  @Override
  public String getHeader(String name) {
    if (withholds(name)) {
      List<String> values = kept.get(name);
      return values.isEmpty() ? null : values.get(0);
    }
    return super.getHeader(name);
  }

  @Override
  public Collection<String> getHeaders(String name) {
    return withholds(name) ? new ArrayList<>(kept.get(name)) : super.getHeaders(name);
  }

  @Override
  public Collection<String> getHeaderNames() {
    Set<String> names = new LinkedHashSet<>(super.getHeaderNames());
    for (Headers.Field field : kept.build().fields()) {
      names.add(field.name());
    }
    return names;
  }

  @Override
  public void reset() {
    super.reset();
    kept.clear();
  }
}
