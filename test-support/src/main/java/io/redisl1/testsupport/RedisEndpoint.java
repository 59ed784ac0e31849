package io.redisl1.testsupport;

/** Where a test Redis listens. Plain host and port, because both clients under test take those. */
public record RedisEndpoint(String host, int port) {

  /** The {@code redis://host:port} form that Jedis and Lettuce both accept. */
  public String uri() {
    return "redis://" + host + ":" + port;
  }

  /** Opens a fresh independent connection; the caller closes it. */
  public RespClient connect() {
    return new RespClient(host, port);
  }

  @Override
  public String toString() {
    return uri();
  }
}
