package io.redisl1.it.contract;

import static org.junit.jupiter.api.Assumptions.abort;

import io.redisl1.testsupport.RedisEndpoint;
import java.util.List;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/** A plain {@link Jedis}: one connection the application holds and configures with SELECT and AUTH. */
final class JedisClient implements Client {
  private final Jedis jedis;

  JedisClient(Jedis jedis) {
    this.jedis = jedis;
  }

  static HostAndPort address(RedisEndpoint redis) {
    return new HostAndPort(redis.host(), redis.port());
  }

  /** The scope as a Jedis application configures it. */
  static JedisClientConfig config(Scope scope) {
    DefaultJedisClientConfig.Builder b =
        DefaultJedisClientConfig.builder()
            .database(scope.db())
            .socketTimeoutMillis((int) scope.timeout().toMillis())
            .connectionTimeoutMillis(10_000);
    if (scope.user() != null) {
      b.user(scope.user()).password(scope.password());
    }
    return b.build();
  }

  @Override
  public String get(String key) {
    return jedis.get(key);
  }

  @Override
  public String set(String key, String value) {
    return jedis.set(key, value);
  }

  @Override
  public long del(String key) {
    return jedis.del(key);
  }

  @Override
  public Object call(String... argv) {
    return JedisCommands.call(jedis, argv);
  }

  @Override
  public Object eval(String script, List<String> keys, List<String> args) {
    return Replies.normalize(jedis.eval(script, keys, args));
  }

  @Override
  public List<Object> pipeline(List<String[]> commands) {
    return JedisCommands.pipeline(jedis.pipelined(), commands);
  }

  @Override
  public List<Object> transaction(List<String[]> commands) {
    return JedisCommands.transaction(jedis.multi(), commands);
  }

  @Override
  public void select(int db) {
    jedis.select(db);
  }

  @Override
  public void auth(String user, String password) {
    jedis.auth(user, password);
  }

  @Override
  public Pending send(String... argv) {
    return abort("Jedis waits for the reply of every single command; its un-awaited form is the pipeline");
  }

  @Override
  public boolean ownsOneConnection() {
    return true;
  }

  @Override
  public boolean threadSafe() {
    return false;
  }

  @Override
  public void close() {
    jedis.close();
  }
}
