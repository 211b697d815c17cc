package dev.pagecache.internal.servlet;

import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** Calls Servlet 6.1 methods on containers that have them, from code compiled against 6.0. */
final class Servlet61 {
  private static final Method SEND_REDIRECT = find();

  private Servlet61() {}

  private static Method find() {
    try {
      return HttpServletResponse.class.getMethod("sendRedirect", String.class, int.class, boolean.class);
    } catch (NoSuchMethodException servlet60) {
      return null;
    }
  }

  static void sendRedirect(ServletResponse response, String location, int status, boolean clearBuffer)
      throws IOException {
    if (SEND_REDIRECT == null) {
      throw new UnsupportedOperationException("sendRedirect(String, int, boolean) needs Servlet 6.1");
    }
    try {
      SEND_REDIRECT.invoke(response, location, status, clearBuffer);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
