package io.redisl1.it.differential;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisHandle;
import io.redisl1.testsupport.RedisServers;
import io.redisl1.testsupport.RespClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;

/**
 * Runs command sequences (one file, sequences separated by {@code #} lines) and prints every reply,
 * one line per step: {@code <sequence> <step> <reply>}. Each sequence gets a fresh redis-server and
 * fresh connections, two Jedis and two Lettuce ones, driven from this one thread in the order of
 * the steps, so the replies depend on nothing but the steps (and the agent, when it is attached).
 * Last, per sequence, {@code <sequence> gets <n>}: the GETs that reached the server.
 */
public final class DifferentialProgram {
  static final List<String> CONNECTIONS = List.of("J0", "J1", "L0", "L1");
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

  public static void main(String[] args) throws Exception {
    List<List<Step>> sequences = Sequences.read(Path.of(args[0]));
    ClientResources resources = DefaultClientResources.create();
    try {
      for (int i = 0; i < sequences.size(); i++) {
        run(i, sequences.get(i), resources);
      }
    } finally {
      resources.shutdown(0, 0, TimeUnit.SECONDS);
    }
    System.out.flush();
  }

  static int connectionIndex(String name) {
    int index = CONNECTIONS.indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException("no connection '" + name + "'; expected one of " + CONNECTIONS);
    }
    return index;
  }

  private static void run(int sequence, List<Step> steps, ClientResources resources) throws Exception {
    try (RedisHandle server = RedisServers.startEmbedded()) {
      RedisEndpoint endpoint = server.endpoint();
      RedisClient client = RedisClient.create(resources, RedisURI.create(endpoint.host(), endpoint.port()));
      client.setDefaultTimeout(REPLY_TIMEOUT);
      List<Jedis> jedis = List.of(new Jedis(endpoint.host(), endpoint.port()), new Jedis(endpoint.host(), endpoint.port()));
      List<StatefulRedisConnection<String, String>> lettuce = List.of(client.connect(), client.connect());
      try {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
          Step step = steps.get(i);
          String reply = step.connection() < 2
              ? onJedis(jedis.get(step.connection()), step)
              : onLettuce(lettuce.get(step.connection() - 2), step);
          out.append(sequence).append(' ').append(i).append(' ').append(reply).append('\n');
          if (step.sleepAfterMillis() > 0) {
            Thread.sleep(step.sleepAfterMillis());
          }
        }
        try (RespClient watcher = endpoint.connect()) {
          out.append(sequence).append(" gets ").append(watcher.commandCalls("get")).append('\n');
        }
        System.out.print(out);
      } finally {
        jedis.forEach(Jedis::close);
        lettuce.forEach(StatefulRedisConnection::close);
        client.shutdown(0, 0, TimeUnit.SECONDS);
      }
    }
  }

  private static String onJedis(Jedis jedis, Step step) {
    List<List<String>> commands = step.commands();
    switch (step.kind()) {
      case SINGLE -> {
        List<String> c = commands.get(0);
        return Replies.render(c.get(0), () -> switch (c.get(0)) {
          case "GET" -> jedis.get(c.get(1));
          case "SELECT" -> jedis.select(Integer.parseInt(c.get(1)));
          default -> jedis.sendCommand(jedisCommand(c), args(c));
        });
      }
      case PIPELINE -> {
        Pipeline pipeline = jedis.pipelined();
        List<Response<?>> responses = new ArrayList<>();
        for (List<String> c : commands) {
          responses.add(switch (c.get(0)) {
            case "GET" -> pipeline.get(c.get(1));
            case "SELECT" -> pipeline.select(Integer.parseInt(c.get(1)));
            default -> pipeline.sendCommand(jedisCommand(c), args(c));
          });
        }
        pipeline.sync();
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
          Response<?> response = responses.get(i);
          replies.add(Replies.render(commands.get(i).get(0), response::get));
        }
        return replies.toString();
      }
      default -> {
        Transaction transaction = jedis.multi();
        for (List<String> c : commands) {
          if (c.get(0).equals("GET")) {
            transaction.get(c.get(1));
          } else {
            transaction.sendCommand(jedisCommand(c), args(c));
          }
        }
        return Replies.renderTransaction(commands, transaction::exec);
      }
    }
  }

  private static String onLettuce(StatefulRedisConnection<String, String> connection, Step step) {
    RedisAsyncCommands<String, String> async = connection.async();
    List<List<String>> commands = step.commands();
    switch (step.kind()) {
      case SINGLE -> {
        List<String> c = commands.get(0);
        return Replies.render(c.get(0), () -> switch (c.get(0)) {
          case "GET" -> connection.sync().get(c.get(1));
          case "SELECT" -> connection.sync().select(Integer.parseInt(c.get(1)));
          default -> connection.sync().dispatch(lettuceCommand(c), new ArrayOutput<>(StringCodec.UTF8), lettuceArgs(c));
        });
      }
      case PIPELINE -> {
        connection.setAutoFlushCommands(false);
        List<RedisFuture<?>> futures = new ArrayList<>();
        try {
          for (List<String> c : commands) {
            futures.add(lettuceAsync(async, c));
          }
          connection.flushCommands();
        } finally {
          connection.setAutoFlushCommands(true);
        }
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
          RedisFuture<?> future = futures.get(i);
          replies.add(Replies.render(commands.get(i).get(0), () -> await(future)));
        }
        return replies.toString();
      }
      default -> {
        String started = Replies.render("MULTI", () -> await(async.multi()));
        for (List<String> c : commands) {
          lettuceAsync(async, c);
        }
        return started + " " + Replies.renderTransaction(commands, () -> results((TransactionResult) await(async.exec())));
      }
    }
  }

  private static RedisFuture<?> lettuceAsync(RedisAsyncCommands<String, String> async, List<String> c) {
    return switch (c.get(0)) {
      case "GET" -> async.get(c.get(1));
      case "SELECT" -> async.select(Integer.parseInt(c.get(1)));
      default -> async.dispatch(lettuceCommand(c), new ArrayOutput<>(StringCodec.UTF8), lettuceArgs(c));
    };
  }

  /** Lettuce's EXEC reply is not a List: its elements, or null when a WATCH discarded it. */
  private static List<Object> results(TransactionResult result) {
    return result.wasDiscarded() ? null : result.stream().toList();
  }

  private static Object await(RedisFuture<?> future) {
    try {
      return future.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** RAWGET is a GET sent through the client's untyped command API. */
  private static String name(List<String> command) {
    return command.get(0).equals("RAWGET") ? "GET" : command.get(0);
  }

  private static Protocol.Command jedisCommand(List<String> command) {
    return Protocol.Command.valueOf(name(command));
  }

  private static String[] args(List<String> command) {
    return command.subList(1, command.size()).toArray(new String[0]);
  }

  private static CommandType lettuceCommand(List<String> command) {
    return CommandType.valueOf(name(command));
  }

  private static CommandArgs<String, String> lettuceArgs(List<String> command) {
    CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
    for (String arg : command.subList(1, command.size())) {
      args.add(arg);
    }
    return args;
  }

  /** Reads the sequences file. */
  static final class Sequences {
    static List<List<Step>> read(Path file) throws java.io.IOException {
      List<List<Step>> sequences = new ArrayList<>();
      List<Step> current = null;
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith("#")) {
          current = new ArrayList<>();
          sequences.add(current);
        } else if (!line.isBlank()) {
          if (current == null) {
            throw new IllegalArgumentException(file + ": a sequence must start with a '#' line");
          }
          current.add(Step.parse(line));
        }
      }
      return sequences;
    }

    static void write(Path file, List<List<Step>> sequences) throws java.io.IOException {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < sequences.size(); i++) {
        text.append("# ").append(i).append('\n');
        sequences.get(i).forEach(step -> text.append(step).append('\n'));
      }
      Files.writeString(file, text);
    }
  }

  private DifferentialProgram() {}
}
