package io.redisl1.it.contract;

import static io.redisl1.it.contract.LettuceCommands.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.redisl1.testsupport.RedisEndpoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The contract on Lettuce's async API ({@code RedisFuture}). Its pipeline is a batch: commands
 * queued with auto-flush off and written by one {@code flushCommands()}; its un-awaited commands
 * are futures not yet waited for.
 */
@Tag("lettuce-contract")
class LettuceAsyncContractTest extends ClientContract {
  private static final RedisClient CLIENT = LettuceCommands.client();

  @Override
  public Client open(RedisEndpoint redis, Scope scope) {
    return new AsyncClient(CLIENT.connect(LettuceCommands.uri(redis, scope)));
  }

  @Test
  void anAsyncHitIsCompleteWhenItsFutureIsReturned() {
    String k = key("user:");
    server().call("SET", k, "alice");
    AsyncClient c = (AsyncClient) open();
    assertEquals("alice", c.get(k));
    long before = gets();

    for (int i = 0; i < 20; i++) {
      RedisFuture<String> hit = c.async.get(k);
      assertTrue(hit.isDone(), "an async hit completes before dispatch returns");
      assertEquals("alice", await(hit));
    }
    assertEquals(before, gets());
  }

  static final class AsyncClient implements Client {
    private final StatefulRedisConnection<String, String> connection;
    final RedisAsyncCommands<String, String> async;

    AsyncClient(StatefulRedisConnection<String, String> connection) {
      this.connection = connection;
      this.async = connection.async();
    }

    /** A command through the typed method where the contract's commands have one, else dispatch. */
    private RedisFuture<?> dispatch(String[] argv) {
      return switch (argv[0]) {
        case "GET" -> async.get(argv[1]);
        case "SET" -> argv.length == 3 ? async.set(argv[1], argv[2]) : raw(argv);
        case "SELECT" -> async.select(Integer.parseInt(argv[1]));
        case "AUTH" -> async.auth(argv[1], argv[2]);
        default -> raw(argv);
      };
    }

    private RedisFuture<Object> raw(String[] argv) {
      return async.dispatch(LettuceCommands.keyword(argv[0]), LettuceCommands.output(), LettuceCommands.args(argv));
    }

    @Override
    public String get(String key) {
      return await(async.get(key));
    }

    @Override
    public String set(String key, String value) {
      return await(async.set(key, value));
    }

    @Override
    public long del(String key) {
      return await(async.del(key));
    }

    @Override
    public Object call(String... argv) {
      return Replies.normalize(await(raw(argv)));
    }

    @Override
    public Object eval(String script, List<String> keys, List<String> args) {
      return await(async.eval(script, ScriptOutputType.VALUE, keys.toArray(new String[0]), args.toArray(new String[0])));
    }

    @Override
    public List<Object> pipeline(List<String[]> commands) {
      List<RedisFuture<?>> futures = new ArrayList<>();
      connection.setAutoFlushCommands(false);
      try {
        for (String[] argv : commands) {
          futures.add(dispatch(argv));
        }
        connection.flushCommands();
      } finally {
        connection.setAutoFlushCommands(true);
      }
      List<Object> replies = new ArrayList<>();
      for (RedisFuture<?> f : futures) {
        replies.add(LettuceCommands.resultOf(f));
      }
      return replies;
    }

    @Override
    public List<Object> transaction(List<String[]> commands) {
      await(async.multi());
      for (String[] argv : commands) {
        dispatch(argv);
      }
      return LettuceCommands.results(await(async.exec()));
    }

    @Override
    public void select(int db) {
      await(async.select(db));
    }

    @Override
    public void auth(String user, String password) {
      await(async.auth(user, password));
    }

    @Override
    public Pending send(String... argv) {
      RedisFuture<?> reply = dispatch(argv);
      return () -> Replies.normalize(await(reply));
    }

    @Override
    public boolean ownsOneConnection() {
      return true;
    }

    @Override
    public boolean threadSafe() {
      return true;
    }

    @Override
    public void close() {
      connection.close();
    }
  }
}
