package dev.pagecache.it;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/** A servlet named in a test web.xml; counts its renders. */
public class HelloServlet extends HttpServlet {
  static final AtomicInteger RENDERS = new AtomicInteger();

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setContentType("text/plain;charset=UTF-8");
    response.getWriter().print("hello " + RENDERS.incrementAndGet());
  }
}
