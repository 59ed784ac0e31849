package io.redisl1.it.contract;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.redisl1.testsupport.RedisEndpoint;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/** The contract on Jedis's {@code RedisClient} (Jedis 7 on; JedisPooled's successor). */
@Tag("jedis-contract")
class RedisClientContractTest extends ClientContract {
  @BeforeEach
  void redisClientExists() {
    assumeTrue(JedisVersion.has("redis.clients.jedis.RedisClient"),
        "Jedis's RedisClient arrived in Jedis 7; JedisPooledContractTest proves the pool before it");
  }

  @Override
  public Client open(RedisEndpoint redis, Scope scope) {
    return new UnifiedJedisClient(FromJedis7.client(redis, JedisClient.config(scope)), null);
  }

  /** Kept apart so that the verifier never loads RedisClient on Jedis 4 to 6. */
  private static final class FromJedis7 {
    static UnifiedJedis client(RedisEndpoint redis, JedisClientConfig config) {
      return (UnifiedJedis) RedisClient.builder().hostAndPort(redis.host(), redis.port()).clientConfig(config).build();
    }
  }
}
