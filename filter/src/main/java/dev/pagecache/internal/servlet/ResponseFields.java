package dev.pagecache.internal.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.util.List;

/** Writing a field's values onto a servlet response. */
final class ResponseFields {
  private ResponseFields() {}

  /**
   * Replaces every value of {@code name} with {@code values}: set, then add, because a filter in
   * front may already have set the same field.
   */
  static void replace(HttpServletResponse response, String name, List<String> values) {
    response.setHeader(name, values.get(0));
    for (int i = 1; i < values.size(); i++) {
      response.addHeader(name, values.get(i));
    }
  }
}
