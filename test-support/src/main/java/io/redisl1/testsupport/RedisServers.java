package io.redisl1.testsupport;

/**
 * Gets a real Redis without JUnit, e.g. from a sample app's or benchmark's {@code main}:
 *
 * <pre>{@code
 * try (RedisHandle redis = RedisServers.start()) {
 *   run(redis.endpoint().uri());
 * }
 * }</pre>
 *
 * <p>Sources, first that applies: the server named by env {@code REDIS_URL} (never stopped by
 * us); else the embedded {@code redis-server} binary on a free 127.0.0.1 port; else, if that
 * binary cannot run here, Testcontainers {@code redis:7-alpine} when Testcontainers is on the
 * classpath and a Docker engine is reachable. Every source is ready only once it answers PING.
 */
public final class RedisServers {
  /** Env var naming an existing server, e.g. {@code redis://localhost:6379}. */
  public static final String REDIS_URL = "REDIS_URL";
  /**
   * Env var naming a {@code redis-server} binary to start instead of the embedded-redis jar's
   * (6.2), e.g. Debian's {@code /usr/bin/redis-server} (7.0) for the version matrix.
   */
  public static final String REDIS_SERVER = "REDIS_SERVER";

  private RedisServers() {}

  public static RedisHandle start() {
    String url = System.getenv(REDIS_URL);
    if (url != null && !url.isBlank()) {
      return ExternalRedis.connect(url);
    }
    try {
      return EmbeddedRedis.start();
    } catch (RuntimeException embeddedFailed) {
      if (!ContainerRedis.available()) {
        throw new IllegalStateException(
            "the embedded redis-server did not start, and there is no Testcontainers with a Docker"
                + " engine to fall back on; set " + REDIS_URL + " to use an existing server",
            embeddedFailed);
      }
      try {
        return ContainerRedis.start();
      } catch (RuntimeException containerFailed) {
        containerFailed.addSuppressed(embeddedFailed);
        throw containerFailed;
      }
    }
  }

  /**
   * Always a fresh private server from the embedded binary, ignoring {@code REDIS_URL}: for tests
   * that must stop the server or change its configuration.
   */
  public static RedisHandle startEmbedded() {
    return EmbeddedRedis.start();
  }

  /** A fresh private server with extra {@code redis-server} options, e.g. {@code "--cluster-enabled", "yes"}. */
  public static RedisHandle startEmbedded(String... extraArgs) {
    return EmbeddedRedis.start(extraArgs);
  }
}
