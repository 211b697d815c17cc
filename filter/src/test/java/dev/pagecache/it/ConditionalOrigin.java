package dev.pagecache.it;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A page that answers conditional requests as a well-behaved origin does: {@code If-None-Match}
 * (or, without it, {@code If-Modified-Since}) that names its current version gets a 304 without a
 * body. It counts full renders and conditional answers apart, and remembers what it was asked.
 */
public final class ConditionalOrigin extends HttpServlet {
  public final AtomicInteger fullRenders = new AtomicInteger();
  public final AtomicInteger notModified = new AtomicInteger();
  public final AtomicInteger conditionalRequests = new AtomicInteger();
  public final AtomicInteger headRequests = new AtomicInteger();
  /** The If-None-Match / If-Modified-Since the last request carried, as the application saw them. */
  public volatile String lastIfNoneMatch;
  public volatile String lastIfModifiedSince;

  /** Null: no ETag. */
  public volatile String etag = "\"v1\"";
  /** Null: no Last-Modified. */
  public volatile Instant lastModified;
  public volatile String body = "version 1";
  public volatile String cacheControl = "max-age=10";
  /** The ETag a 304 carries; null to repeat {@link #etag}. */
  public volatile String notModifiedEtag;
  /** Non-zero: every request is answered with this status. */
  public volatile int failWith;
  /** When set, a conditional answer waits for it (to purge while a revalidation is under way). */
  public volatile CountDownLatch holdNotModified;
  public final CountDownLatch notModifiedStarted = new CountDownLatch(1);

  public ConditionalOrigin(String etag, Instant lastModified, String cacheControl) {
    this.etag = etag;
    this.lastModified = lastModified;
    this.cacheControl = cacheControl;
  }

  public void reset(String etag, Instant lastModified, String cacheControl) {
    this.etag = etag;
    this.lastModified = lastModified;
    this.cacheControl = cacheControl;
    this.body = "version 1";
    this.notModifiedEtag = null;
    this.failWith = 0;
    this.holdNotModified = null;
    fullRenders.set(0);
    notModified.set(0);
    conditionalRequests.set(0);
    headRequests.set(0);
    lastIfNoneMatch = null;
    lastIfModifiedSince = null;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (failWith != 0) {
      response.setStatus(failWith);
      response.getWriter().print("failing");
      return;
    }
    String ifNoneMatch = request.getHeader("If-None-Match");
    String ifModifiedSince = request.getHeader("If-Modified-Since");
    lastIfNoneMatch = ifNoneMatch;
    lastIfModifiedSince = ifModifiedSince;
    if (request.getMethod().equals("HEAD")) {
      headRequests.incrementAndGet();
    }
    response.setHeader("Cache-Control", cacheControl);
    response.setHeader("X-Version", body);
    if (lastModified != null) {
      response.setDateHeader("Last-Modified", lastModified.toEpochMilli());
    }
    if (ifNoneMatch != null || ifModifiedSince != null) {
      conditionalRequests.incrementAndGet();
      boolean unchanged = ifNoneMatch != null
          ? etag != null && ifNoneMatch.equals(etag)
          : lastModified != null && request.getDateHeader("If-Modified-Since") >= lastModified.toEpochMilli();
      if (unchanged) {
        notModified.incrementAndGet();
        String tag = notModifiedEtag != null ? notModifiedEtag : etag;
        if (tag != null) {
          response.setHeader("ETag", tag);
        }
        notModifiedStarted.countDown();
        CountDownLatch hold = holdNotModified;
        if (hold != null) {
          try {
            hold.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
        return;
      }
    }
    fullRenders.incrementAndGet();
    if (etag != null) {
      response.setHeader("ETag", etag);
    }
    response.setContentType("text/plain;charset=UTF-8");
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    response.setContentLength(bytes.length);
    if (!request.getMethod().equals("HEAD")) {
      response.getOutputStream().write(bytes);
    }
  }
}
