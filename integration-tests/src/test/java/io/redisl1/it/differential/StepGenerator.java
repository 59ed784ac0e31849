package io.redisl1.it.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Random but reproducible command sequences: the same seed always gives the same steps. Keys come
 * from small pools per type, so commands keep meeting each other's keys (a zset stored over a
 * cached string, a RENAME onto it, a SWAPDB under it); one draw in ten takes a key of any type, for
 * WRONGTYPE errors. GETs are frequent, since they are what the L1 answers.
 *
 * <p>Expiry is either long (minutes, never reached during a run) or a few milliseconds on a step of
 * its own that sleeps past it, so no reply depends on how fast the run went.
 */
final class StepGenerator {
  static final int DATABASES = 2;
  private static final String[] STRINGS = {"k0", "k1", "k2", "n0", "n1"};
  private static final String[] HASHES = {"h0", "h1"};
  private static final String[] LISTS = {"l0", "l1"};
  private static final String[] SETS = {"s0", "s1"};
  private static final String[] ZSETS = {"z0", "z1"};
  private static final String[][] ALL = {STRINGS, HASHES, LISTS, SETS, ZSETS};
  /** Enough for a short expiry (1-3 ms) to have passed, with room for a slow machine. */
  private static final int SHORT_EXPIRY_SLEEP = 15;

  private final Random random;

  StepGenerator(long seed) {
    this.random = new Random(seed);
  }

  static List<Step> steps(long seed, int count) {
    StepGenerator generator = new StepGenerator(seed);
    List<Step> steps = new ArrayList<>();
    while (steps.size() < count) {
      steps.add(generator.next());
    }
    return steps;
  }

  Step next() {
    int connection = random.nextInt(DifferentialProgram.CONNECTIONS.size());
    int kind = random.nextInt(100);
    if (kind < 8) {
      return new Step(connection, Step.Kind.PIPELINE, 0, pipeline());
    }
    if (kind < 14) {
      return new Step(connection, Step.Kind.MULTI, 0, commands(1 + random.nextInt(4), this::transactional));
    }
    if (kind < 19) {
      return shortExpiry(connection);
    }
    if (kind < 24) {
      return Step.single(connection, 0, "SELECT", db());
    }
    return new Step(connection, Step.Kind.SINGLE, 0, List.of(command()));
  }

  /** Half of the pipelines switch database first: the pipelined-SELECT family of issue 7. */
  private List<List<String>> pipeline() {
    List<List<String>> commands = new ArrayList<>();
    int shape = random.nextInt(4);
    if (shape == 0) {
      String key = pick(STRINGS);
      commands.add(List.of("SELECT", db()));
      commands.add(List.of("SET", key, value()));
      commands.add(List.of("GET", key));
      return commands;
    }
    if (shape == 1) {
      commands.add(List.of("SELECT", db()));
      commands.add(List.of("GET", pick(STRINGS)));
    }
    commands.addAll(commands(1 + random.nextInt(4), this::pipelined));
    return commands;
  }

