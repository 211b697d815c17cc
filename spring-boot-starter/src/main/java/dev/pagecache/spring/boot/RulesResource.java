package dev.pagecache.spring.boot;

import dev.pagecache.rules.RuleSet;
import dev.pagecache.rules.RulesException;
import dev.pagecache.rules.RulesFileParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

/**
 * Reads a rules file through Spring's {@link Resource}, so {@code classpath:} finds it inside a jar
 * started from any directory and {@code file:} names a file outside it.
 */
final class RulesResource {
  static final String DEFAULT_LOCATION = "classpath:pagecache.conf";

  private RulesResource() {}

  /** @throws RulesException naming the resource, and for a bad rule the line and the problem */
  static RuleSet read(Resource resource) {
    String source = "rules file " + describe(resource) + " (pagecache.rules)";
    if (!resource.exists()) {
      throw new RulesException(source, 0, "not found; set pagecache.rules to the rules file "
          + "(e.g. classpath:pagecache.conf or file:/etc/myapp/pagecache.conf), or pagecache.enabled=false");
    }
    String text;
    try (InputStream in = resource.getInputStream()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RulesException(source, 0, "cannot be read: " + e);
    }
    return RulesFileParser.parse(text, source);
  }

  /** As the user wrote it where possible: {@code classpath:pagecache.conf}, or the file's path. */
  private static String describe(Resource resource) {
    if (resource instanceof ClassPathResource classPath) {
      return "classpath:" + classPath.getPath();
    }
    if (resource.isFile()) {
      try {
        return resource.getFile().getPath();
      } catch (IOException e) {
        return resource.getDescription();
      }
    }
    return resource.getDescription();
  }
}
