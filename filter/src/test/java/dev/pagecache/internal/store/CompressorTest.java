package dev.pagecache.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.internal.http.ContentCoding;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class CompressorTest {
  static final byte[] HTML = "<li><a href=\"/links/1\">a link</a></li>\n".repeat(500).getBytes(StandardCharsets.UTF_8);

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

  @Test
  void gzipDecompressesToTheBody() throws IOException {
    Map<ContentCoding, byte[]> forms = Compressor.gzipOnly().compress(HTML);

    assertThat(forms).containsOnlyKeys(ContentCoding.GZIP);
    assertThat(gunzip(forms.get(ContentCoding.GZIP))).isEqualTo(HTML);
    assertThat(forms.get(ContentCoding.GZIP).length).isLessThan(HTML.length / 10);
  }

  @Test
  void brotliIsMadeWhenBrotli4jIsOnTheClasspath() throws IOException {
    Compressor standard = Compressor.standard();
    assertThat(standard.makesBrotli()).as("brotli4j and its linux-x86_64 natives are test dependencies").isTrue();

    Map<ContentCoding, byte[]> forms = standard.compress(HTML);

    assertThat(forms).containsOnlyKeys(ContentCoding.GZIP, ContentCoding.BR);
    assertThat(unbrotli(forms.get(ContentCoding.BR))).isEqualTo(HTML);
    assertThat(forms.get(ContentCoding.BR).length).isLessThanOrEqualTo(forms.get(ContentCoding.GZIP).length);
  }

  @Test
  void aBodyThatDoesNotShrinkKeepsNoForm() {
    byte[] random = new byte[4096];
    new Random(42).nextBytes(random);

    assertThat(Compressor.standard().compress(random)).isEmpty();
  }

  /** The filter's own classes in a loader that has no brotli4j: as an application without the optional dependency. */
  @Test
  void withoutBrotli4jOnTheClasspathOnlyGzipIsMade() throws Exception {
    java.net.URL classes = Compressor.class.getProtectionDomain().getCodeSource().getLocation();
    try (java.net.URLClassLoader withoutBrotli =
        new java.net.URLClassLoader(new java.net.URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
      Class<?> compressor = withoutBrotli.loadClass(Compressor.class.getName());
      Object standard = compressor.getMethod("standard").invoke(null);
      @SuppressWarnings("unchecked")
      Map<Enum<?>, byte[]> forms = (Map<Enum<?>, byte[]>) compressor.getMethod("compress", byte[].class)
          .invoke(standard, (Object) HTML);

      assertThat(compressor.getMethod("makesBrotli").invoke(standard)).isEqualTo(false);
      assertThat(forms.keySet()).extracting(Enum::name).containsExactly("GZIP");
      assertThat(gunzip(forms.values().iterator().next())).isEqualTo(HTML);
    }
  }
}
