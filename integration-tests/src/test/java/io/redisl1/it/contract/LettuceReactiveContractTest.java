package io.redisl1.it.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.redisl1.testsupport.RedisEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The contract on Lettuce's reactive API. A command is written when subscribed to: its un-awaited
 * commands are publishers subscribed to and awaited later; its pipeline is the same with
 * auto-flush off, written by one {@code flushCommands()}.
 */
@Tag("lettuce-contract")
class LettuceReactiveContractTest extends ClientContract {
  private static final RedisClient CLIENT = LettuceCommands.client();

  @Override
  public Client open(RedisEndpoint redis, Scope scope) {
    return new ReactiveClient(CLIENT.connect(LettuceCommands.uri(redis, scope)));
  }

  @Test
  void aReactiveHitIsEmittedOnTheSubscribersThread() {
    String k = key("user:");
    server().call("SET", k, "alice");
    ReactiveClient c = (ReactiveClient) open();
    assertEquals("alice", c.get(k));
    long before = gets();
    Thread caller = Thread.currentThread();

    for (int i = 0; i < 20; i++) {
      assertEquals(Boolean.TRUE, c.reactive.get(k).map(v -> "alice".equals(v) && Thread.currentThread() == caller).block());
    }
    assertEquals(before, gets());
  }

  static final class ReactiveClient implements Client {
    private final StatefulRedisConnection<String, String> connection;
    final RedisReactiveCommands<String, String> reactive;

    ReactiveClient(StatefulRedisConnection<String, String> connection) {
      this.connection = connection;
      this.reactive = connection.reactive();
    }

    /** Subscribes now (so the command is written now); the reply comes later. */
    private CompletableFuture<?> subscribe(String[] argv) {
      return switch (argv[0]) {
        case "GET" -> reactive.get(argv[1]).toFuture();
        case "SET" -> argv.length == 3 ? reactive.set(argv[1], argv[2]).toFuture() : raw(argv).toFuture();
        case "SELECT" -> reactive.select(Integer.parseInt(argv[1])).toFuture();
        case "AUTH" -> reactive.auth(argv[1], argv[2]).toFuture();
        default -> raw(argv).toFuture();
      };
    }

    /** dispatch's Flux emits the one reply (an array reply's elements one by one; not used here). */
    private Mono<Object> raw(String[] argv) {
      return reactive.dispatch(LettuceCommands.keyword(argv[0]), LettuceCommands.output(), LettuceCommands.args(argv)).next();
    }

    @Override
    public String get(String key) {
      return reactive.get(key).block();
    }

    @Override
    public String set(String key, String value) {
      return reactive.set(key, value).block();
    }

    @Override
    public long del(String key) {
      return reactive.del(key).block();
    }

    @Override
    public Object call(String... argv) {
      return Replies.normalize(raw(argv).block());
    }

    @Override
    public Object eval(String script, List<String> keys, List<String> args) {
      return reactive.eval(script, ScriptOutputType.VALUE, keys.toArray(new String[0]), args.toArray(new String[0])).next().block();
    }

    /** Subscribed to with auto-flush off, written by one flushCommands(): a batch, as in the async API. */
    @Override
    public List<Object> pipeline(List<String[]> commands) {
      List<CompletableFuture<?>> replies = new ArrayList<>();
      connection.setAutoFlushCommands(false);
      try {
        for (String[] argv : commands) {
          replies.add(subscribe(argv));
        }
        connection.flushCommands();
      } finally {
        connection.setAutoFlushCommands(true);
      }
      List<Object> out = new ArrayList<>();
      for (CompletableFuture<?> f : replies) {
        out.add(LettuceCommands.resultOf(f));
      }
      return out;
    }

    @Override
    public List<Object> transaction(List<String[]> commands) {
      reactive.multi().block();
      for (String[] argv : commands) {
        subscribe(argv);
      }
      return LettuceCommands.results(reactive.exec().block());
    }

    @Override
    public void select(int db) {
      reactive.select(db).block();
    }

    @Override
    public void auth(String user, String password) {
      reactive.auth(user, password).block();
    }

    @Override
    public Pending send(String... argv) {
      CompletableFuture<?> reply = subscribe(argv);
      return () -> Replies.normalize(LettuceCommands.await(reply));
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
