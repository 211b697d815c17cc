package dev.pagecache.it;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;

/** A filter's init-params as {@code web.xml} gives them, for tests that configure a filter without one. */
public final class TestFilterConfig implements FilterConfig {
  private final String name;
  private final ServletContext context;
  private final Map<String, String> params;

  private TestFilterConfig(String name, ServletContext context, Map<String, String> params) {
    this.name = name;
    this.context = context;
    this.params = Map.copyOf(params);
  }

  /** The init-params of a filter named {@code pagecache}, outside any web application. */
  public static FilterConfig of(Map<String, String> params) {
    return new TestFilterConfig("pagecache", null, params);
  }

  /** The init-params of a filter the container named and placed in {@code context}. */
  public static FilterConfig of(String name, ServletContext context, Map<String, String> params) {
    return new TestFilterConfig(name, context, params);
  }

  @Override
  public String getFilterName() {
    return name;
  }

  @Override
  public ServletContext getServletContext() {
    return context;
  }

  @Override
  public String getInitParameter(String name) {
    return params.get(name);
  }

  @Override
  public Enumeration<String> getInitParameterNames() {
    return Collections.enumeration(params.keySet());
  }
}
