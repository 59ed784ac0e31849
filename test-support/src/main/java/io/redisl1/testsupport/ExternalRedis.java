package io.redisl1.testsupport;

import java.net.URI;
import java.time.Duration;

/** A server named by {@code REDIS_URL}: someone else owns it, so closing never stops it. */
final class ExternalRedis implements RedisHandle {
  private static final Duration PING_TIMEOUT = Duration.ofSeconds(10);

  private final RedisEndpoint endpoint;
  private final String url;

  private ExternalRedis(RedisEndpoint endpoint, String url) {
    this.endpoint = endpoint;
    this.url = url;
  }

  static ExternalRedis connect(String url) {
    URI uri = URI.create(url.trim());
    // RespClient speaks neither TLS nor AUTH, and tests pick their own db with SELECT; refusing
    // such URLs here beats a confusing NOAUTH or handshake failure in some later test.
    if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("REDIS_URL must look like redis://host:port, got " + url);
    }
    if (uri.getUserInfo() != null) {
      throw new IllegalArgumentException("credentials in REDIS_URL are not supported: " + url);
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (!path.isEmpty() && !path.equals("/") && !path.equals("/0")) {
      throw new IllegalArgumentException("REDIS_URL must not pick a database: " + url);
    }
    RedisEndpoint endpoint = new RedisEndpoint(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
    Readiness.awaitPing(endpoint, PING_TIMEOUT, () -> true, () -> "(from REDIS_URL=" + url + ")");
    return new ExternalRedis(endpoint, url);
  }

  @Override
  public RedisEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public String description() {
    return "REDIS_URL " + url;
  }

  @Override
  public void close() {
    // Not ours to stop.
  }
}
