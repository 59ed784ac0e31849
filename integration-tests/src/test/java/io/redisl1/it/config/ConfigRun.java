package io.redisl1.it.config;

import io.redisl1.it.AgentRun;
import io.redisl1.testsupport.ForkedJvm;
import io.redisl1.testsupport.RedisEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link ConfigScenarios} in a forked JVM under the built agent, and what it printed. */
final class ConfigRun {
  private ConfigRun() {}

  static ForkedJvm.Builder jvm() {
    return ForkedJvm.builder()
        .javaagent(AgentRun.AGENT_JAR)
        .classpath(AgentRun.testClasspath())
        .mainClass(ConfigScenarios.class)
        .timeout(Duration.ofSeconds(120));
  }

  static ForkedJvm.Builder args(ForkedJvm.Builder jvm, String scenario, RedisEndpoint redis, String... more) {
    jvm.args(scenario, redis.host(), Integer.toString(redis.port()));
    return jvm.args(more);
  }

  /** The {@code name=value} lines of stdout. */
  static Map<String, String> values(ForkedJvm.Result result) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : result.stdout().split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    return values;
  }

  static long number(ForkedJvm.Result result, String name) {
    String value = values(result).get(name);
    if (value == null) {
      throw new AssertionError("the program printed no '" + name + "'; " + result);
    }
    return Long.parseLong(value);
  }

  static List<String> agentLines(ForkedJvm.Result result) {
    List<String> lines = new ArrayList<>();
    for (String line : result.stderr().split("\n")) {
      if (line.startsWith("[redis-l1]")) {
        lines.add(line);
      }
    }
    return lines;
  }
}
