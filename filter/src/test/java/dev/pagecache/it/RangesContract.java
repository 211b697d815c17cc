package dev.pagecache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.internal.http.HttpDates;
import dev.pagecache.rules.RulesFileParser;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Byte ranges answered from stored pages (RFC 9110 §14): one range as a 206 with its slice, a 416
 * past the end, {@code If-Range} by strong ETag or date, the whole 200 for anything else. A miss
 * with a {@code Range} renders the whole page (the application never sees the field), stores it
 * and answers the range from it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RangesContract {
  private static final String STORED = "pagecache; fwd=uri-miss; stored";
  private static final String HIT = "pagecache; hit";
  private static final int LENGTH = 10_000;
  private static final byte[] BYTES = pattern(LENGTH);
  private static final Instant LAST_MODIFIED = Instant.parse("2020-12-01T00:00:00Z");
  /** 3,000 two-byte characters: any odd offset cuts one in half. */
  private static final String TEXT = "é".repeat(3_000);
  private static final String RULES = """
      rules = [
        { path = "/bytes" }
        { path = "/text" }
        { path = "/weak" }
        { path = "/missing" }
        { path = "/large", maxBodyBytes = 1KiB }
        { path = "/ranging" }
      ]
      """;

  private final MutableClock clock = MutableClock.startingNow();
  private final HttpClient client = HttpClient.newHttpClient();
  /** The Range fields the application saw, one entry per render (null when it saw none). */
  private final List<String> rangesSeen = new CopyOnWriteArrayList<>();
  private PageCacheFilter filter;
  private Container container;

  abstract Container start(Container.App app) throws Exception;

  abstract String contextPath();

  private static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return bytes;
  }

  @BeforeAll
  void startContainer() throws Exception {
    filter = new PageCacheFilter(PageCacheConfig.builder()
        .rules(RulesFileParser.parse(RULES, "range rules")).clock(clock).build());
    Endpoint bytes = (req, res, n) -> {
      rangesSeen.add(req.getHeader("Range"));
      res.setContentType("application/octet-stream");
      res.setHeader("Last-Modified", HttpDates.format(LAST_MODIFIED));
      res.getOutputStream().write(BYTES);
    };
    Endpoint text = (req, res, n) -> {
      rangesSeen.add(req.getHeader("Range"));
      res.setContentType("text/plain;charset=UTF-8");
      res.getWriter().print(TEXT);
    };
    Endpoint weak = (req, res, n) -> {
      res.setHeader("ETag", "W/\"w1\"");
      res.getOutputStream().write(BYTES);
    };
    Endpoint missing = (req, res, n) -> {
      res.setStatus(410); // stored by default (RFC 9110 §15.1: heuristically cacheable)
      res.getOutputStream().write(BYTES);
    };
    Endpoint large = (req, res, n) -> {
      rangesSeen.add(req.getHeader("Range"));
      res.getOutputStream().write(BYTES);
    };
    // An application that answers ranges itself, as a default servlet does.
    Endpoint ranging = (req, res, n) -> {
      rangesSeen.add(req.getHeader("Range"));
      if ("bytes=0-9".equals(req.getHeader("Range"))) {
        res.setStatus(206);
        res.setHeader("Content-Range", "bytes 0-9/" + LENGTH);
        res.getOutputStream().write(BYTES, 0, 10);
      } else {
        res.getOutputStream().write(BYTES);
      }
    };
    Map<String, HttpServlet> servlets = new LinkedHashMap<>();
    servlets.put("/bytes", bytes.asServlet("ranges/bytes"));
    servlets.put("/text", text.asServlet("ranges/text"));
    servlets.put("/weak", weak.asServlet("ranges/weak"));
    servlets.put("/missing", missing.asServlet("ranges/missing"));
    servlets.put("/large", large.asServlet("ranges/large"));
    servlets.put("/ranging", ranging.asServlet("ranges/ranging"));
    container = start(new Container.App(contextPath(), List.of(filter), servlets));
  }

  @AfterAll
  void stopContainer() throws Exception {
    container.close();
  }

  @BeforeEach
  void emptyCache() {
    filter.pageCache().orElseThrow().purgeAll();
    rangesSeen.clear();
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    return send("GET", path, headers);
  }

  private HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + container.port() + container.contextPath() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String field(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  private static byte[] slice(byte[] bytes, int first, int last) {
    return Arrays.copyOfRange(bytes, first, last + 1);
  }

  private static void assertPartial(HttpResponse<byte[]> response, byte[] whole, int first, int last) {
    assertThat(response.statusCode()).as("status").isEqualTo(206);
    assertThat(field(response, "Content-Range")).isEqualTo("bytes " + first + "-" + last + "/" + whole.length);
    assertThat(field(response, "Content-Length")).isEqualTo(Integer.toString(last - first + 1));
    assertThat(response.body()).isEqualTo(slice(whole, first, last));
  }

  private static void assertWhole(HttpResponse<byte[]> response, byte[] whole) {
    assertThat(response.statusCode()).as("status").isEqualTo(200);
    assertThat(field(response, "Content-Range")).isNull();
    assertThat(response.body()).isEqualTo(whole);
  }

  /** Renders and stores {@code path} without a range, as a first visitor would. */
  private HttpResponse<byte[]> stored(String path) throws Exception {
    HttpResponse<byte[]> miss = get(path);
    assertThat(field(miss, "Cache-Status")).isEqualTo(STORED);
    return miss;
  }

  @Test
  void aHitAnswersOneRangeWithItsSlice() throws Exception {
    HttpResponse<byte[]> miss = stored("/bytes");
    assertWhole(miss, BYTES);
    assertThat(field(miss, "Accept-Ranges")).isEqualTo("bytes");

    HttpResponse<byte[]> firstLast = get("/bytes", "Range", "bytes=100-199");
    HttpResponse<byte[]> openEnded = get("/bytes", "Range", "bytes=9900-");
    HttpResponse<byte[]> suffix = get("/bytes", "Range", "bytes=-300");
    HttpResponse<byte[]> pastTheEnd = get("/bytes", "Range", "bytes=9990-20000");
    HttpResponse<byte[]> whole = get("/bytes");

    assertPartial(firstLast, BYTES, 100, 199);
    assertPartial(openEnded, BYTES, 9900, 9999);
    assertPartial(suffix, BYTES, 9700, 9999);
    assertPartial(pastTheEnd, BYTES, 9990, 9999);
    assertWhole(whole, BYTES);
    for (HttpResponse<byte[]> hit : List.of(firstLast, openEnded, suffix, pastTheEnd, whole)) {
      assertThat(field(hit, "Cache-Status")).isEqualTo(HIT);
      assertThat(field(hit, "Accept-Ranges")).isEqualTo("bytes");
      assertThat(field(hit, "ETag")).isEqualTo(field(miss, "ETag"));
      assertThat(field(hit, "Content-Type")).isEqualTo("application/octet-stream");
    }
    assertThat(rangesSeen).as("renders, and the Range each saw").containsExactly((String) null);
  }

  @Test
  void aRangeCountsBytesOfTheFormSentAndIfRangeComparesThatFormsTag() throws Exception {
    stored("/text");
    HttpResponse<byte[]> gzip = get("/text", "Accept-Encoding", "gzip");
    byte[] gzipBody = gzip.body();
    String gzipTag = field(gzip, "ETag");
    String identityTag = field(get("/text"), "ETag");

    HttpResponse<byte[]> gzipSlice = get("/text", "Accept-Encoding", "gzip", "Range", "bytes=0-9");
    HttpResponse<byte[]> identitySlice = get("/text", "Range", "bytes=0-9");
    HttpResponse<byte[]> gzipIfRangeGzipTag = get("/text", "Accept-Encoding", "gzip", "Range", "bytes=-5",
        "If-Range", gzipTag);
    HttpResponse<byte[]> gzipIfRangeIdentityTag = get("/text", "Accept-Encoding", "gzip", "Range", "bytes=-5",
        "If-Range", identityTag);

    assertThat(field(gzip, "Content-Encoding")).isEqualTo("gzip");
    assertThat(gzipTag).isNotEqualTo(identityTag);
    assertPartial(gzipSlice, gzipBody, 0, 9);
    assertThat(field(gzipSlice, "Content-Encoding")).isEqualTo("gzip");
    assertThat(field(gzipSlice, "ETag")).isEqualTo(gzipTag);
    assertThat(field(gzipSlice, "Vary")).containsIgnoringCase("Accept-Encoding");
    assertPartial(identitySlice, TEXT.getBytes(StandardCharsets.UTF_8), 0, 9);
    assertThat(field(identitySlice, "Content-Encoding")).isNull();
    assertPartial(gzipIfRangeGzipTag, gzipBody, gzipBody.length - 5, gzipBody.length - 1);
    assertWhole(gzipIfRangeIdentityTag, gzipBody);
  }

  @Test
  void aRangePastTheEndOfAStoredPageIs416() throws Exception {
    stored("/bytes");

    HttpResponse<byte[]> response = get("/bytes", "Range", "bytes=10000-");

    assertThat(response.statusCode()).isEqualTo(416);
    assertThat(field(response, "Content-Range")).isEqualTo("bytes */10000");
    assertThat(field(response, "Cache-Status")).isEqualTo(HIT);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void ifRangeWithTheStoredStrongEtagGetsTheSliceAndAnyOtherTheWholePage() throws Exception {
    String etag = field(stored("/bytes"), "ETag");
    assertThat(etag).startsWith("\"");

    assertPartial(get("/bytes", "Range", "bytes=0-9", "If-Range", etag), BYTES, 0, 9);
    assertWhole(get("/bytes", "Range", "bytes=0-9", "If-Range", "\"other\""), BYTES);
    assertWhole(get("/bytes", "Range", "bytes=0-9", "If-Range", "W/" + etag), BYTES);
  }

  @Test
  void ifRangeWithTheExactLastModifiedGetsTheSliceAndAnyOtherDateTheWholePage() throws Exception {
    stored("/bytes");

    assertPartial(get("/bytes", "Range", "bytes=0-9", "If-Range", HttpDates.format(LAST_MODIFIED)), BYTES, 0, 9);
    assertWhole(get("/bytes", "Range", "bytes=0-9", "If-Range", HttpDates.format(LAST_MODIFIED.plusSeconds(1))),
        BYTES);
  }

  @Test
  void aWeakEtagNeverSatisfiesIfRange() throws Exception {
    stored("/weak");

    assertWhole(get("/weak", "Range", "bytes=0-9", "If-Range", "W/\"w1\""), BYTES);
    assertPartial(get("/weak", "Range", "bytes=0-9"), BYTES, 0, 9);
  }

  @Test
  void severalRangesGetTheWholePage() throws Exception {
    stored("/bytes");

    HttpResponse<byte[]> response = get("/bytes", "Range", "bytes=0-9,20-29");

    assertWhole(response, BYTES);
    assertThat(field(response, "Cache-Status")).isEqualTo(HIT);
  }

  @Test
  void headIgnoresRange() throws Exception {
    stored("/bytes");

    HttpResponse<byte[]> response = send("HEAD", "/bytes", "Range", "bytes=0-9");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(field(response, "Content-Length")).isEqualTo(Integer.toString(LENGTH));
    assertThat(field(response, "Content-Range")).isNull();
    assertThat(field(response, "Cache-Status")).isEqualTo(HIT);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void aMatchingIfNoneMatchGets304BeforeAnyRange() throws Exception {
    String etag = field(stored("/bytes"), "ETag");

    HttpResponse<byte[]> response = get("/bytes", "Range", "bytes=0-9", "If-None-Match", etag);

    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(field(response, "Content-Range")).isNull();
    assertThat(response.body()).isEmpty();
  }

  @Test
  void aMissWithRangeRendersTheWholePageOnceStoresItAndAnswersTheRange() throws Exception {
    int rendersBefore = Endpoint.renders("ranges/bytes");

    HttpResponse<byte[]> miss = get("/bytes", "Range", "bytes=100-199");
    HttpResponse<byte[]> hit = get("/bytes", "Range", "bytes=200-299");
    HttpResponse<byte[]> whole = get("/bytes");

    assertPartial(miss, BYTES, 100, 199);
    assertThat(field(miss, "Cache-Status")).isEqualTo(STORED);
    assertThat(field(miss, "Accept-Ranges")).isEqualTo("bytes");
    assertPartial(hit, BYTES, 200, 299);
    assertThat(field(hit, "Cache-Status")).isEqualTo(HIT);
    assertWhole(whole, BYTES);
    assertThat(field(whole, "Cache-Status")).isEqualTo(HIT);
    assertThat(rangesSeen).as("Range fields the application saw").containsExactly((String) null);
    assertThat(Endpoint.renders("ranges/bytes")).isEqualTo(rendersBefore + 1);
  }

  @Test
  void aMissWithIfRangeForAnotherVersionGetsTheWholePage() throws Exception {
    HttpResponse<byte[]> miss = get("/bytes", "Range", "bytes=100-199", "If-Range", "\"old\"");

    assertWhole(miss, BYTES);
    assertThat(field(miss, "Cache-Status")).isEqualTo(STORED);
    assertThat(rangesSeen).containsExactly((String) null);
  }

  @Test
  void aMissWithARangePastTheEndGetsTheWholePageAndTheNextRequestA416() throws Exception {
    HttpResponse<byte[]> miss = get("/bytes", "Range", "bytes=20000-");
    HttpResponse<byte[]> hit = get("/bytes", "Range", "bytes=20000-");

    assertWhole(miss, BYTES);
    assertThat(field(miss, "Cache-Status")).isEqualTo(STORED);
    assertThat(hit.statusCode()).isEqualTo(416);
  }

  @Test
  void aPageWrittenThroughAWriterIsRangedByItsBytes() throws Exception {
    byte[] utf8 = TEXT.getBytes(StandardCharsets.UTF_8);

    HttpResponse<byte[]> miss = get("/text", "Range", "bytes=10-19");
    HttpResponse<byte[]> hitCuttingCharacters = get("/text", "Range", "bytes=11-20");

    assertPartial(miss, utf8, 10, 19);
    assertThat(field(miss, "Cache-Status")).isEqualTo(STORED);
    assertPartial(hitCuttingCharacters, utf8, 11, 20);
    assertThat(rangesSeen).containsExactly((String) null);
  }

  @Test
  void aMissWhoseWriterCannotCutThereGetsTheWholePage() throws Exception {
    byte[] utf8 = TEXT.getBytes(StandardCharsets.UTF_8);

    // Bytes 11 to 20 start and end inside a two-byte character: the container's writer cannot
    // write them, so the miss answers whole (RFC 9110 §14.2); the stored copy has the bytes.
    HttpResponse<byte[]> miss = get("/text", "Range", "bytes=11-20");
    HttpResponse<byte[]> hit = get("/text", "Range", "bytes=11-20");

    assertWhole(miss, utf8);
    assertThat(field(miss, "Cache-Status")).isEqualTo(STORED);
    assertPartial(hit, utf8, 11, 20);
  }

  @Test
  void pagesOtherThan200AreNeverRanged() throws Exception {
    HttpResponse<byte[]> miss = get("/missing", "Range", "bytes=0-9");
    HttpResponse<byte[]> hit = get("/missing", "Range", "bytes=0-9");

    assertThat(miss.statusCode()).isEqualTo(410);
    assertThat(miss.body()).isEqualTo(BYTES);
    assertThat(field(miss, "Cache-Status")).isEqualTo(STORED);
    assertThat(hit.statusCode()).isEqualTo(410);
    assertThat(hit.body()).isEqualTo(BYTES);
    assertThat(field(hit, "Cache-Status")).isEqualTo(HIT);
    assertThat(field(hit, "Accept-Ranges")).isNull();
  }

  @Test
  void aPageTooLargeToStoreStreamsWholeToARangeRequest() throws Exception {
    HttpResponse<byte[]> response = get("/large", "Range", "bytes=0-9");

    assertWhole(response, BYTES);
    assertThat(field(response, "Cache-Status")).startsWith("pagecache; fwd=uri-miss; detail=");
    assertThat(rangesSeen).containsExactly((String) null);
  }

  @Test
  void aRequestThatMayNotStoreLetsTheApplicationAnswerItsRange() throws Exception {
    HttpResponse<byte[]> response = get("/ranging", "Range", "bytes=0-9", "Cache-Control", "no-store");

    assertPartial(response, BYTES, 0, 9);
    assertThat(rangesSeen).containsExactly("bytes=0-9");
    // The application's own 206 is never stored: the next request renders again.
    assertWhole(get("/ranging"), BYTES);
    assertThat(rangesSeen).hasSize(2);
  }
}