  private List<List<String>> commands(int count, Supplier<List<String>> source) {
    List<List<String>> commands = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      commands.add(source.get());
    }
    return commands;
  }

  private List<String> pipelined() {
    return random.nextInt(8) == 0 ? List.of("SELECT", db()) : command();
  }

  private List<String> transactional() {
    return command();
  }

  private Step shortExpiry(int connection) {
    String ms = Integer.toString(1 + random.nextInt(3));
    String key = random.nextInt(4) == 0 ? anyKey() : pick(STRINGS);
    List<String> command =
        switch (random.nextInt(5)) {
          case 0 -> List.of("SET", key, value(), "PX", ms);
          case 1 -> List.of("PSETEX", key, ms, value());
          case 2 -> List.of("GETEX", key, "PX", ms);
          case 3 -> List.of("PEXPIRE", key, ms);
          default -> List.of("SET", key, value(), "PX", ms, "GET");
        };
    return new Step(connection, Step.Kind.SINGLE, SHORT_EXPIRY_SLEEP, List.of(command));
  }

  /** Any command of any family, reads weighted up. */
  List<String> command() {
    int family = random.nextInt(100);
    if (family < 40) {
      return random.nextInt(6) == 0 ? List.of("RAWGET", pick(STRINGS)) : List.of("GET", key(STRINGS));
    }
    if (family < 54) {
      return string();
    }
    if (family < 61) {
      return hash();
    }
    if (family < 68) {
      return list();
    }
    if (family < 75) {
      return set();
    }
    if (family < 82) {
      return zset();
    }
    if (family < 90) {
      return expiry();
    }
    return keyspace();
  }

  private List<String> string() {
    String k = key(STRINGS);
    return switch (random.nextInt(18)) {
      case 0, 1, 2 -> List.of("SET", k, value());
      case 3 -> List.of("SET", k, value(), "NX");
      case 4 -> List.of("SET", k, value(), "XX", "GET");
      case 5 -> List.of("GETSET", k, value());
      case 6 -> List.of("GETDEL", k);
      case 7 -> List.of("APPEND", k, value());
      case 8 -> List.of("INCR", k);
      case 9 -> List.of("INCRBY", k, Integer.toString(random.nextInt(20) - 10));
      case 10 -> List.of("DECR", k);
      case 11 -> List.of("SETRANGE", k, Integer.toString(random.nextInt(4)), value());
      case 12 -> List.of("STRLEN", k);
      case 13 -> List.of("GETRANGE", k, "0", "2");
      case 14 -> List.of("MSET", k, value(), pick(STRINGS), value());
      case 15 -> List.of("MSETNX", k, value(), pick(STRINGS), value());
      case 16 -> List.of("MGET", k, pick(STRINGS), pick(STRINGS));
      default -> List.of("SETNX", k, value());
    };
  }

  private List<String> hash() {
    String h = key(HASHES);
    return switch (random.nextInt(7)) {
      case 0, 1 -> List.of("HSET", h, field(), value(), field(), value());
      case 2 -> List.of("HGET", h, field());
      case 3 -> List.of("HDEL", h, field());
      case 4 -> List.of("HINCRBY", h, field(), "2");
      case 5 -> List.of("HGETALL", h);
      default -> List.of("HLEN", h);
    };
  }

  private List<String> list() {
    String l = key(LISTS);
    return switch (random.nextInt(8)) {
      case 0 -> List.of("LPUSH", l, value());
      case 1 -> List.of("RPUSH", l, value(), value());
      case 2 -> List.of("LPOP", l);
      case 3 -> List.of("RPOP", l);
      case 4 -> List.of("LRANGE", l, "0", "-1");
      case 5 -> List.of("LMOVE", l, anyKey(), "LEFT", "RIGHT");
      case 6 -> List.of("LSET", l, "0", value());
      default -> List.of("LTRIM", l, "0", "2");
    };
  }

  private List<String> set() {
    String s = key(SETS);
    return switch (random.nextInt(8)) {
      case 0, 1 -> List.of("SADD", s, member(), member());
      case 2 -> List.of("SREM", s, member());
      case 3 -> List.of("SMEMBERS", s);
      case 4 -> List.of("SISMEMBER", s, member());
      case 5 -> List.of("SMOVE", s, pick(SETS), member());
      case 6 -> List.of("SINTERSTORE", anyKey(), s, pick(SETS));
      default -> List.of("SUNIONSTORE", anyKey(), s, pick(SETS));
    };
  }

  private List<String> zset() {
    String z = key(ZSETS);
    return switch (random.nextInt(8)) {
      case 0, 1 -> List.of("ZADD", z, Integer.toString(random.nextInt(10)), member());
      case 2 -> List.of("ZINCRBY", z, "1.5", member());
      case 3 -> List.of("ZREM", z, member());
      case 4 -> List.of("ZRANGE", z, "0", "-1", "WITHSCORES");
      case 5 -> List.of("ZSCORE", z, member());
      case 6 -> List.of("ZPOPMIN", z);
      default -> List.of("ZUNIONSTORE", anyKey(), "2", z, pick(ZSETS));
    };
  }

  private List<String> expiry() {
    String k = random.nextInt(3) == 0 ? anyKey() : pick(STRINGS);
    return switch (random.nextInt(9)) {
      case 0 -> List.of("EXPIRE", k, "600");
      case 1 -> List.of("PEXPIRE", k, "600000");
      case 2 -> List.of("PERSIST", k);
      case 3 -> List.of("TTL", k);
      case 4 -> List.of("PTTL", k);
      case 5 -> List.of("PEXPIREAT", k, "1"); // in the past: deletes the key at once
      case 6 -> List.of("EXPIREAT", k, "4102444800");
      case 7 -> List.of("SET", k, value(), "EX", "600");
      default -> List.of("SET", k, value(), "KEEPTTL");
    };
  }

  private List<String> keyspace() {
    return switch (random.nextInt(20)) {
      case 0, 1, 2 -> List.of("DEL", anyKey(), anyKey());
      case 3, 4 -> List.of("UNLINK", anyKey());
      case 5, 6 -> List.of("RENAME", anyKey(), anyKey());
      case 7 -> List.of("RENAMENX", anyKey(), anyKey());
      case 8, 9 -> List.of("COPY", anyKey(), anyKey());
      case 10 -> List.of("COPY", anyKey(), anyKey(), "REPLACE");
      case 11, 12 -> List.of("COPY", anyKey(), anyKey(), "DB", db(), "REPLACE");
      case 13, 14 -> List.of("MOVE", anyKey(), db());
      case 15 -> List.of("EXISTS", anyKey(), anyKey());
      case 16 -> List.of("TYPE", anyKey());
      case 17 -> List.of("FLUSHDB");
      case 18 -> List.of("SWAPDB", "0", "1");
      default -> random.nextInt(3) == 0 ? List.of("FLUSHALL") : List.of("SWAPDB", "1", "0");
    };
  }

  private String key(String[] pool) {
    return random.nextInt(10) == 0 ? anyKey() : pick(pool);
  }

  private String anyKey() {
    return pick(ALL[random.nextInt(ALL.length)]);
  }

  private String pick(String[] pool) {
    return pool[random.nextInt(pool.length)];
  }

  private String db() {
    return Integer.toString(random.nextInt(DATABASES));
  }

  private String value() {
    return random.nextBoolean() ? Integer.toString(random.nextInt(100)) : "v" + random.nextInt(100);
  }

  private String field() {
    return "f" + random.nextInt(3);
  }

  private String member() {
    return "m" + random.nextInt(4);
  }
}
