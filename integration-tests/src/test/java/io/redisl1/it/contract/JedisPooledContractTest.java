package io.redisl1.it.contract;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.redisl1.testsupport.RedisEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.UnifiedJedis;

/**
 * The contract on {@code JedisPooled} (Jedis 4 to 7). Built reflectively: no class here may name
 * JedisPooled, or test discovery fails on Jedis 8, which has none.
 */
@Tag("jedis-contract")
class JedisPooledContractTest extends ClientContract {
  @BeforeEach
  void jedisPooledExists() {
    assumeTrue(JedisVersion.has("redis.clients.jedis.JedisPooled"),
        "Jedis 8 removed JedisPooled; RedisClientContractTest proves its successor RedisClient");
  }

  @Override
  public Client open(RedisEndpoint redis, Scope scope) {
    UnifiedJedis pooled = JedisVersion.construct("redis.clients.jedis.JedisPooled",
        new Class<?>[] {HostAndPort.class, JedisClientConfig.class}, JedisClient.address(redis), JedisClient.config(scope));
    return new UnifiedJedisClient(pooled, null);
  }
}
