package dev.pagecache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCacheConfig;
import dev.pagecache.PageCacheFilter;
import dev.pagecache.rules.RulesFileParser;
import dev.pagecache.store.SharedStoreSettings;
import jakarta.servlet.http.HttpServlet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Stored encodings over real HTTP: a compressible page is compressed once when it is stored, and
 * every hit gets the form its {@code Accept-Encoding} prefers, with that form's length, tag and
 * coding; a body the application compressed itself goes only to clients that take its coding.
 * The client here never decompresses on its own: the test sees the bytes on the wire.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EncodingsContract {
  private static final String RULES = """
      rules = [
        { path = "/page", ttl = 5m }
        { path = "/hashed", ttl = 5m }
        { path = "/small", ttl = 5m }
        { path = "/image", ttl = 5m }
        { path = "/app-gzip", ttl = 5m }
        { path = "/by-language", ttl = 5m }
        { path = "/no-transform", ttl = 5m }
      ]
      """;
  static final byte[] HTML = html(20_000);
  private static final byte[] PNG = noise(5_000);

  private final HttpClient client = HttpClient.newHttpClient();
  private PageCacheFilter filter;
  private Container container;

  abstract Container start(Container.App app) throws Exception;

  abstract String contextPath();

  private static byte[] html(int bytes) {
    StringBuilder text = new StringBuilder("<!doctype html><ul>\n");
    for (int i = 0; text.length() < bytes; i++) {
      text.append("<li><a href=\"/links/").append(i).append("\">Link number ").append(i).append("</a></li>\n");
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] noise(int bytes) {
    byte[] noise = new byte[bytes];
    new Random(7).nextBytes(noise);
    return noise;
  }

  static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(body);
    }
    return out.toByteArray();
  }

  static byte[] gunzip(byte[] gzip) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return in.readAllBytes();
    }
  }

  static byte[] unbrotli(byte[] br) throws IOException {
    try (var in = new com.aayushatharva.brotli4j.decoder.BrotliInputStream(new ByteArrayInputStream(br))) {
      return in.readAllBytes();
    }
  }

  Map<String, HttpServlet> servlets(String prefix) {
    Map<String, HttpServlet> servlets = new LinkedHashMap<>();
    servlets.put("/page", ((Endpoint) (req, res, n) -> {
      res.setContentType("text/html;charset=UTF-8");
      res.setHeader("ETag", "\"abc\"");
      res.getOutputStream().write(HTML);
    }).asServlet(prefix + "/page"));
    servlets.put("/hashed", ((Endpoint) (req, res, n) -> {
      res.setContentType("application/json");
      res.getOutputStream().write(HTML);
    }).asServlet(prefix + "/hashed"));
    servlets.put("/small", ((Endpoint) (req, res, n) -> {
      res.setContentType("text/html");
      res.getWriter().print("<p>small</p>".repeat(20));
    }).asServlet(prefix + "/small"));
    servlets.put("/image", ((Endpoint) (req, res, n) -> {
      res.setContentType("image/png");
      res.getOutputStream().write(PNG);
    }).asServlet(prefix + "/image"));
    servlets.put("/no-transform", ((Endpoint) (req, res, n) -> {
      res.setContentType("text/html");
      res.setHeader("Cache-Control", "max-age=300, no-transform");
      res.getOutputStream().write(HTML);
    }).asServlet(prefix + "/no-transform"));
    servlets.put("/by-language", ((Endpoint) (req, res, n) -> {
      res.setContentType("text/html");
      res.setHeader("Vary", "Accept-Language");
      res.setHeader("ETag", "W/\"weak\"");
      res.getOutputStream().write(HTML);
    }).asServlet(prefix + "/by-language"));
    // Compresses for clients that take gzip, as an application with its own gzip filter does.
    servlets.put("/app-gzip", ((Endpoint) (req, res, n) -> {
      res.setContentType("text/html");
      String accepted = req.getHeader("Accept-Encoding");
      if (accepted != null && accepted.contains("gzip")) {
        res.setHeader("Content-Encoding", "gzip");
        res.getOutputStream().write(gzip(HTML));
      } else {
        res.getOutputStream().write(HTML);
      }
    }).asServlet(prefix + "/app-gzip"));
    return servlets;
  }

  static PageCacheFilter filter(SharedStoreSettings shared) {
    PageCacheConfig.Builder config = PageCacheConfig.builder().rules(RulesFileParser.parse(RULES, "encoding rules"));
    if (shared != null) {
      config.sharedStore(shared);
    }
    return new PageCacheFilter(config.build());
  }

  @BeforeAll
  void startContainer() throws Exception {
    filter = filter(null);
    container = start(new Container.App(contextPath(), List.of(filter), servlets("enc-" + getClass().getSimpleName())));
  }

  @AfterAll
  void stopContainer() throws Exception {
    container.close();
  }

  @BeforeEach
  void emptyCache() {
    filter.pageCache().orElseThrow().purgeAll();
  }

  private HttpResponse<byte[]> send(Container target, String method, String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + target.port() + target.contextPath() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    return send(container, "GET", path, headers);
  }

  /** A hit, after the miss that stored the page. */
  private HttpResponse<byte[]> hit(String path, String... headers) throws Exception {
    get(path);
    HttpResponse<byte[]> hit = get(path, headers);
    assertThat(status(hit)).startsWith("pagecache; hit");
    return hit;
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  private static String status(HttpResponse<?> response) {
    return header(response, "Cache-Status");
  }

  private static void assertForm(HttpResponse<byte[]> response, String coding, String etag) {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(header(response, "Content-Encoding")).as("Content-Encoding").isEqualTo(coding);
    assertThat(response.headers().allValues("Vary")).as("Vary").containsExactly("Accept-Encoding");
    assertThat(header(response, "ETag")).as("ETag").isEqualTo(etag);
    assertThat(header(response, "Content-Length")).as("Content-Length").isEqualTo(Integer.toString(response.body().length));
  }

  @Test
  void aGzipClientGetsTheStoredGzipForm() throws Exception {
    HttpResponse<byte[]> hit = hit("/page", "Accept-Encoding", "gzip");

    assertForm(hit, "gzip", "\"abc-gz\"");
    assertThat(gunzip(hit.body())).isEqualTo(HTML);
    assertThat(hit.body().length).isLessThan(HTML.length / 5);
  }

  @Test
  void theMissSaysItVariesOnAcceptEncodingToo() throws Exception {
    HttpResponse<byte[]> miss = get("/page", "Accept-Encoding", "gzip");

    assertThat(status(miss)).endsWith("stored");
    assertThat(header(miss, "Content-Encoding")).as("the origin's answer, as it rendered it").isNull();
    assertThat(miss.headers().allValues("Vary")).containsExactly("Accept-Encoding");
    assertThat(miss.body()).isEqualTo(HTML);
  }

  @Test
  void aBrowserGetsBrotli() throws Exception {
    HttpResponse<byte[]> hit = hit("/page", "Accept-Encoding", "gzip, deflate, br, zstd");

    assertForm(hit, "br", "\"abc-br\"");
    assertThat(unbrotli(hit.body())).isEqualTo(HTML);
  }

  @Test
  void aClientWithoutAcceptEncodingGetsIdentity() throws Exception {
    HttpResponse<byte[]> hit = hit("/page");

    assertForm(hit, null, "\"abc\"");
    assertThat(hit.body()).isEqualTo(HTML);
  }

  @Test
  void qualitiesDecide() throws Exception {
    assertForm(hit("/page", "Accept-Encoding", "identity;q=0, gzip;q=0.5"), "gzip", "\"abc-gz\"");
    assertForm(get("/page", "Accept-Encoding", "br;q=0.1, gzip;q=0.9"), "gzip", "\"abc-gz\"");
    assertForm(get("/page", "Accept-Encoding", "gzip;q=0, br;q=0"), null, "\"abc\"");
    assertForm(get("/page", "Accept-Encoding", "gzip;q=nonsense, br;;;=, \u00ff"), null, "\"abc\"");
  }

  @Test
  void aValidatorOfOneFormGetsA304OnlyForThatForm() throws Exception {
    hit("/page");

    HttpResponse<byte[]> gzipNotModified = get("/page", "Accept-Encoding", "gzip", "If-None-Match", "\"abc-gz\"");
    HttpResponse<byte[]> identityWithGzipTag = get("/page", "If-None-Match", "\"abc-gz\"");
    HttpResponse<byte[]> brWithGzipTag = get("/page", "Accept-Encoding", "br", "If-None-Match", "\"abc-gz\"");

    assertThat(gzipNotModified.statusCode()).isEqualTo(304);
    assertThat(header(gzipNotModified, "ETag")).isEqualTo("\"abc-gz\"");
    assertThat(header(gzipNotModified, "Vary")).isEqualTo("Accept-Encoding");
    assertThat(gzipNotModified.body()).isEmpty();
    assertForm(identityWithGzipTag, null, "\"abc\"");
    assertThat(identityWithGzipTag.body()).isEqualTo(HTML);
    assertForm(brWithGzipTag, "br", "\"abc-br\"");
  }

  @Test
  void headSaysWhatTheGetOfThatFormWouldSend() throws Exception {
    HttpResponse<byte[]> gzipGet = hit("/page", "Accept-Encoding", "gzip");
    HttpResponse<byte[]> identityGet = get("/page");

    HttpResponse<byte[]> gzipHead = send(container, "HEAD", "/page", "Accept-Encoding", "gzip");
    HttpResponse<byte[]> identityHead = send(container, "HEAD", "/page");

    assertThat(status(gzipHead)).isEqualTo("pagecache; hit");
    assertThat(gzipHead.body()).isEmpty();
    for (String field : List.of("Content-Length", "Content-Encoding", "ETag", "Vary")) {
      assertThat(header(gzipHead, field)).as("gzip " + field).isEqualTo(header(gzipGet, field));
      assertThat(header(identityHead, field)).as("identity " + field).isEqualTo(header(identityGet, field));
    }
  }

  @Test
  void aPageWithoutAnOriginTagGetsOneTagPerForm() throws Exception {
    HttpResponse<byte[]> identity = hit("/hashed");
    HttpResponse<byte[]> gzip = get("/hashed", "Accept-Encoding", "gzip");

    String tag = header(identity, "ETag");
    assertThat(tag).startsWith("\"").endsWith("\"");
    assertThat(header(gzip, "ETag")).isEqualTo(tag.substring(0, tag.length() - 1) + "-gz\"");
    assertThat(gunzip(gzip.body())).isEqualTo(HTML);
  }

  @Test
  void theOriginsVaryIsKeptAndAcceptEncodingAddedOnceAWeakTagIsShared() throws Exception {
    HttpResponse<byte[]> gzip = hit("/by-language", "Accept-Encoding", "gzip");
    HttpResponse<byte[]> identity = get("/by-language");

    assertThat(gzip.headers().allValues("Vary")).containsExactly("Accept-Language, Accept-Encoding");
    assertThat(identity.headers().allValues("Vary")).containsExactly("Accept-Language, Accept-Encoding");
    assertThat(header(gzip, "ETag")).isEqualTo("W/\"weak\"").isEqualTo(header(identity, "ETag"));
  }

  @Test
  void smallIncompressibleAndNoTransformPagesAreSentAsTheyAre() throws Exception {
    for (String path : List.of("/small", "/image", "/no-transform")) {
      HttpResponse<byte[]> hit = hit(path, "Accept-Encoding", "gzip, br");
      assertThat(header(hit, "Content-Encoding")).as(path).isNull();
      assertThat(hit.headers().allValues("Vary")).as(path).isEmpty();
    }
  }

  @Test
  void aBodyTheApplicationCompressedIsStoredAsSentAndNeverGivenToAClientRefusingIt() throws Exception {
    String name = "enc-" + getClass().getSimpleName() + "/app-gzip";
    HttpResponse<byte[]> miss = get("/app-gzip", "Accept-Encoding", "gzip");
    HttpResponse<byte[]> hit = get("/app-gzip", "Accept-Encoding", "gzip, br");
    int rendersBefore = Endpoint.renders(name);

    HttpResponse<byte[]> plain = get("/app-gzip");
    HttpResponse<byte[]> hitAgain = get("/app-gzip", "Accept-Encoding", "gzip");

    assertThat(status(miss)).endsWith("stored");
    assertThat(status(hit)).isEqualTo("pagecache; hit");
    assertThat(header(hit, "Content-Encoding")).as("its own coding, not brotli").isEqualTo("gzip");
    assertThat(hit.headers().allValues("Vary")).containsExactly("Accept-Encoding");
    assertThat(gunzip(hit.body())).isEqualTo(HTML);
    assertThat(header(hit, "Content-Length")).isEqualTo(Integer.toString(hit.body().length));

    assertThat(Endpoint.renders(name)).as("the plain client is rendered for").isEqualTo(rendersBefore + 1);
    assertThat(header(plain, "Content-Encoding")).isNull();
    assertThat(plain.body()).isEqualTo(HTML);
    assertThat(status(plain)).contains("encoding-not-accepted");
    assertThat(status(hitAgain)).as("the gzip page was not replaced").isEqualTo("pagecache; hit");
    assertThat(header(hitAgain, "Content-Encoding")).isEqualTo("gzip");
  }

  @Test
  void statsCountCompressionsAndCompressedHits() throws Exception {
    hit("/page", "Accept-Encoding", "gzip");

    Map<String, Long> encodings = filter.pageCache().orElseThrow().stats().encodings();
    assertThat(encodings.get("compressions")).isPositive();
    assertThat(encodings.get("gzipForms")).isPositive();
    assertThat(encodings.get("brotliForms")).isPositive();
    assertThat(encodings.get("encodedHits")).isPositive();
  }

  /** A response read off the socket, bytes as they came. */
  record Raw(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  static Raw raw(Container target, String extraHeaders) throws IOException {
    String response = RawHttp.exchange(target.port(),
        "GET " + target.contextPath() + "/page HTTP/1.1\r\nHost: shop.example\r\n" + extraHeaders, "");
    int end = response.indexOf("\r\n\r\n");
    String[] lines = response.substring(0, end).split("\r\n");
    Map<String, String> headers = new java.util.HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers,
        response.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1));
  }

  static void awaitSharedWrites(PageCacheFilter filter) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (filter.pageCache().orElseThrow().stats().sharedLayer().getOrDefault("writes", 0L) < 1
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }
}
