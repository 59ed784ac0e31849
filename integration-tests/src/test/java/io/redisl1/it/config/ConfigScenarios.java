package io.redisl1.it.config;

import io.redisl1.testsupport.RespClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.Jedis;

/**
 * Jedis programs for the configuration tests, run in a forked JVM under the agent. Each prints
 * {@code name=value} lines; {@code gets@...} are the server's own GET counts (INFO commandstats)
 * read through a raw socket the agent does not touch.
 *
 * <p>Arguments: scenario, host, port, and for {@code steady} a directory where a file named
 * {@code stop} ends the run.
 */
public final class ConfigScenarios {
  /** Keys the steady readers read; each thread INCRs {@link #PROGRESS} once per {@link #BATCH} GETs. */
  static final int KEYS = 10;
  static final String PROGRESS = "progress";
  static final int BATCH = 100;

  private final String host;
  private final int port;
  private final RespClient server;

  private ConfigScenarios(String host, int port) {
    this.host = host;
    this.port = port;
    this.server = new RespClient(host, port);
  }

  public static void main(String[] args) throws Exception {
    ConfigScenarios s = new ConfigScenarios(args[1], Integer.parseInt(args[2]));
    switch (args[0]) {
      case "steady" -> s.steady(Path.of(args[3]));
      case "workload" -> s.workload(false);
      case "workload-lettuce" -> s.workload(true);
      case "scripts" -> s.scripts();
      default -> throw new IllegalArgumentException(args[0]);
    }
    s.server.close();
  }

  private static void print(String name, Object value) {
    System.out.println(name + "=" + value);
  }

  /**
   * Two threads GET {@code user:0..9} as fast as they can until the stop file appears, checking
   * every value; the test swaps the configuration underneath and watches the server.
   */
  private void steady(Path control) throws Exception {
    server.flushAll();
    for (int i = 0; i < KEYS; i++) {
      server.call("SET", "user:" + i, "value-" + i);
    }
    AtomicLong gets = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicLong wrong = new AtomicLong();
    Path stop = control.resolve("stop");
    Runnable reader = () -> {
      try (Jedis jedis = new Jedis(host, port)) {
        jedis.ping();
        long n = 0;
        while (!Files.exists(stop)) {
          for (int b = 0; b < BATCH; b++, n++) {
            int i = (int) (n % KEYS);
            try {
              if (!("value-" + i).equals(jedis.get("user:" + i))) {
                wrong.incrementAndGet();
              }
              gets.incrementAndGet();
            } catch (RuntimeException e) {
              failures.incrementAndGet();
              System.err.println("GET failed: " + e);
            }
          }
          jedis.incr(PROGRESS);
        }
      }
    };
    Files.writeString(control.resolve("started"), "");
    Thread a = new Thread(reader);
    Thread b = new Thread(reader);
    a.start();
    b.start();
    a.join();
    b.join();
    print("gets", gets.get());
    print("failures", failures.get());
    print("wrong", wrong.get());
  }

  /**
   * The same seeded sequence of GETs (skewed over 200 keys) and SETs (5%) every run, one
   * connection: run once with {@code mode: cache} and once with {@code mode: observe}.
   */
  private void workload(boolean lettuce) throws Exception {
    server.flushAll();
    for (int i = 0; i < 200; i++) {
      server.call("SET", "user:" + i, "v" + i);
    }
    server.resetStats();
    Random random = new Random(42);
    long appGets = 0;
    try (Client client = lettuce ? new LettuceClient(host, port) : new JedisClient(host, port)) {
      for (int op = 0; op < 5_000; op++) {
        double r = random.nextDouble();
        String key = "user:" + (int) (200 * r * r * r);
        if (random.nextInt(100) < 5) {
          client.set(key, "w" + op);
        } else {
          client.get(key);
          appGets++;
        }
      }
    }
    print("appGets", appGets);
    print("gets@end", server.commandCalls("get"));
    // The agent's figures, from the bootstrap class path where the agent put them.
    Object runtime = Class.forName("io.redisl1.store.L1Runtime").getMethod("current").invoke(null);
    long[] observed = (long[]) runtime.getClass().getMethod("observed", String.class).invoke(runtime, "user:");
    print("observed.lookups", observed[0]);
    print("observed.wouldHit", observed[1]);
    print("report", runtime.getClass().getMethod("report").invoke(runtime));
  }

  /**
   * A script writes one declared key while two keys are cached: the written one must be read back
   * new; how many GETs reach the server afterwards shows what the script invalidated.
   */
  private void scripts() {
    server.flushAll();
    server.call("SET", "user:1", "old");
    server.call("SET", "user:2", "other");
    try (Jedis jedis = new Jedis(host, port)) {
      jedis.ping();
      String sha = jedis.scriptLoad("redis.call('SET', KEYS[1], ARGV[1]) return 1");
      for (int i = 0; i < 2; i++) {
        jedis.get("user:1");
        jedis.get("user:2");
      }
      server.resetStats();
      jedis.eval("redis.call('SET', KEYS[1], ARGV[1]) return 1", 1, "user:1", "by-eval");
      print("afterEval.user:1", jedis.get("user:1"));
      print("afterEval.user:2", jedis.get("user:2"));
      print("gets@afterEval", server.commandCalls("get"));
      server.resetStats();
      jedis.evalsha(sha, 1, "user:2", "by-evalsha");
      print("afterEvalsha.user:2", jedis.get("user:2"));
      print("afterEvalsha.user:1", jedis.get("user:1"));
      print("gets@afterEvalsha", server.commandCalls("get"));
    }
  }

  /** The two calls the workload makes, on either client. */
  private interface Client extends AutoCloseable {
    String get(String key);

    void set(String key, String value);
  }

  private static final class JedisClient implements Client {
    private final Jedis jedis;

    JedisClient(String host, int port) {
      jedis = new Jedis(host, port);
      jedis.ping();
    }

    public String get(String key) {
      return jedis.get(key);
    }

    public void set(String key, String value) {
      jedis.set(key, value);
    }

    public void close() {
      jedis.close();
    }
  }

  private static final class LettuceClient implements Client {
    private final io.lettuce.core.RedisClient client;
    private final io.lettuce.core.api.StatefulRedisConnection<String, String> connection;

    LettuceClient(String host, int port) {
      client = io.lettuce.core.RedisClient.create("redis://" + host + ":" + port);
      connection = client.connect();
    }

    public String get(String key) {
      return connection.sync().get(key);
    }

    public void set(String key, String value) {
      connection.sync().set(key, value);
    }

    public void close() {
      connection.close();
      client.shutdown();
    }
  }
}
