package io.redisl1.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.it.AgentRun.Outcome;
import io.redisl1.testsupport.ForkedJvm;
import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisServerExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent never breaks its host: without configuration, with a broken one, on an unsupported
 * client, next to the application's own copies of its dependencies, and on the newest JDK.
 */
@ExtendWith(RedisServerExtension.class)
class AgentLifecycleTest {
  private final RedisEndpoint redis;

  AgentLifecycleTest(RedisEndpoint redis) {
    this.redis = redis;
  }

  @Test
  void withoutConfigurationTheAgentSaysSoOnceAndPassesEverythingThrough() {
    Outcome o = AgentRun.withConfig(null).run(JedisProgram.class, "plain", redis);

    assertEquals(0, o.result.exitCode(), o::toString);
    assertEquals("p", o.get("values"));
    assertEquals(10, o.number("gets@after"), o::toString);
    List<String> lines = o.agentLines();
    assertEquals(1, lines.size(), o::toString);
    assertTrue(lines.get(0).contains("attached") && lines.get(0).contains("caching nothing"), o::toString);
  }

  @Test
  void malformedYamlIsReportedWithFileAndLineAndTheAppRunsUncached() {
    Outcome o = AgentRun.withConfig("rules:\n  - prefix: \"user:\"\n    ttl: [60s\n").run(JedisProgram.class, "plain", redis);

    assertEquals(0, o.result.exitCode(), o::toString);
    assertEquals(10, o.number("gets@after"), o::toString);
    // One error line; the hooks, the metrics endpoint and the channel stay up for a fixed file.
    List<String> lines = o.agentLines();
    assertTrue(lines.get(0).matches(".*ERROR config .*redis-l1-.*\\.yaml line \\d+.*not valid YAML.*"), o::toString);
    assertEquals(1, lines.stream().filter(l -> l.contains("ERROR") || l.contains("WARN")).count(), o::toString);
    assertTrue(lines.stream().anyMatch(l -> l.contains("metrics on http://127.0.0.1:")), "the fork's -D settings still apply; " + o);
  }

  @Test
  void aBadValueNamesItsLineAndKeyAndWhatWasExpected() {
    String config = "max-memory: 64MB\nrules:\n  - prefix: \"user:\"\n    ttl: soon\n";
    Outcome o = AgentRun.withConfig(config).run(JedisProgram.class, "plain", redis);

    assertEquals(0, o.result.exitCode(), o::toString);
    assertEquals(10, o.number("gets@after"), o::toString);
    String line = o.agentLines().get(0);
    assertTrue(line.contains("line 4 key 'ttl': expected a positive duration like 500ms"), line);
    assertTrue(line.contains("got 'soon'"), line);
  }

  @Test
  void enabledFalseCachesNothing() {
    Outcome o = AgentRun.withConfig("enabled: false\nrules:\n  - prefix: \"\"\n").run(JedisProgram.class, "plain", redis);

    assertEquals(10, o.number("gets@after"), o::toString);
    assertTrue(o.agentLines().get(0).contains("enabled: false"), o::toString);
  }

  @Test
  void theStartupLineNamesVersionPrefixesAndMemoryBudget() {
    Outcome o = AgentRun.withConfig(AgentRun.CONFIG).run(JedisProgram.class, "plain", redis);

    String startup = o.agentLines().stream().filter(l -> l.contains("caching prefixes")).findFirst().orElseThrow();
    assertTrue(startup.matches(".*redis-l1 \\S+ caching prefixes \\[.*'user:' ttl=PT1M.*\\] in 16MB.*"), startup);
    assertTrue(!startup.contains("session:"), "a bypassed prefix is not an enabled one: " + startup);
  }

  @Test
  void anUnsupportedJedisIsLeftAloneWithOneWarning() {
    Outcome o = AgentRun.withConfig(AgentRun.CONFIG).jedis("3.10.0").run(JedisProgram.class, "plain", redis);

    assertEquals(0, o.result.exitCode(), o::toString);
    assertEquals("p", o.get("values"));
    assertEquals(10, o.number("gets@after"), o::toString);
    assertEquals(1, o.agentLines().stream().filter(l -> l.contains("WARN") && l.contains("Jedis")).count(), o::toString);
  }

  @Test
  void anUnsupportedLettuceIsLeftAloneWithOneWarning() {
    Outcome o = AgentRun.withConfig(AgentRun.CONFIG).lettuce("5.3.7.RELEASE").run(LettuceProgram.class, "plain", redis);

    assertEquals(0, o.result.exitCode(), o::toString);
    assertEquals("v", o.get("value"));
    assertEquals(5, o.number("gets@after"), "an unsupported Lettuce must run uncached; " + o);
    assertEquals(
        1, o.agentLines().stream().filter(l -> l.contains("WARN") && l.contains("Lettuce")).count(), o::toString);
  }

  @Test
  void theApplicationsOwnCaffeineIsUntouchedByTheAgentsRelocatedOne() {
    Outcome o = AgentRun.withConfig(AgentRun.CONFIG).run(JedisProgram.class, "caffeine", redis);

    assertEquals(0, o.result.exitCode(), o::toString);
    assertEquals("app-value", o.get("app.caffeine"));
    assertTrue(o.get("app.caffeine.jar").contains("caffeine-2.9.3"), o::toString);
    assertEquals("null", o.get("agent.caffeine.loader"), "the agent's Caffeine lives on the bootstrap path");
    assertEquals(1, o.number("gets@pooledHits"), "the L1 works beside the app's Caffeine; " + o);
  }

  @Test
  void attachingToARunningJvmLeavesAlreadyLoadedClientsAloneAndSaysSo() throws Exception {
    java.nio.file.Path config = java.nio.file.Files.createTempFile("redis-l1-late", ".yaml");
    java.nio.file.Files.writeString(config, AgentRun.CONFIG);
    ForkedJvm.Result result =
        ForkedJvm.builder()
            .jvmArg("-Djdk.attach.allowAttachSelf=true")
            .classpath(AgentRun.testClasspath())
            .mainClass(JedisProgram.class)
            .args("lateAttach", redis.host(), Integer.toString(redis.port()), AgentRun.AGENT_JAR.toAbsolutePath() + "=" + config)
            .run();
    Outcome o = new Outcome(result);

    assertEquals(0, result.exitCode(), o::toString);
    assertEquals("v", o.get("after"));
    assertEquals(6, o.number("gets@after"), "a Jedis loaded before the agent stays uncached; " + o);
    assertTrue(o.agentLines().stream().anyMatch(l -> l.contains("attached late")), o::toString);
  }

  @Test
  void theAgentWorksOnJava25() {
    Optional<Path> jdk25 = ForkedJvm.findJdk(25);
    assertTrue(jdk25.isPresent(), "no JDK 25 under /usr/lib/jvm; the agent must be proven on it");
    Outcome o = AgentRun.withConfig(AgentRun.CONFIG).javaHome(jdk25.get()).run(JedisProgram.class, "hits", redis);

    assertEquals(0, o.result.exitCode(), o::toString);
    assertEquals(1, o.number("gets@pooledHits"), o::toString);
    assertEquals(1, o.number("gets@jedisHits"), o::toString);

    Outcome lettuce =
        AgentRun.withConfig(AgentRun.CONFIG)
            .javaHome(jdk25.get())
            .run(LettuceProgram.class, "hits", redis);
    assertEquals(0, lettuce.result.exitCode(), lettuce::toString);
    assertEquals(1, lettuce.number("gets@sync"), lettuce::toString);
    assertEquals(1, lettuce.number("gets@reactive"), lettuce::toString);
  }
}
