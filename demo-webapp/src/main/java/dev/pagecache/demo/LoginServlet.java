package dev.pagecache.demo;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * {@code POST /login} with form field {@code user}: sets (or, when empty, clears) the
 * {@code user} cookie that {@link LinksPage} ranks for, then answers {@code 303 See Other} to
 * {@code /links}. A demo, not authentication: the cookie is whatever name the visitor types.
 */
public class LoginServlet extends HttpServlet {
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

  /** Whether {@code user} is a name this servlet sets: only such users may add feeds ({@link FeedsServlet}). */
  static boolean isValidUserName(String user) {
    return user != null && USER.matcher(user).matches();
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    request.setCharacterEncoding(StandardCharsets.UTF_8.name());
    String user = request.getParameter("user");
    user = user == null ? "" : user.trim();
    if (!user.isEmpty() && !isValidUserName(user)) {
      response.sendError(HttpServletResponse.SC_BAD_REQUEST,
          "A user name is 1 to 32 letters, digits, '.', '-' or '_'");
      return;
    }
    Cookie cookie = new Cookie(LinksPage.USER_COOKIE, user);
    cookie.setPath(request.getContextPath().isEmpty() ? "/" : request.getContextPath());
    cookie.setHttpOnly(true);
    cookie.setAttribute("SameSite", "Lax");
    cookie.setMaxAge(user.isEmpty() ? 0 : 30 * 24 * 3600);
    response.addCookie(cookie);
    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
    response.setHeader("Location", request.getContextPath() + "/links");
  }
}
