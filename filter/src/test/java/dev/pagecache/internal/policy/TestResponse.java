package dev.pagecache.internal.policy;

import dev.pagecache.internal.http.Headers;
import java.util.Optional;

/**
 * Builds {@link ResponseView}s for policy tests: by default a {@code 200}
 * with no headers, no cookies, no session and a body within limits.
 */
final class TestResponse {
  private int status = 200;
  private final Headers.Builder headers = Headers.builder();
  private String contentType = "text/html;charset=UTF-8";
  private boolean setsCookie;
  private boolean usedSession;
  private boolean incomplete;

  private TestResponse() {}

  static TestResponse ok() {
    return new TestResponse();
  }

  static TestResponse status(int status) {
    TestResponse response = new TestResponse();
    response.status = status;
    return response;
  }

  TestResponse header(String name, String value) {
    headers.add(name, value);
    return this;
  }

  TestResponse contentType(String contentType) {
    this.contentType = contentType;
    return this;
  }

  TestResponse setsCookie() {
    this.setsCookie = true;
    return this;
  }

  TestResponse usedSession() {
    this.usedSession = true;
    return this;
  }

  TestResponse incomplete() {
    this.incomplete = true;
    return this;
  }

  ResponseView view() {
    return new ResponseView(status, headers.build(), Optional.ofNullable(contentType), setsCookie,
        usedSession, incomplete);
  }

  @Override
  public String toString() {
    return view().toString();
  }
}
