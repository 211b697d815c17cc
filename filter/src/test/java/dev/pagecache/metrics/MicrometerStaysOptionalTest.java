package dev.pagecache.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagecache.PageCacheFilter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is an optional dependency: only this package may refer to it, so that the filter
 * loads and runs in an application that does not have it. A class that names a Micrometer type
 * carries its binary name in its constant pool; none outside this package may.
 */
class MicrometerStaysOptionalTest {

  @Test
  void noClassOutsideTheMetricsPackageNamesAMicrometerType() throws Exception {
    Path classes = Path.of(PageCacheFilter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path metrics = classes.resolve("dev/pagecache/metrics");
    List<Path> all;
    try (Stream<Path> files = Files.walk(classes)) {
      all = files.filter(file -> file.toString().endsWith(".class")).toList();
    }
    assertThat(all).as("the compiled core").hasSizeGreaterThan(100);
    assertThat(all).filteredOn(file -> file.startsWith(metrics)).as("the binder itself does name it")
        .anyMatch(MicrometerStaysOptionalTest::namesMicrometer);

    assertThat(all).filteredOn(file -> !file.startsWith(metrics))
        .noneMatch(MicrometerStaysOptionalTest::namesMicrometer);
  }

  private static boolean namesMicrometer(Path classFile) {
    try {
      return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains("io/micrometer/");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
