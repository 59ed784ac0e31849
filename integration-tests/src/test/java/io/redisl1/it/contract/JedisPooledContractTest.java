package io.redisl1.it.contract;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.redisl1.testsupport.RedisEndpoint;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/** The contract on {@code JedisPooled} (Jedis 4 to 7). */
@Tag("jedis-contract")
class JedisPooledContractTest extends ClientContract {
  @BeforeEach
  void jedisPooledExists() {
    assumeTrue(JedisVersion.has("redis.clients.jedis.JedisPooled"),
        "Jedis 8 removed JedisPooled; RedisClientContractTest proves its successor RedisClient");
  }

  @Override
  public Client open(RedisEndpoint redis, Scope scope) {
    return new UnifiedJedisClient(UpToJedis7.pooled(JedisClient.address(redis), JedisClient.config(scope)), null);
  }

  /** Kept apart so that the verifier never loads JedisPooled on Jedis 8. */
  private static final class UpToJedis7 {
    static UnifiedJedis pooled(HostAndPort address, JedisClientConfig config) {
      return new JedisPooled(address, config);
    }
  }
}
