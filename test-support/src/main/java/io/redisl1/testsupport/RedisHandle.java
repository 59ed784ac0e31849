package io.redisl1.testsupport;

/**
 * A Redis server obtained from {@link RedisServers}. Closing stops it only if we started it; a
 * server named by {@code REDIS_URL} belongs to someone else and is left running.
 */
public interface RedisHandle extends AutoCloseable {

  RedisEndpoint endpoint();

  /** Where the server came from, for logs and failure messages. */
  String description();

  /** Idempotent; never throws, so it is safe in {@code finally} blocks and JUnit callbacks. */
  @Override
  void close();
}
