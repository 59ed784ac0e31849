package io.redisl1.it.contract;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.redisl1.testsupport.RedisEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.UnifiedJedis;

/**
 * The contract on Jedis's {@code RedisClient} (Jedis 7 on; JedisPooled's successor). Built
 * reflectively, as its builder would be called: no class here may name RedisClient, or test
 * discovery fails on Jedis 4 to 6, which have none.
 */
@Tag("jedis-contract")
class RedisClientContractTest extends ClientContract {
  @BeforeEach
  void redisClientExists() {
    assumeTrue(JedisVersion.has("redis.clients.jedis.RedisClient"),
        "Jedis's RedisClient arrived in Jedis 7; JedisPooledContractTest proves the pool before it");
  }

  @Override
  public Client open(RedisEndpoint redis, Scope scope) {
    // RedisClient.builder().hostAndPort(host, port).clientConfig(config).build()
    Object builder = JedisVersion.invoke(JedisVersion.type("redis.clients.jedis.RedisClient"), null, "builder", new Class<?>[0]);
    builder = JedisVersion.invoke(builder.getClass(), builder, "hostAndPort", new Class<?>[] {String.class, int.class}, redis.host(), redis.port());
    builder = JedisVersion.invoke(builder.getClass(), builder, "clientConfig", new Class<?>[] {JedisClientConfig.class}, JedisClient.config(scope));
    return new UnifiedJedisClient((UnifiedJedis) JedisVersion.invoke(builder.getClass(), builder, "build", new Class<?>[0]), null);
  }
}
