package io.redisl1.it.contract;

import static org.junit.jupiter.api.Assumptions.abort;

import io.redisl1.testsupport.RedisEndpoint;
import org.junit.jupiter.api.Tag;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

/** The contract on a {@code JedisPool}: every call borrows a Jedis and gives it back. */
@Tag("jedis-contract")
class JedisPoolContractTest extends ClientContract {
  @Override
  public Client open(RedisEndpoint redis, Scope scope) {
    return new PoolClient(new JedisPool(new GenericObjectPoolConfig<>(), JedisClient.address(redis), JedisClient.config(scope)));
  }

  private static final class PoolClient implements Client {
    private final JedisPool pool;

    PoolClient(JedisPool pool) {
      this.pool = pool;
    }

    private <T> T borrowed(Function<Jedis, T> use) {
      try (Jedis jedis = pool.getResource()) {
        return use.apply(jedis);
      }
    }

    @Override
    public String get(String key) {
      return borrowed(j -> j.get(key));
    }

    @Override
    public String set(String key, String value) {
      return borrowed(j -> j.set(key, value));
    }

    @Override
    public long del(String key) {
      return borrowed(j -> j.del(key));
    }

    @Override
    public Object call(String... argv) {
      return borrowed(j -> JedisCommands.call(j, argv));
    }

    @Override
    public Object eval(String script, List<String> keys, List<String> args) {
      return borrowed(j -> Replies.normalize(j.eval(script, keys, args)));
    }

    @Override
    public List<Object> pipeline(List<String[]> commands) {
      return borrowed(j -> JedisCommands.pipeline(j.pipelined(), commands));
    }

    @Override
    public List<Object> transaction(List<String[]> commands) {
      return borrowed(j -> JedisCommands.transaction(j.multi(), commands));
    }

    @Override
    public void select(int db) {
      abort("a JedisPool lends a connection per call: its database comes from JedisClientConfig"
          + " (a SELECT on one borrowed Jedis is the plain Jedis case)");
    }

    @Override
    public void auth(String user, String password) {
      abort("a JedisPool lends a connection per call: its user comes from JedisClientConfig"
          + " (an AUTH on one borrowed Jedis is the plain Jedis case)");
    }

    @Override
    public Pending send(String... argv) {
      return abort("Jedis waits for the reply of every single command; its un-awaited form is the pipeline");
    }

    @Override
    public boolean ownsOneConnection() {
      return false;
    }

    @Override
    public boolean threadSafe() {
      return true;
    }

    @Override
    public void close() {
      pool.close();
    }
  }
}
