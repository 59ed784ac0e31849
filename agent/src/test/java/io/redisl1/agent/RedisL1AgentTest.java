package io.redisl1.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which JVMs that inherit JAVA_TOOL_OPTIONS the agent stays out of, from their sun.java.command. */
class RedisL1AgentTest {

  /** What JDK 17's launchers set, read from the tools themselves (see DeployedAgentTest for the live check). */
  @ParameterizedTest
  @ValueSource(strings = {
    "jdk.jcmd/sun.tools.jps.Jps",
    "jdk.jcmd/sun.tools.jcmd.JCmd -h",
    "java.base/sun.security.tools.keytool.Main -list -keystore /etc/ssl/cacerts",
    "jdk.jartool/sun.tools.jar.Main --version",
    "jdk.compiler/com.sun.tools.javac.Main -version",
    "jdk.jshell/jdk.internal.jshell.tool.JShellToolProvider --version",
    "jdk.jfr/jdk.jfr.internal.tool.Main summary x.jfr",
    "jdk.jdeps/com.sun.tools.javap.Main -version",
    "org.apache.maven.wrapper.MavenWrapperMain -B verify",
    "org.codehaus.plexus.classworlds.launcher.Launcher -q package",
    "org.gradle.wrapper.GradleWrapperMain build",
    "org.gradle.launcher.GradleMain build",
    "org.gradle.launcher.daemon.bootstrap.GradleDaemon 8.10",
  })
  void toolsAndBuildLaunchersAreSkipped(String javaCommand) {
    assertTrue(RedisL1Agent.isToolJvm(javaCommand), javaCommand);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {
    "/app/app.jar --server.port=8080",
    "app.jar",
    "jdk.tools/app.jar", // a jar in a directory that happens to look like a JDK module
    "com.acme.Main",
    "org.springframework.boot.loader.launch.JarLauncher",
    "com.acme.orders/com.acme.orders.Main", // an application module
    "jdk.compiler/com.sun.tools.javac.launcher.Main App.java", // java App.java runs application code
    "org.apache.maven.surefire.booter.ForkedBooter /tmp/surefire 1.tmp", // the application's own tests
    "   ",
  })
  void applicationsAreNot(String javaCommand) {
    assertFalse(RedisL1Agent.isToolJvm(javaCommand), String.valueOf(javaCommand));
  }
}
