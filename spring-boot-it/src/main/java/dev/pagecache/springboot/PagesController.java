package dev.pagecache.springboot;

import java.security.Principal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The pages. Each render is counted, so tests can tell a render from an answer out of the cache. */
@RestController
class PagesController {
  private final RenderCounter renders;

  PagesController(RenderCounter renders) {
    this.renders = renders;
  }

  /** Cached, and different for a logged-in user: the page a cache must never mix up. */
  @GetMapping(path = "/account", produces = "text/plain")
  String account(Principal user) {
    renders.rendered("/account");
    return "Hello " + (user == null ? "anonymous" : user.getName());
  }

  /** Cached, with Spring Security's default Cache-Control left on. */
  @GetMapping(path = "/news", produces = "text/plain")
  String news() {
    renders.rendered("/news");
    return "No news is good news";
  }

  /** Not cached. */
  @GetMapping(path = "/basket", produces = "text/plain")
  String basket() {
    renders.rendered("/basket");
    return "Your basket is empty";
  }
}
