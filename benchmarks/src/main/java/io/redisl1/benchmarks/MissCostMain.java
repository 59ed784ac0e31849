package io.redisl1.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * What the agent adds to a GET that misses and to a SET, resolved below the noise of a loopback
 * round trip. A loopback GET takes ~40 µs and drifts by several µs between forks and seconds, so
 * comparing a fork with the agent to one without cannot resolve 1 µs. Here each JVM runs four
 * calls interleaved in random order, round after round, and times each: a GET of a key a rule
 * caches that always misses (under the agent it carries the PTTL and the fill's bookkeeping), a
 * GET of a key no rule covers, a SET of a cached key (which invalidates) and a SET of an uncached
 * one. Within one JVM the four share every drift, so the difference of their medians is what the
 * agent's work for the cached key costs; the same difference in the JVM without the agent is what
 * the keys themselves differ by; for the cached SET that includes the invalidation Redis pushes to
 * the agent's channel, which tracks the cached prefixes. The uncached SET is paired with the
 * uncached GET the same way: no push, so only the agent's own work on a write shows there. Only the uncached GET has no partner and is compared across the two
 * JVMs, at the resolution their drift allows.
 *
 * <p>The JVM without the agent also measures what the same work costs a plain client, the floor no
 * agent can go under: a PTTL sent in its GET's flush (Jedis's own connection; Lettuce's own
 * commands on a connection flushed by hand) against the GET alone, and a write while a connection
 * of its own tracks every key ({@link TrackingClient}) against the same write without it.
 *
 * <p>Usage: {@code MissCostMain <agent jar> [rounds]}; writes {@code target/miss-cost-results.md}.
 */
public final class MissCostMain {
  private static final String CACHED_WRITE_KEY = "bench:write:1";
  private static final String UNCACHED_WRITE_KEY = "nocache:write:1";
  private static final String[] OPS = {"GET, cached prefix, misses", "GET, no rule", "SET, cached prefix", "SET, no rule"};
  private static final String[] CLIENTS = {"Jedis", "Lettuce sync"};
  private static final String GET_ALONE = "GET alone, one flush";
  private static final String GET_AND_PTTL = "GET and a PTTL of its key, one flush";
  private static final String TRACKED = "a BCAST tracking client connected, ";

  private record Op(String name, Runnable call) {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(Integer.parseInt(args[1]), args.length > 2 && args[2].equals("--floors"));
      return;
    }
    Path agent = SuiteSupport.agentJar(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
    Path out = SuiteSupport.target("miss-cost-results.md");
    Path config = Files.writeString(Files.createTempFile("redis-l1-miss-cost", ".yaml"), BenchmarkMain.CONFIG);
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = SuiteSupport.classpathWithoutAgent();
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    Map<String, double[]> withAgent = run(List.of(java, "-javaagent:" + agent, "-Dredisl1.config=" + config,
        "-Dredisl1.metrics.enabled=false", "-cp", classpath, MissCostMain.class.getName(), "--child", Integer.toString(rounds)));
    Map<String, double[]> without = run(List.of(java, "-cp", classpath, MissCostMain.class.getName(), "--child",
        Integer.toString(rounds), "--floors"));
    String table = table(withAgent, without, rounds, loadBefore);
    Files.writeString(out, table);
    System.out.println(table);
  }

