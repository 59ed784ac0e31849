package io.redisl1.it.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.abort;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.redisl1.testsupport.RedisEndpoint;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The contract on Lettuce's sync API, plus a byte[] codec connection. */
@Tag("lettuce-contract")
class LettuceSyncContractTest extends ClientContract {
  private static final RedisClient CLIENT = LettuceCommands.client();

  @Override
  public Client open(RedisEndpoint redis, Scope scope) {
    return new SyncClient(CLIENT.connect(LettuceCommands.uri(redis, scope)));
  }

  @Test
  void aByteArrayCodecConnectionSharesTheL1AndItsHitsAreCopies() {
    String k = key("user:");
    server().call("SET", k, "alice");
    try (StatefulRedisConnection<byte[], byte[]> b = CLIENT.connect(ByteArrayCodec.INSTANCE, LettuceCommands.uri(redis(), Scope.DEFAULT))) {
      long before = gets();

      byte[] first = b.sync().get(k.getBytes(UTF_8));
      first[0] = 'X';
      byte[] second = b.sync().get(k.getBytes(UTF_8));
      assertEquals("alice", new String(second, UTF_8), "a mutated byte[] hit leaked into the cache");
      second[0] = 'Y';
      assertEquals("alice", new String(b.sync().get(k.getBytes(UTF_8)), UTF_8));
      assertEquals(before + 1, gets());
      assertEquals("alice", open().get(k), "a String codec connection shares the byte[] connection's entry");
      assertEquals(before + 1, gets());
    }
  }

  private static final class SyncClient implements Client {
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> sync;

    SyncClient(StatefulRedisConnection<String, String> connection) {
      this.connection = connection;
      this.sync = connection.sync();
    }

    @Override
    public String get(String key) {
      return sync.get(key);
    }

    @Override
    public String set(String key, String value) {
      return sync.set(key, value);
    }

    @Override
    public long del(String key) {
      return sync.del(key);
    }

    @Override
    public Object call(String... argv) {
      return Replies.normalize(sync.dispatch(LettuceCommands.keyword(argv[0]), LettuceCommands.output(), LettuceCommands.args(argv)));
    }

    @Override
    public Object eval(String script, List<String> keys, List<String> args) {
      return sync.eval(script, ScriptOutputType.VALUE, keys.toArray(new String[0]), args.toArray(new String[0]));
    }

    @Override
    public List<Object> pipeline(List<String[]> commands) {
      return abort("Lettuce's sync API waits for each reply: it has no pipeline (LettuceAsyncContractTest proves batches)");
    }

    @Override
    public List<Object> transaction(List<String[]> commands) {
      sync.multi();
      for (String[] argv : commands) {
        sync.dispatch(LettuceCommands.keyword(argv[0]), LettuceCommands.output(), LettuceCommands.args(argv));
      }
      return LettuceCommands.results(sync.exec());
    }

    @Override
    public void select(int db) {
      sync.select(db);
    }

    @Override
    public void auth(String user, String password) {
      sync.auth(user, password);
    }

    @Override
    public Pending send(String... argv) {
      return abort("Lettuce's sync API waits for every reply (LettuceAsyncContractTest proves un-awaited commands)");
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
