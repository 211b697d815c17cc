package dev.pagecache.rules;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a rules file written in HOCON (a JSON superset with comments, unquoted strings,
 * durations like {@code 90s} or {@code 1d} and sizes like {@code 2MiB}). Every problem is reported
 * with the file and the line, and unknown keys are errors, so a typo fails start-up rather than
 * being ignored. The format, with every key and its default:
 *
 * <pre>{@code
 * # Applied to every rule below unless the rule sets the key itself.
 * defaults {
 *   ttl = 60s
 * }
 * rules = [
 *   # First match wins. path: exact "/about", prefix "/videos/*", suffix "*.html", regex "^/w/[a-z]+$"
 *   { path = "/admin/*", cache = false }
 *   { path = "/", ttl = 5m }
 *   { path = "/links", ttl = 10m, query { only = [page] }, keyCookies = [user] }
 *   { path = "/go/*", ttl = 1d, downstreamCacheControl = "public, max-age={ttl}" }
 * ]
 * }</pre>
 *
 * <table>
 *   <caption>Rule keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>path</td><td>(required)</td><td>{@link PathPattern}</td></tr>
 *   <tr><td>methods</td><td>[GET, HEAD]</td><td>methods served from cache</td></tr>
 *   <tr><td>cache</td><td>true</td><td>false excludes the paths</td></tr>
 *   <tr><td>ttl</td><td>60s</td><td>lifetime when the origin gives none; {@code origin}: store only
 *       what the origin gives a lifetime</td></tr>
 *   <tr><td>forceTtl</td><td>false</td><td>use ttl even when the origin gives a lifetime</td></tr>
 *   <tr><td>query</td><td>all</td><td>all, none, { only = [..] } or { except = [..] }</td></tr>
 *   <tr><td>keyHeaders</td><td>[]</td><td>request headers that go into the key</td></tr>
 *   <tr><td>keyCookies</td><td>[]</td><td>cookies that go into the key</td></tr>
 *   <tr><td>bypassIfCookie</td><td>[]</td><td>requests with any of these cookies skip the cache</td></tr>
 *   <tr><td>statuses</td><td>[200, 203, 300, 301, 308, 410]</td><td>statuses that are stored</td></tr>
 *   <tr><td>maxBodyBytes</td><td>2MiB</td><td>larger bodies stream through and are not stored</td></tr>
 *   <tr><td>downstreamCacheControl</td><td>(origin's)</td><td>Cache-Control sent to clients; {ttl} = seconds left</td></tr>
 *   <tr><td>allowAuthorization, allowSetCookie, allowPrivate, allowNoStore, allowSession</td><td>false</td>
 *       <td>store what is otherwise never shared</td></tr>
 *   <tr><td>staleWhileRevalidate</td><td>0s</td><td>serve an expired page this long while one request refreshes it</td></tr>
 *   <tr><td>staleIfError</td><td>0s</td><td>serve an expired page this long when refreshing it fails</td></tr>
 *   <tr><td>revalidationRetention</td><td>1h</td><td>keep an expired page with the origin's ETag or
 *       Last-Modified this long (at most 1d), so that it is revalidated (a 304) rather than rendered again</td></tr>
 *   <tr><td>warmUrls</td><td>[]</td><td>paths rendered at start and refreshed before they expire</td></tr>
 *   <tr><td>coalesce</td><td>true</td><td>concurrent misses for one page wait for one render</td></tr>
 *   <tr><td>coalesceWait</td><td>3s</td><td>the longest such a wait lasts</td></tr>
 *   <tr><td>shareLargePages</td><td>true</td><td>false keeps pages larger than one memcached item in JVM memory only</td></tr>
 *   <tr><td>trustedHeaders</td><td>[]</td><td>steering headers (X-Forwarded-Host...) a proxy in front always overwrites: not keyed</td></tr>
 *   <tr><td>ignoredHeaders</td><td>[]</td><td>request headers hidden from the application and not keyed</td></tr>
 *   <tr><td>requestCookies</td><td>ignore ({@code credentials} for *.ext patterns)</td><td>credentials: a request
 *       with an unkeyed cookie is stored only if the response says public or s-maxage</td></tr>
 *   <tr><td>checkContentType</td><td>true</td><td>a path with a known extension is stored only if its Content-Type fits</td></tr>
 *   <tr><td>extensionTypes</td><td>(built in)</td><td>more extensions: { map = [application/json] }</td></tr>
 *   <tr><td>tags</td><td>[]</td><td>tags every page of the rule carries: {@link TagTemplate}s such as
 *       {@code "user:{cookie.user}"}, using only cookies and query parameters the key holds</td></tr>
 *   <tr><td>keepTagHeaders</td><td>false</td><td>true lets Surrogate-Key and Cache-Tag reach the client</td></tr>
 *   <tr><td>refreshOnPurge</td><td>false</td><td>a purge by tag renders the rule's pages again</td></tr>
 *   <tr><td>targetedFields</td><td>[Pagecache-Control, CDN-Cache-Control]</td><td>RFC 9213 fields this cache
 *       obeys, first present and valid wins over Cache-Control, Expires and Surrogate-Control; [] obeys none</td></tr>
 *   <tr><td>passedTargetedFields</td><td>[CDN-Cache-Control]</td><td>which of them reach the client (and are
 *       stored); the others are kept from it</td></tr>
 *   <tr><td>heuristic</td><td>false</td><td>true: a response with Last-Modified and no explicit lifetime lives
 *       heuristicFraction of its age since then, at most heuristicMax (RFC 9111 §4.2.2), in place of ttl</td></tr>
 *   <tr><td>heuristicFraction</td><td>0.1</td><td>see heuristic</td></tr>
 *   <tr><td>heuristicMax</td><td>1d</td><td>see heuristic</td></tr>
 *   <tr><td>compressTypes</td><td>text/*, JSON, JavaScript, SVG, XML</td><td>media types stored gzip- (and brotli-)
 *       compressed too, once; [] turns it off ({@link CompressibleTypes})</td></tr>
 *   <tr><td>compressMinBytes</td><td>1KiB</td><td>smaller bodies are stored and sent uncompressed</td></tr>
 * </table>
 */
public final class RulesFileParser {
  private static final Set<String> TOP_LEVEL_KEYS = Set.of("defaults", "rules");
  private static final Set<String> RULE_KEYS = new TreeSet<>(List.of(
      "path", "methods", "cache", "ttl", "forceTtl", "query", "keyHeaders", "keyCookies",
      "bypassIfCookie", "statuses", "maxBodyBytes", "downstreamCacheControl", "allowAuthorization",
      "allowSetCookie", "allowPrivate", "allowNoStore", "allowSession", "shareLargePages", "coalesce", "coalesceWait", "staleWhileRevalidate", "staleIfError", "revalidationRetention", "warmUrls",
      "trustedHeaders", "ignoredHeaders", "requestCookies", "checkContentType", "extensionTypes",
      "tags", "keepTagHeaders", "refreshOnPurge", "targetedFields", "passedTargetedFields",
      "heuristic", "heuristicFraction", "heuristicMax", "compressTypes", "compressMinBytes"));

  private RulesFileParser() {}

  /**
   * Reads a rules file.
   *
   * @param file a UTF-8 HOCON file in the format above
   * @return the rules, in the file's order
   * @throws RulesException naming the file, the line and the problem, also when the file cannot be read
   */
  public static RuleSet parse(Path file) {
    return parse(file, Map.of());
  }

  /**
   * Reads a rules file, with settings of the caller's that apply where the file sets none.
   *
   * @param file a UTF-8 HOCON file in the format above
   * @param baseline rule settings that apply where neither a rule nor the file's {@code defaults}
   *     set them, e.g. {@code requestCookies = credentials} for a reverse proxy
   * @return the rules, in the file's order
   * @throws RulesException naming the file, the line and the problem, also when the file cannot be read
   */
  public static RuleSet parse(Path file, Map<String, ?> baseline) {
    String source = "rules file " + file;
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RulesException(source, 0, "cannot be read: " + e);
    }
    return parse(text, source, baseline);
  }

  /**
   * Reads rules from text, e.g. a class-path resource.
   *
   * @param text HOCON in the format above
   * @param source names the text in error messages, e.g. {@code "rules file /etc/pagecache.conf"}
   * @return the rules, in the text's order
   * @throws RulesException naming the source, the line and the problem
   */
  public static RuleSet parse(String text, String source) {
    return parse(text, source, Map.of());
  }

  /**
   * {@link #parse(String, String)} with settings that apply where the text sets none.
   *
   * @param text HOCON in the format above
   * @param source names the text in error messages
   * @param baseline rule settings that apply where neither a rule nor the text's {@code defaults}
   *     set them
   * @return the rules, in the text's order
   * @throws RulesException naming the source, the line and the problem
   */
  public static RuleSet parse(String text, String source, Map<String, ?> baseline) {
    Config config;
    try {
      config = ConfigFactory.parseString(text, ConfigParseOptions.defaults()
              .setSyntax(ConfigSyntax.CONF)
              .setOriginDescription(source)
              .setAllowMissing(false))
          .resolve(ConfigResolveOptions.noSystem());
    } catch (ConfigException e) {
      throw fromConfigException(source, e);
    }
    for (Map.Entry<String, ConfigValue> entry : config.root().entrySet()) {
      if (!TOP_LEVEL_KEYS.contains(entry.getKey())) {
        throw new RulesException(source, line(entry.getValue()),
            "unknown key '" + entry.getKey() + "' (a rules file has 'defaults' and 'rules')");
      }
    }
    ConfigObject defaults = config.hasPath("defaults") ? object(source, config.root().get("defaults"), "defaults")
        : ConfigFactory.empty().root();
    checkKeys(source, defaults, "defaults");
    if (!baseline.isEmpty()) {
      ConfigObject fallback = ConfigFactory.parseMap(baseline, "built-in defaults").root();
      checkKeys(source, fallback, "built-in defaults");
      defaults = defaults.withFallback(fallback);
    }
    if (defaults.containsKey("path")) {
      throw new RulesException(source, line(defaults.get("path")), "defaults may not set 'path'");
    }
    if (!config.hasPath("rules")) {
      throw new RulesException(source, 0, "no 'rules' list: add rules = [ { path = \"/\" } ]");
    }
    ConfigValue rulesValue = config.root().get("rules");
    if (rulesValue.valueType() != ConfigValueType.LIST) {
      throw new RulesException(source, line(rulesValue), "'rules' must be a list: rules = [ {...}, {...} ]");
    }
    List<CacheRule> rules = new ArrayList<>();
    for (ConfigValue element : (ConfigList) rulesValue) {
      ConfigObject rule = object(source, element, "each entry of 'rules'");
      checkKeys(source, rule, "a rule");
      rules.add(rule(source, rule, defaults));
    }
    return RuleSet.of(rules, source);
  }

  private static CacheRule rule(String source, ConfigObject rule, ConfigObject defaults) {
    int ruleLine = line(rule);
    ConfigValue pathValue = rule.get("path");
    if (pathValue == null) {
      throw new RulesException(source, ruleLine, "rule has no 'path'");
    }
    CacheRule.Builder builder;
    try {
      builder = CacheRule.forPath(string(pathValue)).line(ruleLine);
    } catch (IllegalArgumentException | ConfigException e) {
      throw problem(source, pathValue, "path", e);
    }
    for (String key : RULE_KEYS) {
      // A rule's own value replaces the default's whole; objects such as query are not merged.
      ConfigObject owner = rule.containsKey(key) ? rule : defaults;
      if (key.equals("path") || !owner.containsKey(key)) {
        continue;
      }
      ConfigValue value = owner.get(key);
      try {
        apply(builder, key, owner.toConfig(), value);
      } catch (IllegalArgumentException | ConfigException e) {
        throw problem(source, value, key, e);
      }
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new RulesException(source, lineOfSetting(rule, defaults, e.getMessage(), ruleLine), e.getMessage());
    }
  }

  /**
   * Where a problem {@link CacheRule.Builder#build()} found between settings is written: the
   * setting its message starts with ({@code "tags: ..."}), in the rule or in the defaults; else the
   * rule's first line.
   */
  private static int lineOfSetting(ConfigObject rule, ConfigObject defaults, String message, int ruleLine) {
    int colon = message.indexOf(':');
    String key = colon < 0 ? "" : message.substring(0, colon);
    if (!RULE_KEYS.contains(key)) {
      return ruleLine;
    }
    ConfigObject owner = rule.containsKey(key) ? rule : defaults;
    return owner.containsKey(key) ? lineOf(owner.get(key), message) : ruleLine;
  }

  private static void apply(CacheRule.Builder builder, String key, Config config, ConfigValue value) {
    switch (key) {
      case "methods" -> builder.methods(new LinkedHashSet<>(strings(value)));
      case "cache" -> builder.cache(config.getBoolean(key));
      case "ttl" -> {
        if (value.valueType() == ConfigValueType.STRING && "origin".equals(value.unwrapped())) {
          builder.ttlFromOriginOnly();
        } else {
          builder.ttl(duration(config, key, value));
        }
      }
      case "forceTtl" -> builder.forceTtl(config.getBoolean(key));
      case "query" -> builder.query(query(value));
      case "keyHeaders" -> builder.keyHeaders(strings(value));
      case "keyCookies" -> builder.keyCookies(strings(value));
      case "bypassIfCookie" -> builder.bypassIfCookie(strings(value));
      case "statuses" -> builder.statuses(new LinkedHashSet<>(config.getIntList(key)));
      case "maxBodyBytes" -> builder.maxBodyBytes(config.getBytes(key));
      case "downstreamCacheControl" -> builder.downstreamCacheControl(string(value));
      case "allowAuthorization" -> builder.allowAuthorization(config.getBoolean(key));
      case "allowSetCookie" -> builder.allowSetCookie(config.getBoolean(key));
      case "allowPrivate" -> builder.allowPrivate(config.getBoolean(key));
      case "allowNoStore" -> builder.allowNoStore(config.getBoolean(key));
      case "allowSession" -> builder.allowSession(config.getBoolean(key));
      case "shareLargePages" -> builder.shareLargePages(config.getBoolean(key));
      case "compressTypes" -> builder.compressTypes(strings(value));
      case "compressMinBytes" -> builder.compressMinBytes(config.getBytes(key));
      case "coalesce" -> builder.coalesce(config.getBoolean(key));
      case "coalesceWait" -> builder.coalesceWait(duration(config, key, value));
      case "staleWhileRevalidate" -> builder.staleWhileRevalidate(duration(config, key, value));
      case "staleIfError" -> builder.staleIfError(duration(config, key, value));
      case "revalidationRetention" -> builder.revalidationRetention(duration(config, key, value));
      case "warmUrls" -> builder.warmUrls(strings(value));
      case "trustedHeaders" -> builder.trustedHeaders(strings(value));
      case "ignoredHeaders" -> builder.ignoredHeaders(strings(value));
      case "requestCookies" -> builder.requestCookies(switch (string(value)) {
        case "ignore" -> CacheRule.RequestCookies.IGNORE;
        case "credentials" -> CacheRule.RequestCookies.CREDENTIALS;
        default -> throw new IllegalArgumentException("must be ignore or credentials, not '" + value.unwrapped() + "'");
      });
      case "checkContentType" -> builder.checkContentType(config.getBoolean(key));
      case "extensionTypes" -> builder.extensionTypes(extensionTypes(value));
      case "tags" -> builder.tags(strings(value));
      case "keepTagHeaders" -> builder.keepTagHeaders(config.getBoolean(key));
      case "refreshOnPurge" -> builder.refreshOnPurge(config.getBoolean(key));
      case "targetedFields" -> builder.targetedFields(strings(value));
      case "passedTargetedFields" -> builder.passedTargetedFields(strings(value));
      case "heuristic" -> builder.heuristic(config.getBoolean(key));
      case "heuristicFraction" -> {
        if (value.valueType() != ConfigValueType.NUMBER) {
          throw new IllegalArgumentException("must be a number such as 0.1 (10%), not '" + value.unwrapped() + "'");
        }
        builder.heuristicFraction(config.getDouble(key));
      }
      case "heuristicMax" -> builder.heuristicMax(duration(config, key, value));
      default -> throw new IllegalStateException("unhandled rule key " + key);
    }
  }

  private static Duration duration(Config config, String key, ConfigValue value) {
    if (value.valueType() == ConfigValueType.NUMBER
        || value.valueType() == ConfigValueType.STRING && ((String) value.unwrapped()).trim().matches("[0-9.]+")) {
      throw new IllegalArgumentException("needs a unit, e.g. " + value.unwrapped() + "s or 5m");
    }
    return config.getDuration(key);
  }

  private static Map<String, List<String>> extensionTypes(ConfigValue value) {
    if (value.valueType() != ConfigValueType.OBJECT) {
      throw new IllegalArgumentException("must be an object of extension = [media types], e.g. { map = [application/json] }");
    }
    Map<String, List<String>> additions = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> entry : ((ConfigObject) value).entrySet()) {
      additions.put(entry.getKey(), strings(entry.getValue()));
    }
    return additions;
  }

  private static QueryKey query(ConfigValue value) {
    if (value.valueType() == ConfigValueType.STRING) {
      return switch (string(value)) {
        case "all" -> QueryKey.all();
        case "none" -> QueryKey.none();
        default -> throw new IllegalArgumentException(
            "must be all, none, { only = [names] } or { except = [names] }, not '" + value.unwrapped() + "'");
      };
    }
    if (value.valueType() == ConfigValueType.OBJECT) {
      ConfigObject object = (ConfigObject) value;
      if (object.size() == 1 && object.containsKey("only")) {
        return QueryKey.only(Set.copyOf(strings(object.get("only"))));
      }
      if (object.size() == 1 && object.containsKey("except")) {
        return QueryKey.allExcept(Set.copyOf(strings(object.get("except"))));
      }
    }
    throw new IllegalArgumentException("must be all, none, { only = [names] } or { except = [names] }");
  }

  private static String string(ConfigValue value) {
    if (value.valueType() != ConfigValueType.STRING) {
      throw new IllegalArgumentException("must be a string, not " + value.valueType().name().toLowerCase(java.util.Locale.ROOT));
    }
    return (String) value.unwrapped();
  }

  /** A list of strings, or one string for a list of one. */
  private static List<String> strings(ConfigValue value) {
    if (value.valueType() == ConfigValueType.STRING) {
      return List.of((String) value.unwrapped());
    }
    if (value.valueType() != ConfigValueType.LIST) {
      throw new IllegalArgumentException("must be a list of names, e.g. [a, b]");
    }
    List<String> names = new ArrayList<>();
    for (ConfigValue element : (ConfigList) value) {
      names.add(string(element));
    }
    return names;
  }

  private static ConfigObject object(String source, ConfigValue value, String what) {
    if (value.valueType() != ConfigValueType.OBJECT) {
      throw new RulesException(source, line(value), what + " must be an object in braces: { path = \"/\" }");
    }
    return (ConfigObject) value;
  }

  private static void checkKeys(String source, ConfigObject object, String what) {
    for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
      if (!RULE_KEYS.contains(entry.getKey())) {
        throw new RulesException(source, line(entry.getValue()),
            "unknown key '" + entry.getKey() + "' in " + what + "; known keys: " + String.join(", ", RULE_KEYS));
      }
    }
  }

  private static RulesException problem(String source, ConfigValue value, String key, RuntimeException e) {
    if (e instanceof ConfigException configException) {
      return fromConfigException(source, configException);
    }
    String message = e.getMessage();
    return new RulesException(source, lineOf(value, message), message.startsWith(key + ":") ? message : key + ": " + message);
  }

  /**
   * The line of the list element a message quotes ({@code 'user:{cookie.x}'}), so that a list
   * written one element a line points at the element; otherwise the line of the value.
   */
  private static int lineOf(ConfigValue value, String message) {
    if (value.valueType() == ConfigValueType.LIST) {
      for (ConfigValue element : (ConfigList) value) {
        if (element.valueType() == ConfigValueType.STRING && message.contains("'" + element.unwrapped() + "'")) {
          return line(element);
        }
      }
    }
    return line(value);
  }

  private static RulesException fromConfigException(String source, ConfigException e) {
    int line = e.origin() == null ? 0 : e.origin().lineNumber();
    // Typesafe Config prefixes its messages with "<origin>: <line>: "; we say that ourselves.
    String message = e.getMessage().replaceFirst("^.*?: \\d+: ", "");
    return new RulesException(source, Math.max(line, 0), message);
  }

  private static int line(ConfigValue value) {
    return Math.max(value.origin().lineNumber(), 0);
  }
}
