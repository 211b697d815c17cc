package dev.pagecache.springboot;

import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
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
 * Form login with two in-memory users, {@value #USERNAME} and the administrator {@value #ADMIN}.
 * {@code /account}, {@code /news} and {@code /basket} are open to everyone; {@code /account} and
 * {@code /news} are cached (see {@code pagecache.conf}).
 *
 * <p>Actuator has its own chain, as a monitoring client needs: HTTP Basic, no session, no CSRF
 * token (nothing a browser holds can be used against it). Health is open to everyone (details only
 * for admins, see application.properties); every other endpoint, the pagecache purge included, is
 * for admins only.
 *
 * <p>Spring Security's {@code Cache-Control: no-cache, no-store, ...} is kept on every response
 * except the anonymous view of {@code /account}. {@code /news} deliberately keeps Spring Security's
 * default, to show what pagecache does with it.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {
  static final String USERNAME = "alice";
  static final String PASSWORD = "wonderland";
  static final String ADMIN = "queen";
  static final String ADMIN_PASSWORD = "off-with-their-heads";

  private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();
  private static final RequestMatcher CACHEABLE_PAGES = PathPatternRequestMatcher.withDefaults().matcher("/account");

  @Bean
  @Order(1)
  SecurityFilterChain actuatorFilterChain(HttpSecurity http) throws Exception {
    http.securityMatcher(EndpointRequest.toAnyEndpoint())
        .authorizeHttpRequests(requests -> requests
            .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
            .anyRequest().hasRole("ADMIN"))
        .httpBasic(Customizer.withDefaults())
        .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable());
    return http.build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(requests -> requests
            .requestMatchers("/account", "/news", "/basket").permitAll()
            // The error page a refused Actuator call is dispatched to: a 401 must stay a 401, not
            // become this chain's redirect to the login form.
            .requestMatchers("/error").permitAll()
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
        User.withUsername(USERNAME).password("{noop}" + PASSWORD).roles("USER").build(),
        User.withUsername(ADMIN).password("{noop}" + ADMIN_PASSWORD).roles("USER", "ADMIN").build());
  }
}
