package io.redisl1.it.contract;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * What every Jedis adapter does the same way: raw commands, pipelines and transactions on Jedis's
 * own {@link Pipeline} and {@link Transaction} (the classes every Jedis 4 to 8 returns), with the
 * typed methods where they exist on all versions (SELECT, GET, SET) and {@code sendCommand}
 * otherwise.
 */
final class JedisCommands {
  private JedisCommands() {}

  static ProtocolCommand command(String name) {
    try {
      return Protocol.Command.valueOf(name);
    } catch (IllegalArgumentException unknownToJedis) {
      byte[] raw = name.getBytes(StandardCharsets.UTF_8);
      return () -> raw;
    }
  }

  static String[] args(String[] argv) {
    return Arrays.copyOfRange(argv, 1, argv.length);
  }

  static Object call(Jedis jedis, String... argv) {
    return Replies.normalize(jedis.sendCommand(command(argv[0]), args(argv)));
  }

  static List<Object> pipeline(Pipeline p, List<String[]> commands) {
    try (p) {
      List<Response<?>> responses = new ArrayList<>();
      for (String[] argv : commands) {
        responses.add(queue(p, argv));
      }
      p.sync();
      return results(responses);
    }
  }

  private static Response<?> queue(Pipeline p, String[] argv) {
    return switch (argv[0]) {
      case "SELECT" -> p.select(Integer.parseInt(argv[1]));
      case "GET" -> p.get(argv[1]);
      case "SET" -> argv.length == 3 ? p.set(argv[1], argv[2]) : p.sendCommand(command("SET"), args(argv));
      default -> p.sendCommand(command(argv[0]), args(argv));
    };
  }

  static List<Object> transaction(Transaction t, List<String[]> commands) {
    try (t) {
      for (String[] argv : commands) {
        switch (argv[0]) {
          case "GET" -> t.get(argv[1]);
          case "SET" -> t.set(argv[1], argv[2]);
          default -> t.sendCommand(command(argv[0]), args(argv));
        }
      }
      List<Object> results = new ArrayList<>();
      for (Object r : t.exec()) {
        results.add(Replies.normalize(r));
      }
      return results;
    }
  }

  /** Each reply, or the error it carries. */
  private static List<Object> results(List<Response<?>> responses) {
    List<Object> out = new ArrayList<>();
    for (Response<?> r : responses) {
      try {
        out.add(Replies.normalize(r.get()));
      } catch (RuntimeException error) {
        out.add(error);
      }
    }
    return out;
  }
}
