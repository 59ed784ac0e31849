package io.redisl1.it.contract;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.redisl1.testsupport.RedisEndpoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the Lettuce adapters share: the client, scopes as RedisURIs, raw commands, replies. */
final class LettuceCommands {
  private LettuceCommands() {}

  /**
   * One client for every Lettuce adapter in the JVM (the mixed-clients case uses several), whose
   * commands time out on every API style as the sync API's do by default. It lives as long as the
   * test JVM: its event loops are daemon threads.
   */
  static RedisClient client() {
    return Shared.CLIENT;
  }

  private static final class Shared {
    static final RedisClient CLIENT = RedisClient.create();

    static {
      CLIENT.setOptions(ClientOptions.builder().timeoutOptions(TimeoutOptions.enabled()).build());
    }
  }

  /** The scope as a Lettuce application configures it. */
  static RedisURI uri(RedisEndpoint redis, Scope scope) {
    RedisURI.Builder b =
        RedisURI.builder().withHost(redis.host()).withPort(redis.port()).withDatabase(scope.db()).withTimeout(scope.timeout());
    if (scope.user() != null) {
      b.withAuthentication(scope.user(), scope.password());
    }
    return b.build();
  }

  static ProtocolKeyword keyword(String name) {
    try {
      return CommandType.valueOf(name);
    } catch (IllegalArgumentException unknownToLettuce) {
      return new Keyword(name);
    }
  }

  static CommandArgs<String, String> args(String[] argv) {
    CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
    for (int i = 1; i < argv.length; i++) {
      args.add(argv[i]);
    }
    return args;
  }

  static AnyReplyOutput<String, String> output() {
    return new AnyReplyOutput<>(StringCodec.UTF8);
  }

  static List<Object> results(TransactionResult result) {
    List<Object> out = new ArrayList<>();
    for (Object r : result) {
      out.add(r instanceof Throwable ? r : Replies.normalize(r));
    }
    return out;
  }

  /** The reply, or the error reply's own exception (not wrapped). */
  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("no reply within 30s", e);
    }
  }

  /** The reply, or the error as a value: for pipelines, whose elements may each fail. */
  static Object resultOf(CompletionStage<?> stage) {
    try {
      return Replies.normalize(await(stage));
    } catch (RuntimeException error) {
      return error;
    }
  }

  /** A command Lettuce has no CommandType for. */
  private static final class Keyword implements ProtocolKeyword {
    private final String name;
    private final byte[] bytes;

    Keyword(String name) {
      this.name = name;
      this.bytes = name.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public byte[] getBytes() {
      return bytes;
    }

    /** Lettuce before 6.5 declares name(); later versions use toString(). */
    public String name() {
      return name;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
