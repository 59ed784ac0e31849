package io.redisl1.it.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisServerExtension;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metrics.global-registry: true} with the Spring Boot sample (StringRedisTemplate on
 * Lettuce), run as a web app under the real agent against a real Redis: the app's own actuator
 * (its Prometheus registry, fed from Micrometer's global registry) must show redis-l1's cache
 * figures equal to the agent's own endpoint and to what the sample counted at the server; and when
 * a reload swaps which prefix is cached, the actuator must follow as the agent's endpoint does.
 */
@ExtendWith(RedisServerExtension.class)
class ActuatorGlobalRegistryTest {
  static final Path AGENT_JAR = Path.of(System.getProperty("redisl1test.agentJar", "../agent/target/redis-l1-agent.jar"));
  static final Path SAMPLE = Path.of(System.getProperty("redisl1test.springSampleDir", "../sample-apps/spring-lettuce"));
  private static final String HEAD =
      """
      reload-interval: 250ms
      max-memory: 16MB
      canary-interval: 1s
      metrics:
        host: 127.0.0.1
        global-registry: true
      rules:
      """;
  private static final String PRODUCT_CACHED =
      HEAD + "  - prefix: \"product:\"\n    ttl: 60s\n  - prefix: \"stock:\"\n    cache: false\n";
  private static final String STOCK_CACHED =
      HEAD + "  - prefix: \"product:\"\n    cache: false\n  - prefix: \"stock:\"\n    ttl: 60s\n";
  /** The sample's GETs of each prefix per report: 1,000 cold, 200,000 hot and one after its write; 20,000. */
  private static final long PRODUCT_GETS = 201_001;
  private static final long STOCK_GETS = 20_000;

  private final RedisEndpoint redis;
  @TempDir Path dir;

  ActuatorGlobalRegistryTest(RedisEndpoint redis) {
    this.redis = redis;
  }

  @Test
  void theActuatorShowsTheAgentsFiguresAndFollowsAReload() throws Exception {
    Path config = dir.resolve("redis-l1.yaml");
    publish(config, PRODUCT_CACHED);
    int agentPort = freePort();
    int appPort = freePort();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + AGENT_JAR.toAbsolutePath(),
        "-Dredisl1.config=" + config,
        "-Dredisl1.metrics.port=" + agentPort,
        "-cp", sampleClasspath(),
        "io.redisl1.samples.spring.SpringLettuceSample",
        "--spring.main.web-application-type=servlet",
        "--server.address=127.0.0.1",
        "--server.port=" + appPort,
        "--management.endpoints.web.exposure.include=prometheus,metrics",
        "--sample.keep-running=true")); // a report, then 30 s idle: the scrapes below fall in that pause

    try (RunningSample app = RunningSample.start(command, Map.of("REDIS_URL", redis.uri()), dir)) {
      // 1. product: cached. Every product: GET that did not reach Redis was a hit.
      String report = app.awaitReports(1, Duration.ofMinutes(5));
      String agent = app.get(agentPort, "/metrics");
      String actuator = app.get(appPort, "/actuator/prometheus");
      String hitsJson = app.get(appPort, "/actuator/metrics/cache.gets?tag=cache:product:&tag=result:hit");
      assertEquals(1, app.reportsBegun(), "scraped during the pause after the first report; " + app);
      long appGets = number(report, "GETs by the app"), serverGets = number(report, "GETs that hit Redis");
      assertEquals(PRODUCT_GETS + STOCK_GETS, appGets, report);
      long hits = appGets - serverGets;
      assertTrue(hits > PRODUCT_GETS / 2, report);
      assertSameFigure("product:", "hit", hits, agent, actuator);
      assertSameFigure("product:", "miss", serverGets - STOCK_GETS, agent, actuator);
      assertEquals(hits, actuatorCount(hitsJson), hitsJson);
      assertEquals(value(agent, "redisl1_memory_budget_bytes"), value(actuator, "redisl1_memory_budget_bytes"), actuator);
      assertEquals(STOCK_GETS, value(actuator, "redisl1_reads_bypassed_total{reason=\"rule_off\"}"), actuator);
      assertFalse(actuator.contains("cache=\"stock:\""), "a rule that caches nothing is no cache; " + actuator);
      System.out.printf("first report: %d GETs, %d at the server; actuator and agent: %d hits%n", appGets, serverGets, hits);

      // 2. A reload swaps the cached prefix: the actuator follows within the agent's refresh period.
      publish(config, STOCK_CACHED);
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (!(actuator = app.get(appPort, "/actuator/prometheus")).contains("cache=\"stock:\"")
          || actuator.contains("cache=\"product:\"")) {
        assertTrue(System.nanoTime() < deadline, "the actuator did not follow the reload; " + actuator + "\n" + app);
        Thread.sleep(200);
      }
      agent = app.get(agentPort, "/metrics");
      assertFalse(agent.contains("cache=\"product:\""), agent);
      assertEquals(0, value(actuator, "cache_gets_total{cache=\"stock:\",cache_manager=\"redisl1\",result=\"hit\"}"), actuator);
      assertEquals(1, app.reportsBegun(), "the reload was checked before the next report; " + app);

      // 3. The next report reads stock: from the L1 and product: from Redis.
      report = app.awaitReports(2, Duration.ofMinutes(5));
      agent = app.get(agentPort, "/metrics");
      actuator = app.get(appPort, "/actuator/prometheus");
      assertEquals(2, app.reportsBegun(), "scraped during the pause after the second report; " + app);
      appGets = number(report, "GETs by the app");
      serverGets = number(report, "GETs that hit Redis");
      long stockHits = appGets - serverGets;
      assertTrue(stockHits > STOCK_GETS / 2, report);
      assertSameFigure("stock:", "hit", stockHits, agent, actuator);
      assertSameFigure("stock:", "miss", serverGets - PRODUCT_GETS, agent, actuator);
      assertFalse(actuator.contains("cache=\"product:\""), actuator);
      assertTrue(app.stderr().contains("Metrics.globalRegistry"), app::toString);
      System.out.printf("after the reload: %d GETs, %d at the server; actuator and agent: %d stock: hits%n",
          appGets, serverGets, stockHits);
    }
  }

  /** The rule's cache.gets for {@code result} is {@code expected} in the agent's scrape and the app's. */
  private static void assertSameFigure(String prefix, String result, long expected, String agent, String actuator) {
    String series = "cache_gets_total{cache=\"" + prefix + "\",cache_manager=\"redisl1\",result=\"" + result + "\"}";
    assertEquals(expected, value(agent, series), "agent's /metrics: " + agent);
    assertEquals(expected, value(actuator, series), "actuator's /actuator/prometheus: " + actuator);
  }

  /** Rewritten as a ConfigMap update would: the whole file replaced at once. */
  private void publish(Path config, String content) throws IOException {
    Path next = Files.writeString(dir.resolve("next.yaml"), content);
    Files.move(next, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static long value(String scraped, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scraped);
    assertTrue(m.find(), () -> "no series " + series + " in:\n" + scraped);
    return (long) Double.parseDouble(m.group(1));
  }

  private static long actuatorCount(String json) {
    Matcher m = Pattern.compile("\"statistic\":\"COUNT\",\"value\":([0-9.E]+)").matcher(json);
    assertTrue(m.find(), json);
    return (long) Double.parseDouble(m.group(1));
  }

  private static long number(String report, String label) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + ":\\s+([\\d,]+)").matcher(report);
    assertTrue(m.find(), "no '" + label + "' in the sample's report:\n" + report);
    return Long.parseLong(m.group(1).replace(",", ""));
  }

  /** The sample's classes and the class path its own build resolved (Spring Boot's managed versions). */
  private static String sampleClasspath() throws IOException {
    Path resolved = SAMPLE.resolve("target/runtime-classpath.txt");
    assertTrue(Files.isRegularFile(resolved), "build the sample first: " + resolved);
    return SAMPLE.resolve("target/classes").toAbsolutePath() + File.pathSeparator + Files.readString(resolved).strip();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
