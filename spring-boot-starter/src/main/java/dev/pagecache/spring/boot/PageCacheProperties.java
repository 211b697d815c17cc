package dev.pagecache.spring.boot;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

/**
 * pagecache's settings under {@code pagecache.*}: the same words as {@link dev.pagecache.PageCacheConfig.Builder}
 * and the filter's init-params, in Spring's kebab case. Sizes take {@code 256MB}, durations {@code 50ms} or
 * {@code 5s}. Unset values keep pagecache's defaults.
 */
@ConfigurationProperties(prefix = "pagecache")
public class PageCacheProperties {
  /** The order of the filter by default: after Spring Security's filter chain (-100). */
  public static final int DEFAULT_FILTER_ORDER = SecurityProperties.DEFAULT_FILTER_ORDER + 10;

  /** Whether pagecache's filter is registered at all. */
  private boolean enabled = true;

  /**
   * The rules file: a class-path resource (classpath:pagecache.conf, which works wherever the
   * application is started from) or a file (file:/etc/myapp/pagecache.conf).
   */
  private Resource rules;

  /** Memory for cached pages, e.g. 256MB. Default: an eighth of the maximum heap. */
  private DataSize maxCacheBytes;

  /**
   * The host names the site answers to (www.example.com, *.example.org); requests for any
   * other Host skip the cache. Default: every host, each under its own key.
   */
  private List<String> hosts = new ArrayList<>();

  private final Filter filter = new Filter();
  private final Warm warm = new Warm();
  private final Purge purge = new Purge();
  private final Memcached memcached = new Memcached();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Resource getRules() {
    return rules;
  }

  public void setRules(Resource rules) {
    this.rules = rules;
  }

  public DataSize getMaxCacheBytes() {
    return maxCacheBytes;
  }

  public void setMaxCacheBytes(DataSize maxCacheBytes) {
    this.maxCacheBytes = maxCacheBytes;
  }

  public List<String> getHosts() {
    return hosts;
  }

  public void setHosts(List<String> hosts) {
    this.hosts = hosts;
  }

  public Filter getFilter() {
    return filter;
  }

  public Warm getWarm() {
    return warm;
  }

  public Purge getPurge() {
    return purge;
  }

  public Memcached getMemcached() {
    return memcached;
  }

  /** Where the filter sits in the servlet filter chain. */
  public static class Filter {
    /**
     * The filter's order. Default -90: after Spring Security's filter chain (-100), so the request carries
     * the logged-in user and pagecache skips the cache for it.
     */
    private int order = DEFAULT_FILTER_ORDER;

    /** The URL patterns the filter is mapped to; it must cover the purge path when the purge endpoint is on. */
    private List<String> urlPatterns = new ArrayList<>(List.of("/*"));

    public int getOrder() {
      return order;
    }

    public void setOrder(int order) {
      this.order = order;
    }

    public List<String> getUrlPatterns() {
      return urlPatterns;
    }

    public void setUrlPatterns(List<String> urlPatterns) {
      this.urlPatterns = urlPatterns;
    }
  }

  /** Keeping pages warm (rules with warmUrls, PageCache.keepWarm). */
  public static class Warm {
    /**
     * The URL clients reach the application at, e.g. https://www.example.com: warm renders send its
     * host and are stored under it. Needed by rules with warmUrls.
     */
    private URI baseUrl;

    public URI getBaseUrl() {
      return baseUrl;
    }

    public void setBaseUrl(URI baseUrl) {
      this.baseUrl = baseUrl;
    }
  }

  /**
   * pagecache's own purge endpoint ({@code PURGE <url>}, {@code POST /pagecache/purge}), for proxies and
   * scripts outside the application. Off unless a token or an allow-list is set. The Actuator endpoint
   * pagecache purges too, guarded as Actuator endpoints are.
   */
  public static class Purge {
    /**
     * Turns the purge endpoint on for clients sending "Authorization: Bearer" and the token: at least 16
     * characters of letters, digits, - . _ ~ + /. Never logged.
     */
    private String token;

