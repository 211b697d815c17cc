package dev.pagecache.springboot;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The running application as a browser sees it: plain HTTP, cookies only when given, no redirects followed. */
final class Site {
  static final String SESSION_COOKIE = "JSESSIONID";
  private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

  private final int port;

  Site(int port) {
    this.port = port;
  }

  /** A visitor without cookies. */
  Response get(String path) {
    return request().get(path);
  }

  /** A visitor whose browser sends this session cookie. */
  Response get(String path, String sessionId) {
    return request().cookie(SESSION_COOKIE, sessionId).get(path);
  }

  /** Opens the login form: Spring Security creates a session to keep the form's CSRF token in. */
  LoginForm openLoginForm() {
    Response page = get("/login");
    assertThat(page.statusCode()).isEqualTo(200);
    String sessionId = page.cookie(SESSION_COOKIE);
    assertThat(sessionId).as("session cookie set by GET /login").isNotNull();
    Matcher csrf = CSRF_FIELD.matcher(page.asString());
    assertThat(csrf.find()).as("CSRF field in the login form").isTrue();
    return new LoginForm(sessionId, csrf.group(1));
  }

  /** Logs in with the form, as a browser would; returns the logged-in session's id. */
  String logIn(String username, String password) {
    LoginForm form = openLoginForm();
    Response answer = request()
        .cookie(SESSION_COOKIE, form.sessionId())
        .formParam("username", username)
        .formParam("password", password)
        .formParam("_csrf", form.csrfToken())
        .post("/login");
    assertThat(answer.statusCode()).as("login answer").isEqualTo(302);
    assertThat(answer.header("Location")).as("login redirect").doesNotContain("error");
    // Spring Security gives the session a new id at login (session fixation protection).
    String loggedIn = answer.cookie(SESSION_COOKIE);
    return loggedIn != null ? loggedIn : form.sessionId();
  }

  /** A client that sends HTTP Basic credentials, as a monitoring tool does (no session, no CSRF token). */
  RequestSpecification as(String username, String password) {
    return request().auth().preemptive().basic(username, password);
  }

  /** A client without credentials. */
  RequestSpecification anonymous() {
    return request();
  }

  /** The absolute URL of a path, as clients request it (and pagecache keys it). */
  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private RequestSpecification request() {
    return given()
        .baseUri("http://127.0.0.1")
        .port(port)
        .config(RestAssuredConfig.config().redirect(RedirectConfig.redirectConfig().followRedirects(false)));
  }

  record LoginForm(String sessionId, String csrfToken) {}
}
