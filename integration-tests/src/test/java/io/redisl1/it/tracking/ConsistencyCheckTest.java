package io.redisl1.it.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.it.AgentRun;
import io.redisl1.it.AgentRun.Outcome;
import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisServerExtension;
import io.redisl1.testsupport.RespClient;
import io.redisl1.testsupport.TcpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The freshness promise checked end to end: two application JVMs under the agent (each reading
 * with Jedis and Lettuce) and one writer without it work on a few hot keys of one real Redis,
 * while faults hit the invalidation channels. Every read is checked against the history of
 * acknowledged writes: the value it returned must have been current at some instant no earlier
 * than {@link #BOUND_MICROS} before the read began.
 *
 * <p>Faults: {@code CLIENT KILL} of every invalidation channel, {@code FLUSHALL} from the writer,
 * and a stall of the network path of the application JVMs (their connections and channels run
 * through a {@link TcpProxy}; the writer's does not), long enough for the canary to notice.
 */
@ExtendWith(RedisServerExtension.class)
class ConsistencyCheckTest {
  /**
   * With {@code canary-interval: 20ms} a stalled channel is found within 80 ms plus scheduling.
   * Chosen from measurements on the shared 2-core VM at load average 20-34, where the thread that
   * reads invalidations is starved for up to ~275 ms (measured max); the p99 there was 34-74 ms.
   */
  static final long BOUND_MICROS = 500_000;
  private static final int KEYS = 8;
  private static final long READ_MILLIS = 12_000;
  private static final String CONFIG =
      """
      canary-interval: 20ms
      rules:
        - prefix: "user:"
          ttl: 60s
      """;

  @TempDir Path dir;

  /** One acknowledged write (or FLUSHALL) of a key: its value, when it was sent and acknowledged. */
  record Write(String value, long start, long ack) {}

  @Test
  void everyReadIsFreshWithinTheBoundThroughFaults(RedisEndpoint redis) throws Exception {
    List<List<Write>> history = new ArrayList<>();
    for (int k = 0; k < KEYS; k++) {
      history.add(new ArrayList<>(List.of(new Write(null, Long.MIN_VALUE, Long.MIN_VALUE))));
    }
    try (TcpProxy proxy = TcpProxy.to(redis);
        RespClient writer = redis.connect();
        RespClient admin = redis.connect()) {
      writer.flushAll();
      writer.resetStats();
      List<CompletableFuture<Outcome>> readers = new ArrayList<>();
      for (int jvm = 0; jvm < 2; jvm++) {
        Path out = dir.resolve("reads-" + jvm + ".txt");
        readers.add(CompletableFuture.supplyAsync(() -> AgentRun.withConfig(CONFIG).run(
            ConsistencyReader.class, "read", proxy.endpoint(), Long.toString(READ_MILLIS), out.toString(),
            Integer.toString(KEYS))));
      }
      AtomicBoolean done = new AtomicBoolean();
      CompletableFuture.allOf(readers.toArray(new CompletableFuture[0])).whenComplete((r, t) -> done.set(true));
      // The fault clock starts once both JVMs are up and reading: each has its channel.
      long started = 0;
      List<String> faults = new ArrayList<>();
      Random random = new Random(42);
      int seq = 0;
      while (!done.get()) {
        if (started == 0 && seq % 50 == 0 && channels(admin).size() >= 2) {
          started = System.nanoTime();
        }
        long sinceMillis = started == 0 ? 0 : (System.nanoTime() - started) / 1_000_000;
        if (faults.isEmpty() && sinceMillis > 1_000) {
          faults.add("CLIENT KILL of " + killChannels(admin) + " channels at " + sinceMillis + " ms");
        } else if (faults.size() == 1 && sinceMillis > 3_500) {
          long start = ConsistencyReader.micros();
          writer.call("FLUSHALL");
          long ack = ConsistencyReader.micros();
          for (List<Write> h : history) {
            h.add(new Write(null, start, ack));
          }
          faults.add("FLUSHALL at " + sinceMillis + " ms");
        } else if (faults.size() == 2 && sinceMillis > 6_000) {
          proxy.stall();
          faults.add("stall of the apps' network path for 500 ms at " + sinceMillis + " ms");
        } else if (faults.size() == 3 && sinceMillis > 6_500) {
          proxy.resume();
          faults.add("path resumed");
        }
        int k = random.nextInt(KEYS);
        String value = "w" + (++seq);
        long start = ConsistencyReader.micros();
        writer.call("SET", "user:c:" + k, value);
        history.get(k).add(new Write(value, start, ConsistencyReader.micros()));
        Thread.sleep(2);
      }
      proxy.resume();
      long serverGets = admin.commandCalls("get");

      long reads = 0;
      List<Long> staleness = new ArrayList<>();
      List<String> violations = new ArrayList<>();
      for (int jvm = 0; jvm < 2; jvm++) {
        Outcome o = readers.get(jvm).get();
        assertEquals(0, o.result.exitCode(), o::toString);
        assertEquals("{}", o.get("errors"), "the app saw exceptions; " + o);
        for (String line : Files.readAllLines(dir.resolve("reads-" + jvm + ".txt"))) {
          String[] f = line.split(" ");
          reads++;
          long stale = stalenessOf(history.get(Integer.parseInt(f[0].substring("user:c:".length()))),
              f[1].equals("-") ? null : f[1], Long.parseLong(f[2]), Long.parseLong(f[3]));
          if (stale > 0) {
            staleness.add(stale);
          }
          if (stale > BOUND_MICROS && violations.size() < 20) {
            violations.add(line + " stale by " + stale + " us");
          }
        }
      }
      long[] s = staleness.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf(
          "consistency: %d reads checked, %d writes, hit rate %.1f%%, faults %s;%n"
              + "  reads that returned a value already replaced when they began: %d, staleness p50 %d us, p99 %d us, max %d us (bound %d us)%n",
          reads, seq, 100.0 * (reads - serverGets) / reads, faults, s.length, pct(s, 0.5), pct(s, 0.99),
          s.length == 0 ? 0 : s[s.length - 1], BOUND_MICROS);
      assertTrue(reads > 10_000, "too few reads to mean anything: " + reads);
      assertEquals(4, faults.size(), "every fault was injected during the run: " + faults);
      assertTrue(faults.get(0).startsWith("CLIENT KILL of 2 "), faults::toString);
      assertEquals(List.of(), violations, "reads older than the bound");
    }
  }

  /**
   * How long before the read began the value it returned had already been replaced (by an
   * acknowledged write), 0 if it may still have been current; Long.MAX_VALUE if it never was.
   */
  static long stalenessOf(List<Write> history, String value, long readStart, long readEnd) {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < history.size(); i++) {
      Write w = history.get(i);
      if (w.start() > readEnd || !java.util.Objects.equals(w.value(), value)) {
        continue;
      }
      Write next = i + 1 < history.size() ? history.get(i + 1) : null;
      long stale = next == null || next.ack() >= readStart ? 0 : readStart - next.ack();
      best = Math.min(best, stale);
    }
    return best;
  }

  private static long pct(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)];
  }

  private static int killChannels(RespClient admin) {
    List<String> ids = channels(admin);
    for (String id : ids) {
      admin.call("CLIENT", "KILL", "ID", id);
    }
    return ids.size();
  }

  /** The ids of the agents' invalidation channels connected now. */
  private static List<String> channels(RespClient admin) {
    List<String> ids = new ArrayList<>();
    for (String line : ((String) admin.call("CLIENT", "LIST")).split("\n")) {
      if (line.contains("name=redisl1-invalidation")) {
        ids.add(line.substring(line.indexOf("id=") + 3, line.indexOf(' ')));
      }
    }
    return ids;
  }
}
