package io.redisl1.it.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.it.AgentRun;
import io.redisl1.it.AgentRun.Outcome;
import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisHandle;
import io.redisl1.testsupport.RedisServers;
import io.redisl1.testsupport.RespClient;
import io.redisl1.testsupport.TcpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The freshness promise checked end to end: two application JVMs under the agent (each reading
 * with Jedis and Lettuce) and one writer without it work on a few hot keys of real Redis servers,
 * while faults hit the invalidation channels. Every read is checked against the history of
 * acknowledged writes: the value it returned must have been current at some instant no earlier
 * than {@link #BOUND_MICROS} before the read began.
 *
 * <p>The application JVMs reach Redis through a {@link TcpProxy} (the writer does not), so their
 * network path can be stalled and the server behind it restarted. Two topologies: one server, and
 * a primary with a replica the applications read from while the writer writes to the primary.
 */
class ConsistencyCheckTest {
  /**
   * The agent's {@code max-staleness} below: an endpoint's hits stop that long after the write of
   * the last canary its channel got back, and every invalidation of an earlier write came back
   * before that canary. So this bound holds by construction, whatever the faults and however
   * starved the machine; a violation is a bug, not noise.
   */
  static final long BOUND_MICROS = 50_000;
  /** Stale reads beginning this long after a fault count as "under a fault" in the printout. */
  private static final long FAULT_WINDOW_MICROS = 1_000_000;
  private static final int KEYS = 8;
  private static final long READ_MILLIS = 12_000;
  /** Connection failures the applications see must end this soon after the server is back. */
  private static final long RECONNECT_MICROS = 5_000_000;
  private static final String CONFIG =
      """
      canary-interval: 12ms
      max-staleness: 50ms
      rules:
        - prefix: "user:"
          ttl: 60s
      """;

  @TempDir Path dir;

  /** One acknowledged write (or FLUSHALL, or restart) of a key: its value, when sent and acknowledged. */
  record Write(String value, long start, long ack) {}

  @Test
  void everyReadIsFreshWithinTheBoundThroughFaults() throws Exception {
    RedisHandle[] server = {RedisServers.startEmbedded()};
    try (TcpProxy proxy = TcpProxy.to(server[0].endpoint())) {
      Run run = new Run(proxy, server[0].endpoint(), server[0].endpoint());
      run.fault(1_000, "CLIENT KILL of the channels", run::killChannels);
      run.fault(3_500, "FLUSHALL", () -> run.nullWrite(() -> run.writer.call("FLUSHALL")));
      run.fault(5_500, "stall of the apps' network path for 500 ms", proxy::stall);
      run.fault(6_000, "path resumed", proxy::resume);
      run.fault(8_000, "Redis restart", () -> run.nullWrite(() -> {
        run.serverGets += run.admin.commandCalls("get");
        server[0].close();
        server[0] = RedisServers.startEmbedded();
        proxy.retarget(server[0].endpoint());
        proxy.cut(); // the old server's connections are gone already; the proxy's halves go too
        run.reconnect(server[0].endpoint(), server[0].endpoint());
        run.restartedAt = ConsistencyReader.micros();
      }));
      run.check();
      assertTrue(run.killedChannels >= 2, run.log::toString);
    } finally {
      server[0].close();
    }
  }

  /**
   * Reads from a replica, writes to its primary: the replica's own tracking reports the writes it
   * applies from its primary, so its channel invalidates them; the bound covers replication too.
   */
  @Test
  void readsFromAReplicaAreFreshWithinTheBound() throws Exception {
    try (RedisHandle primary = RedisServers.startEmbedded();
        RedisHandle replica = RedisServers.startEmbedded(
            "--replicaof", primary.endpoint().host(), Integer.toString(primary.endpoint().port()));
        TcpProxy proxy = TcpProxy.to(replica.endpoint())) {
      awaitReplicating(replica.endpoint());
      Run run = new Run(proxy, primary.endpoint(), replica.endpoint());
      run.fault(1_000, "CLIENT KILL of the channels on the replica", run::killChannels);
      run.fault(3_500, "FLUSHALL on the primary", () -> run.nullWrite(() -> run.writer.call("FLUSHALL")));
      run.fault(5_500, "stall of the apps' network path to the replica for 500 ms", proxy::stall);
      run.fault(6_000, "path resumed", proxy::resume);
      run.check();
      assertTrue(run.killedChannels >= 2, run.log::toString);
    }
  }

  private static void awaitReplicating(RedisEndpoint replica) throws InterruptedException {
    try (RespClient r = replica.connect()) {
      for (int i = 0; i < 200; i++) {
        if (((String) r.call("INFO", "replication")).contains("master_link_status:up")) {
          return;
        }
        Thread.sleep(50);
      }
      throw new AssertionError("the replica never synced: " + r.call("INFO", "replication"));
    }
  }

  /** One run: the readers, the writer's loop with faults at given times, and the check. */
  private final class Run {
    final TcpProxy proxy;
    final List<List<Write>> history = new ArrayList<>();
    final List<Fault> faults = new ArrayList<>();
    final List<String> log = new ArrayList<>();
    /** When each fault began and when its effects may last until, wall-clock microseconds. */
    final List<long[]> faultWindows = new ArrayList<>();
    RespClient writer;
    RespClient admin;
    long serverGets;
    long restartedAt;
    /**
     * Channels the CLIENT KILL fault found and killed: both JVMs' (it waits for two), and a third
     * when a JVM's channel was being replaced at that instant (a late canary on a busy machine).
     */
    int killedChannels;
    private long downSince;

    Run(TcpProxy proxy, RedisEndpoint primary, RedisEndpoint readFrom) {
      this.proxy = proxy;
      for (int k = 0; k < KEYS; k++) {
        history.add(new ArrayList<>(List.of(new Write(null, Long.MIN_VALUE, Long.MIN_VALUE))));
      }
      reconnect(primary, readFrom);
      writer.flushAll();
    }

    void reconnect(RedisEndpoint primary, RedisEndpoint readFrom) {
      if (writer != null) {
        writer.close();
        admin.close();
      }
      writer = primary.connect();
      admin = readFrom.connect();
      admin.resetStats();
    }

    void fault(long atMillis, String name, ThrowingRunnable action) {
      faults.add(new Fault(atMillis, name, action));
    }

    /** Something that drops every key (FLUSHALL, a restart): a write of "no value" to each. */
    void nullWrite(ThrowingRunnable action) throws Exception {
      long start = ConsistencyReader.micros();
      downSince = start;
      action.run();
      long ack = ConsistencyReader.micros();
      for (List<Write> h : history) {
        h.add(new Write(null, start, ack));
      }
    }

    /** Both JVMs' channels; on a starved machine one may be reconnecting after a late canary. */
    void killChannels() throws InterruptedException {
      List<String> ids = channels(admin);
      for (long deadline = System.nanoTime() + 2_000_000_000L; ids.size() < 2 && System.nanoTime() < deadline; ) {
        Thread.sleep(5);
        ids = channels(admin);
      }
      for (String id : ids) {
        admin.call("CLIENT", "KILL", "ID", id);
      }
      log.set(log.size() - 1, log.get(log.size() - 1) + ": " + ids.size() + " channels");
      killedChannels = ids.size();
    }

    void check() throws Exception {
      List<CompletableFuture<Outcome>> readers = new ArrayList<>();
      for (int jvm = 0; jvm < 2; jvm++) {
        Path out = dir.resolve("reads-" + jvm + ".txt");
        readers.add(CompletableFuture.supplyAsync(() -> AgentRun.withConfig(CONFIG).run(
            ConsistencyReader.class, "read", proxy.endpoint(), Long.toString(READ_MILLIS), out.toString(),
            Integer.toString(KEYS))));
      }
      AtomicBoolean done = new AtomicBoolean();
      CompletableFuture.allOf(readers.toArray(new CompletableFuture[0])).whenComplete((r, t) -> done.set(true));
      // The fault clock starts once both JVMs are up and reading, with their channels.
      List<Path> ready = List.of(dir.resolve("reads-0.txt.ready"), dir.resolve("reads-1.txt.ready"));
      long started = 0;
      Random random = new Random(42);
      int seq = 0;
      try {
        while (!done.get()) {
          if (started == 0 && seq % 50 == 0 && ready.stream().allMatch(Files::exists) && channels(admin).size() >= 2) {
            started = System.nanoTime();
          }
          long sinceMillis = started == 0 ? 0 : (System.nanoTime() - started) / 1_000_000;
          if (log.size() < faults.size() && started != 0 && sinceMillis > faults.get(log.size()).atMillis()) {
            Fault f = faults.get(log.size());
            log.add(f.name() + " at " + sinceMillis + " ms");
            long began = ConsistencyReader.micros();
            f.action().run();
            faultWindows.add(new long[] {began, Math.max(began, restartedAt) + FAULT_WINDOW_MICROS});
          }
          int k = random.nextInt(KEYS);
          String value = "w" + (++seq);
          long start = ConsistencyReader.micros();
          writer.call("SET", "user:c:" + k, value);
          history.get(k).add(new Write(value, start, ConsistencyReader.micros()));
          Thread.sleep(2);
        }
      } finally {
        proxy.resume();
      }
      serverGets += admin.commandCalls("get");

      long reads = 0;
      long outageErrors = 0;
      List<Long> staleness = new ArrayList<>();
      List<Long> stalenessOutsideFaults = new ArrayList<>();
      List<String> violations = new ArrayList<>();
      // Per JVM and write: how long after the write's acknowledgement that JVM still read the value
      // it replaced (0 when no read after it did): the write-to-invalidation staleness.
      List<Map<Long, Long>> windows = List.of(new HashMap<>(), new HashMap<>());
      for (int jvm = 0; jvm < 2; jvm++) {
        Outcome o = readers.get(jvm).get();
        assertEquals(0, o.result.exitCode(), o::toString);
        assertEquals("{}", o.get("errors"), "the app saw exceptions no connection failure explains; " + o);
        if (o.number("outage.errors") > 0) {
          outageErrors += o.number("outage.errors");
          assertTrue(downSince > 0 && restartedAt > 0, "connection failures without an outage; " + o);
          assertTrue(o.number("outage.first") >= downSince && o.number("outage.last") <= restartedAt + RECONNECT_MICROS,
              "connection failures outside the restart (" + downSince + ".." + restartedAt + "); " + o);
        }
        for (String line : Files.readAllLines(dir.resolve("reads-" + jvm + ".txt"))) {
          String[] f = line.split(" ");
          reads++;
          int key = Integer.parseInt(f[0].substring("user:c:".length()));
          Staleness found = stalenessOf(history.get(key), f[1].equals("-") ? null : f[1], Long.parseLong(f[2]),
              Long.parseLong(f[3]));
          long stale = found.micros();
          if (stale > 0) {
            windows.get(jvm).merge(writeId(key, found.replacedBy()), stale, Math::max);
            staleness.add(stale);
            long readStart = Long.parseLong(f[2]);
            if (faultWindows.stream().noneMatch(w -> readStart >= w[0] && readStart <= w[1])) {
              stalenessOutsideFaults.add(stale);
            }
          }
          if (stale > BOUND_MICROS && violations.size() < 20) {
            violations.add(line + " stale by " + stale + " us");
          }
        }
      }
      List<Long> perWrite = new ArrayList<>();
      List<Long> perWriteOutsideFaults = new ArrayList<>();
      for (int key = 0; key < KEYS; key++) {
        List<Write> h = history.get(key);
        for (int i = 1; i < h.size(); i++) {
          long ack = h.get(i).ack();
          boolean calm = faultWindows.stream().noneMatch(w -> ack >= w[0] && ack <= w[1]);
          for (Map<Long, Long> jvmWindows : windows) {
            long window = jvmWindows.getOrDefault(writeId(key, i), 0L);
            perWrite.add(window);
            if (calm) {
              perWriteOutsideFaults.add(window);
            }
          }
        }
      }
      long[] s = sorted(staleness);
      long[] calm = sorted(stalenessOutsideFaults);
      long[] w = sorted(perWrite);
      long[] calmW = sorted(perWriteOutsideFaults);
      System.out.printf(
          "consistency: %d reads checked, %d writes, hit rate %.1f%%, %d connection failures in outages, faults %s;%n"
              + "  write-to-invalidation staleness (per write and JVM: how long after the write's ack that JVM still read the old value), %d: p50 %d us, p99 %d us, max %d us;%n"
              + "    of writes acknowledged more than %d ms after any fault: %d, p50 %d us, p99 %d us, max %d us;%n"
              + "  reads that returned a value already replaced when they began: %d, staleness p50 %d us, p99 %d us, max %d us (bound %d us);%n"
              + "    of them beginning more than %d ms after any fault: %d, p50 %d us, p99 %d us, max %d us%n",
          reads, seq, 100.0 * (reads - serverGets) / reads, outageErrors, log,
          w.length, pct(w, 0.5), pct(w, 0.99), max(w),
          FAULT_WINDOW_MICROS / 1000, calmW.length, pct(calmW, 0.5), pct(calmW, 0.99), max(calmW),
          s.length, pct(s, 0.5), pct(s, 0.99), max(s), BOUND_MICROS,
          FAULT_WINDOW_MICROS / 1000, calm.length, pct(calm, 0.5), pct(calm, 0.99), max(calm));
      writer.close();
      admin.close();
      assertTrue(reads > 10_000, "too few reads to mean anything: " + reads);
      assertEquals(faults.size(), log.size(), "every fault was injected during the run: " + log);
      assertEquals(List.of(), violations, "reads older than the bound");
    }
  }

  record Fault(long atMillis, String name, ThrowingRunnable action) {}

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /**
   * How long before the read began the value it returned had already been replaced (by an
   * acknowledged write), 0 if it may still have been current; Long.MAX_VALUE if it never was.
   */
  record Staleness(long micros, int replacedBy) {}

  /** The read's {@link Staleness}, with the index in {@code history} of the write that replaced its value. */
  static Staleness stalenessOf(List<Write> history, String value, long readStart, long readEnd) {
    Staleness best = new Staleness(Long.MAX_VALUE, -1);
    for (int i = 0; i < history.size(); i++) {
      Write w = history.get(i);
      if (w.start() > readEnd || !java.util.Objects.equals(w.value(), value)) {
        continue;
      }
      Write next = i + 1 < history.size() ? history.get(i + 1) : null;
      long stale = next == null || next.ack() >= readStart ? 0 : readStart - next.ack();
      if (stale < best.micros()) {
        best = new Staleness(stale, i + 1);
      }
    }
    return best;
  }

  private static long writeId(int key, int index) {
    return (long) key << 32 | index;
  }

  private static long[] sorted(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  private static long max(long[] sorted) {
    return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
  }

  private static long pct(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)];
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
