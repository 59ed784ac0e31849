package io.redisl1.it.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.testsupport.ForkedJvm;
import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same seeded workload in {@code mode: cache} and in {@code mode: observe}: the hit rate observe
 * mode reports is the one caching really achieves (measured at the server), and in observe mode
 * the server runs every GET the application makes.
 */
@ExtendWith(RedisServerExtension.class)
class ObserveModeTest {
  private static final String CONFIG = "mode: cache\nrules:\n  - prefix: \"user:\"\n    ttl: 10m\n";

  private final RedisEndpoint redis;
  @TempDir Path dir;

  ObserveModeTest(RedisEndpoint redis) {
    this.redis = redis;
  }

  @ParameterizedTest
  @ValueSource(strings = {"workload", "workload-lettuce"})
  void observeModeReportsTheHitRateCachingAchievesAndSendsEveryGet(String workload) throws Exception {
    Path file = Files.writeString(dir.resolve("redis-l1.yaml"), CONFIG);

    ForkedJvm.Result cache = run(workload, ConfigRun.jvm().systemProperty("redisl1.config", file.toString()));
    // The system property overrides the file's mode: precedence, end to end.
    ForkedJvm.Result observe =
        run(workload, ConfigRun.jvm().systemProperty("redisl1.config", file.toString()).systemProperty("redisl1.mode", "observe"));

    long appGets = ConfigRun.number(cache, "appGets");
    assertEquals(appGets, ConfigRun.number(observe, "appGets"), "the same workload");
    double real = 1 - (double) ConfigRun.number(cache, "gets@end") / appGets;

    assertEquals(appGets, ConfigRun.number(observe, "gets@end"), "observe mode sends every GET: " + observe);
    assertEquals(appGets, ConfigRun.number(observe, "observed.lookups"), observe::toString);
    double wouldBe = (double) ConfigRun.number(observe, "observed.wouldHit") / appGets;
    System.out.printf("ObserveModeTest " + workload + ": %d GETs, real hit rate %.4f (cache mode), would-be %.4f (observe mode)%n", appGets, real, wouldBe);
    assertTrue(real > 0.5, "the workload caches well: " + real);
    assertEquals(real, wouldBe, 0.01, "observe mode predicts what caching achieves");
    assertTrue(ConfigRun.agentLines(observe).get(0).contains(" observing prefixes ['user:' ttl=PT10M]"), observe::toString);
    assertTrue(ConfigRun.values(observe).get("report").startsWith("observe mode: 'user:' would hit "), observe::toString);
  }

  private ForkedJvm.Result run(String workload, ForkedJvm.Builder jvm) {
    ForkedJvm.Result result = ConfigRun.args(jvm, workload, redis).run();
    assertEquals(0, result.exitCode(), result::toString);
    return result;
  }
}
