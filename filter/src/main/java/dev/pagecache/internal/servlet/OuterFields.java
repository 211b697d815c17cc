package dev.pagecache.internal.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The status and header fields a response had before the application rendered into it, set by
 * filters in front of the cache (security headers, CORS, a request id). When a failed render must
 * be undone so that a stale copy can be served instead, the response is reset and these are put
 * back, so the stale answer carries them as any other would.
 */
public final class OuterFields {
  private final int status;
  private final List<Map.Entry<String, List<String>>> fields;

  private OuterFields(int status, List<Map.Entry<String, List<String>>> fields) {
    this.status = status;
    this.fields = fields;
  }

  public static OuterFields of(HttpServletResponse response) {
    List<Map.Entry<String, List<String>>> fields = new ArrayList<>();
    for (String name : response.getHeaderNames()) {
      fields.add(Map.entry(name, List.copyOf(response.getHeaders(name))));
    }
    return new OuterFields(response.getStatus(), fields);
  }

  /** Resets {@code response} (status, fields, content type, writer) to what it was before the render. */
  public void restore(HttpServletResponse response) {
    response.reset();
    response.setStatus(status);
    for (Map.Entry<String, List<String>> field : fields) {
      if (field.getKey().equalsIgnoreCase("Content-Type") || field.getKey().equalsIgnoreCase("Content-Length")) {
        continue; // what the stale page is served with decides these
      }
      for (String value : field.getValue()) {
        response.addHeader(field.getKey(), value);
      }
    }
  }
}
