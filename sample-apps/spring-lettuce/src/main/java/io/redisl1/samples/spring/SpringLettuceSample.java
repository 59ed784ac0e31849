package io.redisl1.samples.spring;

import io.redisl1.testsupport.RedisHandle;
import io.redisl1.testsupport.RedisServers;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A plain Spring Boot app on Spring Data Redis's defaults ({@code StringRedisTemplate} on a {@code
 * LettuceConnectionFactory}). Nothing in it knows of the agent: run it with and without {@code
 * -javaagent} to compare. {@link HotKeysReport} does the work once the context is up.
 */
@SpringBootApplication
public class SpringLettuceSample {

  public static void main(String[] args) {
    // A service would get spring.data.redis.* from its configuration; here the server is started
    // first (embedded, or REDIS_URL) and handed over the same way, as lowest-precedence properties.
    try (RedisHandle redis = RedisServers.start()) {
      System.out.println("Redis: " + redis.description());
      SpringApplication app = new SpringApplication(SpringLettuceSample.class);
      app.setDefaultProperties(
          Map.of(
              "spring.data.redis.host", redis.endpoint().host(),
              "spring.data.redis.port", redis.endpoint().port()));
      int exitCode = SpringApplication.exit(app.run(args));
      if (exitCode != 0) {
        System.exit(exitCode);
      }
    }
  }
}
