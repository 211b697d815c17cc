package dev.pagecache.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small Spring Boot application with Spring Security form login, Actuator and pagecache from
 * pagecache-spring-boot-starter, set up the way the README's "Spring Boot" section says. It exists
 * for the integration tests of this module; run it by hand with {@code main} to look around.
 */
@SpringBootApplication
public class AccountApplication {
  public static void main(String[] args) {
    SpringApplication.run(AccountApplication.class, args);
  }
}
