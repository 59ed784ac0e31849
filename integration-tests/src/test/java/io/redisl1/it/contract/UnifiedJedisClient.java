package io.redisl1.it.contract;

import static org.junit.jupiter.api.Assumptions.abort;

import java.util.List;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.UnifiedJedis;

/**
 * A {@link UnifiedJedis}: {@code JedisPooled}, {@code RedisClient}, or one over a single
 * connection. A pooled one's {@code pipelined()} and {@code multi()} changed their declared return types
 * between Jedis 4, 5 and 7 (Object, PipelineBase, AbstractPipeline...), so code compiled against
 * one version cannot call them on another: they are called reflectively, and what they return is
 * the {@link Pipeline} and {@link Transaction} every version hands out for a standalone server.
 */
final class UnifiedJedisClient implements Client {
  private final UnifiedJedis jedis;
  /** The one connection it was built over, or null for a pool. */
  private final Connection connection;
  private final boolean oneConnection;

  /**
   * {@code connection}: the single Connection the UnifiedJedis was built over (SELECT and AUTH
   * sent on it last, and its pipelines and transactions are made on it, as UnifiedJedis refuses
   * to make them itself), or null for a pooled one.
   */
  UnifiedJedisClient(UnifiedJedis jedis, Connection connection) {
    this.jedis = jedis;
    this.connection = connection;
    this.oneConnection = connection != null;
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
    return Replies.normalize(jedis.sendCommand(JedisCommands.command(argv[0]), JedisCommands.args(argv)));
  }

  @Override
  public Object eval(String script, List<String> keys, List<String> args) {
    return Replies.normalize(jedis.eval(script, keys, args));
  }

  @Override
  public List<Object> pipeline(List<String[]> commands) {
    return JedisCommands.pipeline(oneConnection ? new Pipeline(connection) : invoke("pipelined", Pipeline.class), commands);
  }

  @Override
  public List<Object> transaction(List<String[]> commands) {
    return JedisCommands.transaction(oneConnection ? new Transaction(connection) : invoke("multi", Transaction.class), commands);
  }

  @Override
  public void select(int db) {
    if (!oneConnection) {
      abort("a pooled UnifiedJedis has no SELECT: its database comes from JedisClientConfig");
    }
    // UnifiedJedis has no select(): over one connection, the raw command is how an application switches.
    call("SELECT", Integer.toString(db));
  }

  @Override
  public void auth(String user, String password) {
    if (!oneConnection) {
      abort("a pooled UnifiedJedis has no AUTH: its user comes from JedisClientConfig");
    }
    call("AUTH", user, password);
  }

  @Override
  public Pending send(String... argv) {
    return abort("Jedis waits for the reply of every single command; its un-awaited form is the pipeline");
  }

  @Override
  public boolean ownsOneConnection() {
    return oneConnection;
  }

  @Override
  public boolean threadSafe() {
    return !oneConnection;
  }

  @Override
  public void close() {
    jedis.close();
  }

  private <T> T invoke(String method, Class<T> expected) {
    Object result;
    try {
      result = jedis.getClass().getMethod(method).invoke(jedis);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(jedis.getClass().getName() + " has no public " + method + "()", e);
    }
    if (!expected.isInstance(result)) {
      throw new IllegalStateException(method + "() returned a " + result.getClass().getName() + ", not a " + expected.getName());
    }
    return expected.cast(result);
  }
}
