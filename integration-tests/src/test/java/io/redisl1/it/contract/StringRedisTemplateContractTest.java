package io.redisl1.it.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assumptions.abort;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.redisl1.testsupport.RedisEndpoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import io.lettuce.core.codec.ByteArrayCodec;
import org.springframework.data.redis.connection.DecoratedRedisConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * The contract on Spring Data Redis's {@code StringRedisTemplate} on a {@code
 * LettuceConnectionFactory} with its defaults (one shared native connection).
 */
@Tag("spring-contract")
class StringRedisTemplateContractTest extends ClientContract {
  /** One set of event loops for every factory, as one Spring context would have; for the JVM's life. */
  private static final ClientResources RESOURCES = DefaultClientResources.create();

  @Override
  public Client open(RedisEndpoint redis, Scope scope) {
    return new TemplateClient(factory(redis, scope));
  }

  static LettuceConnectionFactory factory(RedisEndpoint redis, Scope scope) {
    RedisStandaloneConfiguration config = new RedisStandaloneConfiguration(redis.host(), redis.port());
    config.setDatabase(scope.db());
    if (scope.user() != null) {
      config.setUsername(scope.user());
      config.setPassword(scope.password());
    }
    LettuceClientConfiguration client =
        LettuceClientConfiguration.builder().clientResources(RESOURCES).commandTimeout(scope.timeout()).build();
    LettuceConnectionFactory factory = new LettuceConnectionFactory(config, client);
    // A pipeline written as one batch. With the default (flush each command) a pipelined GET may
    // find the write ahead of it already answered and be a correct hit, so counts would be luck.
    factory.setPipeliningFlushPolicy(LettuceConnection.PipeliningFlushPolicy.flushOnClose());
    factory.afterPropertiesSet();
    return factory;
  }

  @Test
  void aRedisTemplateWithJdkSerializedValuesIsCachedAndDeserializesEachHitAfresh() {
    String k = key("user:");
    LettuceConnectionFactory factory = factory(redis(), Scope.DEFAULT);
    try {
      RedisTemplate<String, Object> objects = new RedisTemplate<>();
      objects.setConnectionFactory(factory);
      objects.setKeySerializer(RedisSerializer.string());
      objects.afterPropertiesSet();
      ArrayList<Integer> list = new ArrayList<>(List.of(1, 2, 3));
      objects.opsForValue().set(k, list);
      long before = gets();

      Object first = objects.opsForValue().get(k);
      Object second = objects.opsForValue().get(k);
      assertEquals(list, first);
      assertEquals(list, second);
      assertNotSame(first, second, "each hit is deserialized into its own object");
      assertEquals(before + 1, gets(), "a RedisTemplate GET is cached too");
    } finally {
      factory.destroy();
    }
  }

  private static final class TemplateClient implements Client {
    private final LettuceConnectionFactory factory;
    private final StringRedisTemplate template;

    TemplateClient(LettuceConnectionFactory factory) {
      this.factory = factory;
      this.template = new StringRedisTemplate(factory);
    }

    /**
     * {@code LettuceConnection.execute} with an output for any reply: Spring's default output for a
     * command it has no type hint for takes bulk replies only (an integer reply fails, agent or not).
     */
    private static Object execute(RedisConnection c, String[] argv) {
      byte[][] args = new byte[argv.length - 1][];
      for (int i = 1; i < argv.length; i++) {
        args[i - 1] = argv[i].getBytes(UTF_8);
      }
      RedisConnection raw = c instanceof DecoratedRedisConnection decorated ? decorated.getDelegate() : c;
      return ((LettuceConnection) raw).execute(argv[0], new AnyReplyOutput<>(ByteArrayCodec.INSTANCE), args);
    }

    @Override
    public String get(String key) {
      return template.opsForValue().get(key);
    }

    @Override
    public String set(String key, String value) {
      template.opsForValue().set(key, value);
      return "OK";
    }

    @Override
    public long del(String key) {
      return Boolean.TRUE.equals(template.delete(key)) ? 1 : 0;
    }

    @Override
    public Object call(String... argv) {
      return Replies.normalize(template.execute((RedisCallback<Object>) c -> execute(c, argv)));
    }

    @Override
    public Object eval(String script, List<String> keys, List<String> args) {
      return template.execute(RedisScript.of(script, String.class), keys, args.toArray());
    }

    @Override
    public List<Object> pipeline(List<String[]> commands) {
      for (String[] argv : commands) {
        if (List.of("SELECT", "AUTH", "HELLO", "RESET").contains(argv[0])) {
          abort("Spring Data Redis refuses SELECT on its shared connection and authenticates only through the"
              + " connection factory: a template has no scope change to pipeline");
        }
      }
      try {
        return normalize(template.executePipelined((RedisCallback<Object>) c -> {
          for (String[] argv : commands) {
            execute(c, argv);
          }
          return null;
        }));
      } catch (org.springframework.data.redis.connection.RedisPipelineException e) {
        return normalize(e.getPipelineResult());
      }
    }

    @Override
    public List<Object> transaction(List<String[]> commands) {
      return normalize(template.execute(new SessionCallback<List<Object>>() {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public List<Object> execute(RedisOperations operations) throws DataAccessException {
          operations.multi();
          for (String[] argv : commands) {
            operations.execute((RedisCallback<Object>) c -> TemplateClient.execute(c, argv));
          }
          return operations.exec();
        }
      }));
    }

    private static List<Object> normalize(List<Object> replies) {
      List<Object> out = new ArrayList<>();
      for (Object r : replies) {
        out.add(r instanceof Throwable ? r : Replies.normalize(r));
      }
      return out;
    }

    @Override
    public void select(int db) {
      abort("Spring Data Redis refuses SELECT on its shared connection: the database comes from the connection factory");
    }

    @Override
    public void auth(String user, String password) {
      abort("a StringRedisTemplate has no AUTH: the user comes from the connection factory");
    }

    @Override
    public Pending send(String... argv) {
      return abort("StringRedisTemplate's calls wait for their reply: it has no un-awaited command");
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
      factory.destroy();
    }
  }
}
