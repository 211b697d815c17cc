package dev.pagecache;

import dev.pagecache.jmx.PageCacheMXBean;
import dev.pagecache.store.Latency;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.Hashtable;
import java.util.Map;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * The filter's MXBean, registered while the filter runs. A name already taken (the same context
 * path and filter name in two servers of one JVM) gets an {@code instance} key; JMX trouble is
 * logged and never stops the filter.
 */
final class PageCacheJmx implements PageCacheMXBean {
  private static final Logger LOG = System.getLogger(PageCacheFilter.class.getName());
  /** Enough for every test JVM; a name still taken after that is a leak, logged rather than looped on. */
  private static final int MAX_INSTANCES = 100;

  private final PageCache cache;

  private PageCacheJmx(PageCache cache) {
    this.cache = cache;
  }

  private static ObjectName name(String contextPath, String filterName, int instance)
      throws MalformedObjectNameException {
    Hashtable<String, String> keys = new Hashtable<>();
    keys.put("type", "PageCache");
    keys.put("context", value(contextPath == null || contextPath.isEmpty() ? "/" : contextPath));
    keys.put("filter", value(filterName == null || filterName.isEmpty() ? "pagecache" : filterName));
    if (instance > 1) {
      keys.put("instance", Integer.toString(instance));
    }
    return new ObjectName(DOMAIN, keys);
  }

  /** Quoted only where ObjectName needs it, so that common names read as they are. */
  private static String value(String raw) {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == ',' || c == '=' || c == ':' || c == '"' || c == '*' || c == '?' || c == '\\' || c == '\n') {
        return ObjectName.quote(raw);
      }
    }
    return raw;
  }

  /**
   * Registers an MXBean for {@code cache} with the platform MBean server.
   *
   * @return the name it got, or null when it could not be registered (logged)
   */
  static ObjectName register(PageCache cache, String contextPath, String filterName) {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      StandardMBean bean = new StandardMBean(new PageCacheJmx(cache), PageCacheMXBean.class, true);
      for (int instance = 1; instance <= MAX_INSTANCES; instance++) {
        ObjectName name = name(contextPath, filterName, instance);
        try {
          return server.registerMBean(bean, name).getObjectName();
        } catch (InstanceAlreadyExistsException taken) {
          // Another filter of the same context path and name in this JVM: the next instance number.
        }
      }
      LOG.log(Level.WARNING, "pagecache: " + MAX_INSTANCES + " MXBeans are registered for context " + contextPath
          + ", filter " + filterName + "; not registering another");
    } catch (JMException | RuntimeException e) {
      LOG.log(Level.WARNING, "pagecache: registering the MXBean failed; the cache runs without it", e);
    }
    return null;
  }

  static void unregister(ObjectName name) {
    try {
      ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
    } catch (InstanceNotFoundException gone) {
      // Someone unregistered it already.
    } catch (JMException | RuntimeException e) {
      LOG.log(Level.WARNING, "pagecache: unregistering the MXBean " + name + " failed", e);
    }
  }

  @Override
  public long getHits() {
    return cache.stats().hits();
  }

  @Override
  public long getMisses() {
    return cache.stats().misses();
  }

  @Override
  public double getHitRatio() {
    return cache.stats().hitRatio();
  }

  @Override
  public long getSharedHits() {
    return cache.stats().sharedHits();
  }

  @Override
  public long getNotModified() {
    return cache.stats().notModified();
  }

  @Override
  public long getStaleServed() {
    return cache.stats().staleServed();
  }

  @Override
  public long getStaleIfErrorServed() {
    return cache.stats().staleIfErrorServed();
  }

  @Override
  public long getStores() {
    return cache.stats().stores();
  }

  @Override
  public Map<String, Long> getBypassed() {
    return cache.stats().bypassed();
  }

  @Override
  public Map<String, Long> getNotStored() {
    return cache.stats().notStored();
  }

  @Override
  public long getStoreErrors() {
    return cache.stats().storeErrors();
  }

  @Override
  public long getInvalidations() {
    return cache.stats().invalidations();
  }

  @Override
  public long getEntries() {
    return cache.stats().entries();
  }

  @Override
  public long getBytes() {
    return cache.stats().bytes();
  }

  @Override
  public long getMaxBytes() {
    return cache.stats().maxBytes();
  }

  @Override
  public long getEvictedForSize() {
    return cache.stats().evictedForSize();
  }

  @Override
  public long getExpired() {
    return cache.stats().expired();
  }

  @Override
  public long getCoalescedWaits() {
    return cache.stats().coalescedWaits();
  }

  @Override
  public long getCoalescedHits() {
    return cache.stats().coalescedHits();
  }

  @Override
  public long getRefreshes() {
    return cache.stats().refreshes();
  }

  @Override
  public long getRefreshFailures() {
    return cache.stats().refreshFailures();
  }

  @Override
  public PageCacheStats.Revalidations getRevalidations() {
    return cache.stats().revalidations();
  }

  @Override
  public Map<String, Long> getSharedLayer() {
    return cache.stats().sharedLayer();
  }

  @Override
  public Map<String, Latency> getSharedLatency() {
    return cache.stats().sharedLatency();
  }

  @Override
  public Map<String, PageCacheStats.RuleStats> getRules() {
    return cache.stats().rules();
  }

  @Override
  public String getStatsJson() {
    return cache.stats().toJson();
  }

  @Override
  public void purge(String url) {
    cache.purge(URI.create(url.strip()));
  }

  @Override
  public void purgeTag(String tag) {
    cache.purgeTag(tag);
  }

  @Override
  public void purgePrefix(String prefix) {
    cache.purgePrefix(URI.create(prefix.strip()));
  }

  @Override
  public void purgeAll() {
    cache.purgeAll();
  }
}
