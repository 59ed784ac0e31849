package io.redisl1.it.contract;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.redisl1.testsupport.RedisEndpoint;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.Connection;
import redis.clients.jedis.UnifiedJedis;

/** The contract on a {@code UnifiedJedis} over one {@code Connection} the application holds. */
@Tag("jedis-contract")
class UnifiedJedisContractTest extends ClientContract {
  @BeforeEach
  void unifiedJedisCanBeBuiltOverAConnection() {
    assumeTrue(JedisVersion.hasConstructor(UnifiedJedis.class, Connection.class),
        "Jedis 8 has no public UnifiedJedis(Connection): applications build RedisClient (RedisClientContractTest)");
  }

  @Override
  public Client open(RedisEndpoint redis, Scope scope) {
    Connection connection = new Connection(JedisClient.address(redis), JedisClient.config(scope));
    return new UnifiedJedisClient(new UnifiedJedis(connection), connection);
  }
}
