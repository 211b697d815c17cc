package dev.pagecache.springboot;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.CacheControlHeadersWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Form login with one in-memory user. {@code /account}, {@code /news} and {@code /basket} are open
 * to everyone; {@code /account} and {@code /news} are cached (see {@link PageCacheConfiguration}).
 *
 * <p>Spring Security's {@code Cache-Control: no-cache, no-store, ...} is kept on every response
 * except the anonymous view of {@code /account}. {@code /news} deliberately keeps Spring Security's
 * default, to show what pagecache does with it.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {
  static final String USERNAME = "alice";
  static final String PASSWORD = "wonderland";

  private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();
  private static final RequestMatcher CACHEABLE_PAGES = PathPatternRequestMatcher.withDefaults().matcher("/account");

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(requests -> requests
            .requestMatchers("/account", "/news", "/basket").permitAll()
            .anyRequest().authenticated())
        .formLogin(Customizer.withDefaults());
    // Spring Security's no-store on every response but the anonymous views of cacheable pages.
    http.headers(headers -> headers
        .cacheControl(cacheControl -> cacheControl.disable())
        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
            new NegatedRequestMatcher(anonymousViewOfCacheablePage()), new CacheControlHeadersWriter())));
    return http.build();
  }

  /** Evaluated when the headers are written, while the security context is still in place. */
  private static RequestMatcher anonymousViewOfCacheablePage() {
    return request -> CACHEABLE_PAGES.matches(request)
        && !TRUST.isAuthenticated(SecurityContextHolder.getContext().getAuthentication());
  }

  @Bean
  UserDetailsService users() {
    // {noop}: a test user; a password hash would only slow every login down.
    return new InMemoryUserDetailsManager(
        User.withUsername(USERNAME).password("{noop}" + PASSWORD).roles("USER").build());
  }
}
