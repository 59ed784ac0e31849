package io.redisl1.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.testsupport.ForkedJvm;
import io.redisl1.testsupport.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * In a pod, JAVA_TOOL_OPTIONS reaches every JVM started in the container, so `kubectl exec ... jcmd`
 * or a build tool would load the agent too. They must print nothing of ours: only the JVM's own
 * "Picked up JAVA_TOOL_OPTIONS" line. An application JVM with the same options is the control.
 */
class JdkToolsTest {
  private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  @TempDir static Path dir;

  /** The options a pod would set, with a configuration that caches (so the agent would speak). */
  private static Map<String, String> podEnv() throws IOException {
    Path config = dir.resolve("redis-l1.yaml");
    Files.writeString(config, "rules:\n  - prefix: \"user:\"\n    ttl: 60s\n");
    return Map.of("JAVA_TOOL_OPTIONS", "-javaagent:" + AgentRun.AGENT_JAR.toAbsolutePath() + " -Dredisl1.config=" + config);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jps", "jcmd -l", "keytool -help", "jar --version", "javac -version"})
  void jdkToolsStaySilent(String tool) throws IOException {
    List<String> command = new ArrayList<>(List.of(tool.split(" ")));
    command.set(0, JAVA_HOME.resolve("bin").resolve(command.get(0)).toString());
    assertSilent(ProcessRunner.run(command, podEnv(), TIMEOUT));
  }

  /** Maven's launcher, through the wrapper this build runs on (its Maven is already downloaded). */
  @Test
  void theMavenLauncherStaysSilent() throws IOException {
    Path mvnw = Path.of("..", "mvnw").toAbsolutePath().normalize();
    assertTrue(Files.isExecutable(mvnw), "missing " + mvnw);
    ForkedJvm.Result result = ProcessRunner.run(List.of(mvnw.toString(), "-B", "-o", "--version"), podEnv(), TIMEOUT);
    assertTrue(result.stdout().contains("Apache Maven"), result::toString);
    assertSilent(result);
  }

  @Test
  void anApplicationWithTheSameOptionsStartsTheAgent() throws IOException {
    ForkedJvm.Builder app = ForkedJvm.builder().mainClass(LoadsAClient.class).timeout(TIMEOUT);
    podEnv().forEach(app::env);
    ForkedJvm.Result result = app.run();
    assertEquals(0, result.exitCode(), result::toString);
    assertTrue(result.stderr().contains("[redis-l1] redis-l1 ") && result.stderr().contains("caching prefixes"), result::toString);
  }

  private static void assertSilent(ForkedJvm.Result result) {
    assertEquals(0, result.exitCode(), result::toString);
    assertTrue(result.stderr().contains("Picked up JAVA_TOOL_OPTIONS: -javaagent:"), () -> "the tool inherited the options: " + result);
    assertFalse(result.stdout().contains("[redis-l1]") || result.stderr().contains("[redis-l1]"), result::toString);
  }

  /**
   * An application that only loads a client class: the agent's start-up line is all it prints. The
   * agent starts beside main and says so before the first client class loads; an application that
   * exits at once may end before that.
   */
  public static final class LoadsAClient {
    public static void main(String[] args) throws ClassNotFoundException {
      Class.forName("redis.clients.jedis.Connection");
    }
  }
}
