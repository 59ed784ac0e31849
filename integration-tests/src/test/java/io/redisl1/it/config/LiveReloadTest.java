package io.redisl1.it.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.testsupport.ForkedJvm;
import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisServerExtension;
import io.redisl1.testsupport.RespClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A forked JVM serves a steady stream of GETs while its ConfigMap-style configuration directory is
 * swapped underneath it. Whether a rule is being served is read from the server: per window, the
 * GETs Redis ran against the GETs the application made (the program INCRs a counter every 100).
 */
@ExtendWith(RedisServerExtension.class)
class LiveReloadTest {
  private static final Duration POLL = Duration.ofMillis(250);
  /**
   * How much later than one poll period a switch may be seen: the 2-core CI machine runs builds
   * beside the test, and a window of samples has to pass after the switch before it is observed.
   */
  private static final Duration SLACK = Duration.ofSeconds(3);
  private static final String HEAD = "reload-interval: " + POLL.toMillis() + "ms\nmax-memory: 8MB\n";
  private static final String USER_CACHED = HEAD + "rules:\n  - prefix: \"user:\"\n    ttl: 60s\n";
  private static final String USER_OFF = HEAD + "rules:\n  - prefix: \"user:\"\n    cache: false\n";

  private final RedisEndpoint redis;
  @TempDir Path dir;

  LiveReloadTest(RedisEndpoint redis) {
    this.redis = redis;
  }

  @Test
  void aRuleSwitchedOffAndOnUnderLoadStopsAndStartsBeingServedWithinThePollPeriod() throws Exception {
    ConfigMapVolume volume = new ConfigMapVolume(dir);
    volume.publish(USER_CACHED);
    Steady steady = new Steady(volume);
    Duration off;
    Duration on;
    try {
      steady.await("served at start", steady::served, Duration.ofSeconds(60));

      volume.publish(USER_OFF);
      off = steady.await("not served after the switch off", steady::notServed, POLL.plus(SLACK));

      volume.publish(USER_CACHED);
      on = steady.await("served after the switch on", steady::served, POLL.plus(SLACK));
    } finally {
      steady.stop();
    }
    ForkedJvm.Result result = steady.result();
    System.out.println("LiveReloadTest: the first window wholly past the switch began " + off.toMillis()
        + " ms after switching off, " + on.toMillis() + " ms after switching on (poll " + POLL.toMillis() + " ms)");
    steady.assertNoRequestFailed();
    List<String> reloads = reloads(result);
    assertEquals(2, reloads.size(), result::toString);
    assertTrue(reloads.get(0).endsWith("reloaded: rule 'user:' ttl=PT1M -> 'user:' not cached"), reloads.get(0));
    assertTrue(reloads.get(1).endsWith("reloaded: rule 'user:' not cached -> 'user:' ttl=PT1M"), reloads.get(1));
  }

  @Test
  void enabledFalseAtStartInstallsTheHooksSoAReloadCanTurnCachingOn() throws Exception {
    ConfigMapVolume volume = new ConfigMapVolume(dir);
    volume.publish(HEAD + "enabled: false\nrules:\n  - prefix: \"user:\"\n    ttl: 60s\n");
    Steady steady = new Steady(volume);
    try {
      steady.await("uncached while enabled: false", steady::notServed, Duration.ofSeconds(60));
      volume.publish(USER_CACHED);
      steady.await("served once enabled", steady::served, POLL.plus(SLACK));
    } finally {
      steady.stop();
    }
    ForkedJvm.Result result = steady.result();
    steady.assertNoRequestFailed();
    assertTrue(ConfigRun.agentLines(result).get(0).contains("attached; enabled: false, caching nothing; reading "), result::toString);
    assertEquals(1, reloads(result).size(), result::toString);
    assertTrue(reloads(result).get(0).endsWith("reloaded: enabled false -> true"), result::toString);
  }

