package io.redisl1.agent.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file is polled through its symlinks, laid out exactly as a Kubernetes ConfigMap volume:
 * {@code redis-l1.yaml -> ..data/redis-l1.yaml}, {@code ..data -> ..<timestamp>}, updated by
 * renaming a new {@code ..data} link over the old one.
 */
class ConfigReloaderTest {
  @TempDir Path dir;
  private Path file;
  private final List<AgentConfig> applied = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream stderr;
  private ConfigReloader reloader;
  private int version;

  @BeforeEach
  void configMap() throws Exception {
    stderr = System.err;
    System.setErr(new PrintStream(log, true, UTF_8));
    publish("reload-interval: 50ms\nrules:\n  - prefix: \"user:\"\n");
    file = Files.createSymbolicLink(dir.resolve("redis-l1.yaml"), Path.of("..data/redis-l1.yaml"));
  }

  @AfterEach
  void restore() {
    if (reloader != null) {
      reloader.stop();
    }
    System.setErr(stderr);
  }

  @Test
  void aConfigMapUpdateIsPickedUpWithinThePollPeriodAndLoggedOnce() throws Exception {
    start();
    publish("reload-interval: 50ms\nrules:\n  - prefix: \"user:\"\n    cache: false\n  - prefix: \"flag:\"\n    ttl: 6h\n");

    AgentConfig next = awaitApplied(1);
    assertTrue(next.activeRules().cachingRule("user:1".getBytes(UTF_8)) == null);
    assertEquals(1, lines("reloaded").size(), log::toString);
    assertEquals(
        "[redis-l1] config " + file + " reloaded: rule 'user:' ttl=PT30S -> 'user:' not cached, rule added 'flag:' ttl=PT6H",
        lines("reloaded").get(0));
    Thread.sleep(300);
    assertEquals(1, applied.size(), "an unchanged file is not applied again");
  }

  @Test
  void aBrokenVersionKeepsTheLastGoodOneWithOneLineThenTheFixIsApplied() throws Exception {
    start();
    publish("reload-interval: 50ms\nrules:\n  - prefix: \"user:\"\n    ttl: soon\n");
    awaitLine("line 4 key 'ttl'");
    Thread.sleep(300);

    assertEquals(0, applied.size());
    List<String> errors = lines("ERROR");
    assertEquals(1, errors.size(), "one line, not one per poll: " + log);
    assertTrue(errors.get(0).endsWith("expected a positive duration like 500ms, 30s, 5m or 6h, got 'soon'; keeping the configuration in force"), errors.get(0));
    assertTrue(reloader.current().activeRules().cachesAnything(), "the last good config is in force");

    publish("reload-interval: 50ms\nrules:\n  - prefix: \"user:\"\n    ttl: 5s\n");
    assertEquals(5_000_000_000L, awaitApplied(1).activeRules().cachingRule("user:1".getBytes(UTF_8)).ttlNanos());
  }

  @Test
  void aVanishedFileKeepsTheConfigurationAndItsReturnIsReadAgain() throws Exception {
    start();
    Files.delete(dir.resolve("..data"));
    awaitLine("cannot be read");
    assertEquals(0, applied.size());
    assertTrue(reloader.current().cachesAnything());

    Files.createSymbolicLink(dir.resolve("..data"), Path.of("..v" + version));
    awaitApplied(1);
    assertTrue(lines("reloaded").get(0).endsWith("reloaded: nothing changed"), log::toString);
  }

  @Test
  void aSymlinkLoopIsAnErrorLineNotAnException() throws Exception {
    start();
    Path loop = dir.resolve("..loop");
    Files.createSymbolicLink(loop, Path.of("..loop"));
    Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..loop"));
    Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

    String line = awaitLine("cannot be read");
    assertTrue(line.contains("config " + file) && line.contains("keeping the configuration in force"), line);
    assertEquals(0, applied.size());
  }

  @Test
  void theReloaderIsOneDaemonThread() throws Exception {
    List<Thread> before = configThreads();
    start();
    publish("reload-interval: 60ms\nreport-interval: 1s\nrules:\n  - prefix: \"flag:\"\n");
    awaitApplied(1);
    List<Thread> threads = configThreads();
    threads.removeAll(before); // other tests' stopped reloaders may not have ended yet
    assertEquals(1, threads.size(), "rescheduling reuses the thread");
    assertTrue(threads.get(0).isDaemon());
  }

  @Test
  void theReportLineComesEveryReportIntervalOnTheSameThread() throws Exception {
    io.redisl1.store.L1Runtime.start(
        io.redisl1.store.L1Store.create(io.redisl1.store.L1Settings.of(1 << 20, 1 << 10)),
        io.redisl1.store.KeyRules.of(List.of(io.redisl1.store.KeyRule.cached("user:", Duration.ofMinutes(1), false))),
        true);
    publish("reload-interval: 50ms\nreport-interval: 1s\nmode: observe\nrules:\n  - prefix: \"user:\"\n");
    start();
    String line = awaitLine("observe mode:");
    assertEquals("[redis-l1] observe mode: 'user:' would hit 0.0% (0 of 0 GETs, 0 round trips saved)", line);
  }

  @Test
  void reloadsAreCountedByResultOnTheL1InForce() throws Exception {
    io.redisl1.store.L1Store store =
        io.redisl1.store.L1Store.create(io.redisl1.store.L1Settings.of(1 << 20, 1 << 10));
    io.redisl1.store.L1Runtime.start(store, io.redisl1.store.KeyRules.of(List.of()));
    start();

    publish("reload-interval: 50ms\nrules:\n  - prefix: \"user:\"\n    ttl: soon\n");
    awaitLine("line 4 key 'ttl'");
    publish("reload-interval: 50ms\nrules:\n  - prefix: \"flag:\"\n");
    awaitApplied(1);

    io.redisl1.store.L1Stats stats = store.stats();
    assertEquals(1, stats.reloads(io.redisl1.store.L1Stats.ReloadResult.REJECTED), log::toString);
    assertEquals(1, stats.reloads(io.redisl1.store.L1Stats.ReloadResult.APPLIED), log::toString);
  }

  private static List<Thread> configThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("redis-l1-config"))
        .collect(Collectors.toList());
  }

  private void start() throws Exception {
    ConfigResolver resolver = new ConfigResolver(new Properties(), Map.of());
    byte[] content = ConfigResolver.read(file);
    reloader = new ConfigReloader(file, bytes -> resolver.resolve(bytes, file), applied::add, resolver.resolve(content, file), content, null);
    reloader.start();
  }

  /** Writes a new timestamped directory and swaps ..data onto it by rename, as the kubelet does. */
  private void publish(String yaml) throws Exception {
    Path previous = version == 0 ? null : dir.resolve("..v" + version);
    version++;
    Path next = Files.createDirectory(dir.resolve("..v" + version));
    Files.writeString(next.resolve("redis-l1.yaml"), yaml, UTF_8);
    Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..v" + version));
    Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (previous != null) {
      Files.delete(previous.resolve("redis-l1.yaml"));
      Files.delete(previous);
    }
  }

  private AgentConfig awaitApplied(int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (applied.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(count, applied.size(), log::toString);
    return applied.get(count - 1);
  }

  private String awaitLine(String part) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      List<String> found = lines(part);
      if (!found.isEmpty()) {
        return found.get(0);
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no line with '" + part + "' in " + log);
  }

  private List<String> lines(String part) {
    return log.toString(UTF_8).lines().filter(l -> l.contains(part)).collect(Collectors.toList());
  }
}
