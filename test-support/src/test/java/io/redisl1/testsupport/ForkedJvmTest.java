package io.redisl1.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ForkedJvmTest {

  @Test
  void capturesOutputAndExitCode() {
    ForkedJvm.Result result = ForkedJvm.builder()
        .systemProperty("forked.prop", "p1")
        .env("FORKED_ENV", "e1")
        .mainClass(ForkedMain.class)
        .args("echo", "3")
        .run();
    assertEquals(3, result.exitCode(), result::toString);
    assertTrue(result.stdout().contains("prop=p1"), result::toString);
    assertTrue(result.stdout().contains("env=e1"), result::toString);
    assertEquals("to stderr", result.stderr().strip(), result::toString);
  }

  @Test
  void largeOutputOnBothStreamsDoesNotDeadlock() {
    ForkedJvm.Result result =
        ForkedJvm.builder().mainClass(ForkedMain.class).args("flood").run();
    assertEquals(0, result.exitCode(), result::toString);
    assertEquals(1024 * 1024, result.stdout().length());
    assertEquals(1024 * 1024, result.stderr().length());
  }

  @Test
  void timeoutKillsTheJvmAndReportsItsOutput() {
    AssertionError e = assertThrows(AssertionError.class, () -> ForkedJvm.builder()
        .mainClass(ForkedMain.class)
        .args("sleep")
        .timeout(Duration.ofSeconds(3))
        .run());
    assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    assertTrue(e.getMessage().contains("going to sleep"), e.getMessage());
  }

  @Test
  void findsTheRunningJdk() {
    Optional<Path> home = ForkedJvm.findJdk(Runtime.version().feature());
    assertTrue(home.isPresent());
    assertTrue(Files.isExecutable(home.get().resolve("bin/java")));
    // The release file, not the directory name, is what identifies a JDK under /usr/lib/jvm.
    assertEquals(Runtime.version().feature(), JdkLocator.featureVersion(home.get()));
  }

  @Test
  void runsOnJava25WhenInstalled() {
    Optional<Path> jdk25 = ForkedJvm.findJdk(25);
    assumeTrue(jdk25.isPresent(), "no JDK 25 under /usr/lib/jvm");
    ForkedJvm.Result result = ForkedJvm.builder()
        .javaHome(jdk25.get())
        .mainClass(ForkedMain.class)
        .args("echo", "0")
        .run();
    assertTrue(result.stdout().contains("java=25"), result::toString);
  }
}