  /** Runs one child JVM; its lines "result client|op p50 lo hi p90" keyed by "client|op". */
  private static Map<String, double[]> run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    Map<String, double[]> results = new HashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("result ")) {
          String[] f = line.substring("result ".length()).split("\t");
          results.put(f[0], new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
              Double.parseDouble(f[4])});
        } else {
          System.out.println(line);
        }
      }
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException("child exited with " + p.exitValue() + ": " + command);
    }
    return results;
  }

  private static void child(int rounds, boolean floors) throws Exception {
    try (RedisForBenchmark redis = new RedisForBenchmark()) {
      redis.observer.call("SET", CACHED_WRITE_KEY, RedisForBenchmark.VALUE);
      redis.observer.call("SET", UNCACHED_WRITE_KEY, RedisForBenchmark.VALUE);
      try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
        measure(redis, "Jedis", rounds, 2, jedisOps(jedis));
        if (floors) {
          measure(redis, "Jedis", rounds, 2, List.of(
              new Op(GET_ALONE, () -> rawGet(jedis.getConnection(), false)),
              new Op(GET_AND_PTTL, () -> rawGet(jedis.getConnection(), true))));
          try (TrackingClient tracker = new TrackingClient(redis.host(), redis.port())) {
            awaitTracking(redis);
            measure(redis, TRACKED + "Jedis", rounds, 2, jedisOps(jedis));
          }
        }
      }
      RedisClient client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
      try (StatefulRedisConnection<String, String> connection = client.connect();
          StatefulRedisConnection<String, String> flushed = client.connect()) {
        measure(redis, "Lettuce sync", rounds, 2, lettuceOps(connection.sync()));
        if (floors) {
          // The floor's connection flushes by hand, so a PTTL and its GET leave in one write, as the agent sends them.
          flushed.setAutoFlushCommands(false);
          RedisAsyncCommands<String, String> async = flushed.async();
          measure(redis, "Lettuce sync", rounds, 2, List.of(
              new Op(GET_ALONE, () -> flushedGet(flushed, async, false)),
              new Op(GET_AND_PTTL, () -> flushedGet(flushed, async, true))));
          try (TrackingClient tracker = new TrackingClient(redis.host(), redis.port())) {
            awaitTracking(redis);
            measure(redis, TRACKED + "Lettuce sync", rounds, 2, lettuceOps(connection.sync()));
          }
        }
      } finally {
        client.shutdown();
      }
    }
  }

  /** Waits until Redis lists a client with tracking on (flag t), so the run measures what it says. */
  private static void awaitTracking(RedisForBenchmark redis) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      for (String line : ((String) redis.observer.call("CLIENT", "LIST")).split("\r?\n")) {
        int at = line.indexOf(" flags=");
        if (at >= 0 && line.substring(at + 7, line.indexOf(' ', at + 1)).contains("t")) {
          System.out.println("[check] tracking client: " + line);
          return;
        }
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("no client has tracking on");
  }

  private static List<Op> jedisOps(Jedis jedis) {
    return List.of(
        new Op(OPS[0], () -> jedis.get(RedisForBenchmark.MISS_KEY)),
        new Op(OPS[1], () -> jedis.get(RedisForBenchmark.UNCACHED_KEY)),
        new Op(OPS[2], () -> jedis.set(CACHED_WRITE_KEY, RedisForBenchmark.VALUE)),
        new Op(OPS[3], () -> jedis.set(UNCACHED_WRITE_KEY, RedisForBenchmark.VALUE)));
  }

  private static List<Op> lettuceOps(RedisCommands<String, String> sync) {
    return List.of(
        new Op(OPS[0], () -> sync.get(RedisForBenchmark.MISS_KEY)),
        new Op(OPS[1], () -> sync.get(RedisForBenchmark.UNCACHED_KEY)),
        new Op(OPS[2], () -> sync.set(CACHED_WRITE_KEY, RedisForBenchmark.VALUE)),
        new Op(OPS[3], () -> sync.set(UNCACHED_WRITE_KEY, RedisForBenchmark.VALUE)));
  }

  /** A GET on Jedis's own connection, with a PTTL of its key written behind it in the same flush when {@code pttl}. */
  private static void rawGet(Connection connection, boolean pttl) {
    connection.sendCommand(Protocol.Command.GET, RedisForBenchmark.UNCACHED_KEY);
    if (pttl) {
      connection.sendCommand(Protocol.Command.PTTL, RedisForBenchmark.UNCACHED_KEY);
    }
    connection.getBulkReply(); // flushes, then reads
    if (pttl) {
      connection.getIntegerReply();
    }
  }

  /** A GET through Lettuce's own commands and futures, with a PTTL of its key ahead of it in the same flush when {@code pttl}. */
  private static void flushedGet(
      StatefulRedisConnection<String, String> connection, RedisAsyncCommands<String, String> async, boolean pttl) {
    RedisFuture<Long> ttl = pttl ? async.pttl(RedisForBenchmark.UNCACHED_KEY) : null;
    RedisFuture<String> value = async.get(RedisForBenchmark.UNCACHED_KEY);
    connection.flushCommands();
    try {
      value.get();
      if (ttl != null) {
        ttl.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void measure(RedisForBenchmark redis, String clientName, int rounds, int getsPerRound, List<Op> ops) {
    Random random = new Random(7);
    int[] order = new int[ops.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    long[][] nanos = new long[ops.size()][rounds];
    int warmup = Math.max(2_000, rounds / 5);
    redis.observer.resetStats(); // the server's time per call below is this client's alone
    long getsBefore = redis.serverGets();
    long pttlsBefore = redis.observer.commandCalls("pttl");
    for (int round = -warmup; round < rounds; round++) {
      shuffle(order, random);
      for (int op : order) {
        long start = System.nanoTime();
        ops.get(op).call().run();
        long took = System.nanoTime() - start;
        if (round >= 0) {
          nanos[op][round] = took;
        }
      }
    }
    long gets = redis.serverGets() - getsBefore;
    long pttls = redis.observer.commandCalls("pttl") - pttlsBefore;
    long calls = (long) getsPerRound * (warmup + rounds);
    if (gets != calls) {
      throw new IllegalStateException(clientName + ": " + gets + " of " + calls + " GETs reached Redis; this measures misses");
    }
    // Under the agent every GET of the cached key carries a PTTL (the first of a lazily connected
    // Jedis excepted); without it none does, but the floor's.
    System.out.printf(Locale.ROOT, "[check] %s: %,d GETs, all reached Redis; %,d PTTLs; Redis's own time per call: %s%n",
        clientName, gets, pttls, serverTimes(redis));
    for (int op = 0; op < ops.size(); op++) {
      long[] sorted = nanos[op].clone();
      Arrays.sort(sorted);
      int n = sorted.length;
      // The median with a 95% confidence interval from order statistics (no assumption of shape).
      int half = (int) Math.ceil(1.96 * Math.sqrt(n) / 2);
      System.out.printf(Locale.ROOT, "result %s|%s\t%d\t%d\t%d\t%d%n", clientName, ops.get(op).name(), sorted[n / 2],
          sorted[Math.max(0, n / 2 - half)], sorted[Math.min(n - 1, n / 2 + half)], sorted[(int) (n * 0.9)]);
    }
  }

  /** INFO commandstats' usec_per_call of the commands measured: the server's share of each. */
  private static String serverTimes(RedisForBenchmark redis) {
    StringBuilder out = new StringBuilder();
    for (String line : ((String) redis.observer.call("INFO", "commandstats")).split("\r?\n")) {
      for (String command : List.of("get", "set", "pttl")) {
        String prefix = "cmdstat_" + command + ":";
        if (line.startsWith(prefix)) {
          int at = line.indexOf("usec_per_call=");
          out.append(command.toUpperCase(Locale.ROOT)).append(' ')
              .append(line, at + "usec_per_call=".length(), line.indexOf(',', at)).append(" µs ");
        }
      }
    }
    return out.toString().trim();
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static String table(Map<String, double[]> agent, Map<String, double[]> none, int rounds, double loadBefore) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Measured %s on %d CPUs (load average %.2f at start, %.2f at the end), %s %s;"
            + " %,d interleaved rounds of the four calls per client and JVM, medians with their 95%% confidence"
            + " intervals, µs.%n%n", Instant.now(), Runtime.getRuntime().availableProcessors(), loadBefore,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), System.getProperty("java.vm.name"),
        System.getProperty("java.version"), rounds));
    out.append("| client | call | with the agent: p50 (95% CI), p90 | without: p50 (95% CI), p90 |"
        + " agent's cost, paired in each JVM: (call − the call named) with the agent − the same without |\n");
    out.append("|---|---|---:|---:|---:|\n");
    for (String client : CLIENTS) {
      for (int op = 0; op < OPS.length; op++) {
        String key = client + "|" + OPS[op];
        double[] a = agent.get(key);
        double[] n = none.get(key);
        // Each row against the call it differs from by one thing, in the same JVM: the cached key
        // against the uncached one of the same verb (for SET: its local invalidations and the push
        // Redis sends the channel), and the uncached SET against the uncached GET (the agent's own
        // work on any write). The uncached GET has no partner:
        // it is compared across the two JVMs, which their drift blurs.
        String paired;
        if (op == 1) {
          paired = String.format(Locale.ROOT, "(across JVMs: %+.2f)", (a[0] - n[0]) / 1000);
        } else {
          String base = client + "|" + OPS[op == 3 ? 1 : op + 1];
          double added = (a[0] - agent.get(base)[0]) - (n[0] - none.get(base)[0]);
          paired = String.format(Locale.ROOT, "%+.2f (vs. %s)", added / 1000, OPS[op == 3 ? 1 : op + 1]);
        }
        out.append(String.format(Locale.ROOT, "| %s | %s | %.2f (%.2f–%.2f), %.2f | %.2f (%.2f–%.2f), %.2f | %s |%n",
            client, OPS[op], a[0] / 1000, a[1] / 1000, a[2] / 1000, a[3] / 1000, n[0] / 1000, n[1] / 1000, n[2] / 1000,
            n[3] / 1000, paired));
      }
    }
    out.append("\nThe same costs paid by plain clients without the agent (the protocol's floor), paired in the JVM without"
        + " the agent, beside the agent's (from the table above):\n\n");
    out.append("| client | what | plain client, no agent | the agent's |\n|---|---|---:|---:|\n");
    for (String client : CLIENTS) {
      double pttl = median(none, client, GET_AND_PTTL) - median(none, client, GET_ALONE);
      double agentMiss = (median(agent, client, OPS[0]) - median(agent, client, OPS[1]))
          - (median(none, client, OPS[0]) - median(none, client, OPS[1]));
      out.append(String.format(Locale.ROOT, "| %s | a PTTL in its GET's flush: (GET and PTTL) − GET alone"
          + " | %+.2f µs | %+.2f µs (a cacheable GET that misses) |%n", client, pttl / 1000, agentMiss / 1000));
      double tracked = (median(none, TRACKED + client, OPS[3]) - median(none, TRACKED + client, OPS[1]))
          - (median(none, client, OPS[3]) - median(none, client, OPS[1]));
      // The agent's channel tracks the cached prefixes only: a write of a cached key gets its push.
      double agentWrite = (median(agent, client, OPS[2]) - median(agent, client, OPS[3]))
          - (median(none, client, OPS[2]) - median(none, client, OPS[3]));
      out.append(String.format(Locale.ROOT, "| %s | a write while one client tracks every key (BCAST):"
          + " (SET − GET) with it − without | %+.2f µs | %+.2f µs (a SET of a cached key, which its channel"
          + " tracks) |%n", client, tracked / 1000, agentWrite / 1000));
    }
    return out.toString();
  }

  private static double median(Map<String, double[]> results, String client, String op) {
    return results.get(client + "|" + op)[0];
  }
}