    /**
     * Turns the purge endpoint on for clients at these addresses or CIDR ranges (127.0.0.1,
     * 10.0.0.0/8, ::1). With a token as well, both must pass.
     */
    private List<String> allowFrom;

    /** Where POST purges go inside the application. Default: /pagecache/purge. */
    private String path;

    public String getToken() {
      return token;
    }

    public void setToken(String token) {
      this.token = token;
    }

    public List<String> getAllowFrom() {
      return allowFrom;
    }

    public void setAllowFrom(List<String> allowFrom) {
      this.allowFrom = allowFrom;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }
  }

  /**
   * The shared memcached layer behind JVM memory. Setting servers turns it on; the other settings tune it
   * and need servers.
   */
  public static class Memcached {
    /** The memcached cluster, e.g. 10.0.0.5:11211, 10.0.0.6:11211; keys are spread by consistent hashing. */
    private List<String> servers;

    /** The longest a request waits for one memcached call before treating it as a miss. Default: 50ms. */
    private Duration timeout;

    /** The largest value one memcached item holds: the server's -I. Default: 1MB, at least 64KB. */
    private DataSize itemSize;

    /** Bodies of at least this size are deflated when that saves space. Default: 4KB. */
    private DataSize compressionThreshold;

    /** Prefix of every key, so several applications can share a cluster: 1-40 visible ASCII characters. Default: pagecache. */
    private String namespace;

    /** When set (at least 16 bytes), entries are signed with it and unsigned or foreign entries refused. */
    private String secret;

    /** Consecutive failures that open the circuit breaker. Default: 5. */
    private Integer breakerFailures;

    /** How long an open breaker skips memcached before it probes again. Default: 5s. */
    private Duration breakerCoolDown;

    /** Whether pages larger than one item are split into chunks, or kept in JVM memory only. */
    private Boolean chunkLargePages;

    /** A purge anywhere in the fleet stops every JVM's memory copies within this time. Default: 1s, at least 100ms. */
    private Duration syncInterval;

    public List<String> getServers() {
      return servers;
    }

    public void setServers(List<String> servers) {
      this.servers = servers;
    }

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public DataSize getItemSize() {
      return itemSize;
    }

    public void setItemSize(DataSize itemSize) {
      this.itemSize = itemSize;
    }

    public DataSize getCompressionThreshold() {
      return compressionThreshold;
    }

    public void setCompressionThreshold(DataSize compressionThreshold) {
      this.compressionThreshold = compressionThreshold;
    }

    public String getNamespace() {
      return namespace;
    }

    public void setNamespace(String namespace) {
      this.namespace = namespace;
    }

    public String getSecret() {
      return secret;
    }

    public void setSecret(String secret) {
      this.secret = secret;
    }

    public Integer getBreakerFailures() {
      return breakerFailures;
    }

    public void setBreakerFailures(Integer breakerFailures) {
      this.breakerFailures = breakerFailures;
    }

    public Duration getBreakerCoolDown() {
      return breakerCoolDown;
    }

    public void setBreakerCoolDown(Duration breakerCoolDown) {
      this.breakerCoolDown = breakerCoolDown;
    }

    public Boolean getChunkLargePages() {
      return chunkLargePages;
    }

    public void setChunkLargePages(Boolean chunkLargePages) {
      this.chunkLargePages = chunkLargePages;
    }

    public Duration getSyncInterval() {
      return syncInterval;
    }

    public void setSyncInterval(Duration syncInterval) {
      this.syncInterval = syncInterval;
    }

    /** Whether any setting but the servers is given. */
    boolean hasTuning() {
      return timeout != null || itemSize != null || compressionThreshold != null || namespace != null
          || secret != null || breakerFailures != null || breakerCoolDown != null || chunkLargePages != null
          || syncInterval != null;
    }
  }
}