  @Test
  void aBrokenUpdateKeepsServingTheLastGoodConfigurationWithOneErrorLine() throws Exception {
    ConfigMapVolume volume = new ConfigMapVolume(dir);
    volume.publish(USER_CACHED);
    Steady steady = new Steady(volume);
    try {
      steady.await("served at start", steady::served, Duration.ofSeconds(60));
      volume.publish(HEAD + "rules:\n  - prefix: \"user:\"\n    ttl: 60 seconds\n");
      Thread.sleep(POLL.toMillis() * 4);
      steady.await("still served", steady::served, Duration.ofSeconds(5));
    } finally {
      steady.stop();
    }
    ForkedJvm.Result result = steady.result();
    steady.assertNoRequestFailed();
    List<String> errors = ConfigRun.agentLines(result).stream().filter(l -> l.contains("ERROR")).collect(Collectors.toList());
    assertEquals(1, errors.size(), result::toString);
    assertTrue(errors.get(0).matches(".*config .*redis-l1.yaml line 5 key 'ttl': expected a positive duration .* got '60 seconds'; keeping the configuration in force"), errors.get(0));
  }

  private static List<String> reloads(ForkedJvm.Result result) {
    return ConfigRun.agentLines(result).stream().filter(l -> l.contains("reloaded")).collect(Collectors.toList());
  }

  /** The steady program, running in the background, watched through the server. */
  private final class Steady {
    private final Path control;
    private final CompletableFuture<ForkedJvm.Result> run;
    private final RespClient server;

    Steady(ConfigMapVolume volume) throws Exception {
      control = Files.createDirectory(dir.resolve("control"));
      ForkedJvm.Builder jvm =
          ConfigRun.args(ConfigRun.jvm().systemProperty("redisl1.config", volume.file().toString()),
              "steady", redis, control.toString());
      run = CompletableFuture.supplyAsync(jvm::run);
      server = redis.connect();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!Files.exists(control.resolve("started"))) {
        if (run.isDone() || System.nanoTime() > deadline) {
          throw new AssertionError("the program did not start: " + (run.isDone() ? run.get() : "timeout"));
        }
        Thread.sleep(20);
      }
    }

    /** A window in which the application made at least 300 GETs and Redis ran hardly any. */
    boolean served() {
      long[] w = window();
      return w[1] >= 3 && w[0] <= 2 * ConfigScenarios.KEYS;
    }

    /** A window in which (nearly) every GET the application made reached Redis. */
    boolean notServed() {
      long[] w = window();
      return w[1] >= 3 && w[0] >= 0.9 * (w[1] - 2) * ConfigScenarios.BATCH;
    }

    /** When the last window began. */
    private long windowStart;

    /** {server GETs, application batches} over 200 ms. */
    private long[] window() {
      windowStart = System.nanoTime();
      long gets = server.commandCalls("get");
      long batches = progress();
      sleep(200);
      return new long[] {server.commandCalls("get") - gets, progress() - batches};
    }

    private long progress() {
      Object value = server.call("GET", ConfigScenarios.PROGRESS);
      return value == null ? 0 : Long.parseLong(value instanceof byte[] ? new String((byte[]) value) : value.toString());
    }

    /**
     * Waits for a window in which {@code condition} holds; returns how long after the call that
     * window began (the switch happened no later than that).
     */
    Duration await(String what, BooleanSupplier condition, Duration limit) {
      long start = System.nanoTime();
      while (!condition.getAsBoolean()) {
        if (run.isDone()) {
          throw new AssertionError("the program ended: " + run.join());
        }
        if (System.nanoTime() - start > limit.toNanos()) {
          throw new AssertionError(what + ": not within " + limit.toMillis() + " ms");
        }
      }
      return Duration.ofNanos(Math.max(0, windowStart - start));
    }

    void stop() throws Exception {
      Files.writeString(control.resolve("stop"), "");
      server.close();
    }

    ForkedJvm.Result result() {
      return run.join();
    }

    void assertNoRequestFailed() {
      ForkedJvm.Result result = result();
      assertEquals(0, result.exitCode(), result::toString);
      assertTrue(ConfigRun.number(result, "gets") > 1000, result::toString);
      assertEquals(0, ConfigRun.number(result, "failures"), result::toString);
      assertEquals(0, ConfigRun.number(result, "wrong"), result::toString);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
