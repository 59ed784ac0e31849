package io.redisl1.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * The agent's entry point, loaded by the system class loader. It only puts its own jar on the
 * bootstrap class path and hands over: everything else loads from there, so the code that
 * instrumented clients call is visible from every class loader (application servers, Spring Boot
 * fat jars). This class must not reference any other class of the agent.
 */
public final class RedisL1Agent {
  private static final String INSTALLER = "io.redisl1.agent.internal.AgentInstaller";

  /**
   * Launchers of build tools, which run no Redis client of the application but inherit a pod's
   * {@code JAVA_TOOL_OPTIONS} when someone runs them in the container. (The JDK's own tools are
   * recognised by their module instead, see {@link #isToolJvm}.)
   */
  private static final String[] BUILD_TOOL_MAIN_CLASSES = {
    "org.apache.maven.wrapper.MavenWrapperMain",
    "org.codehaus.plexus.classworlds.launcher.Launcher", // mvn
    "org.gradle.wrapper.GradleWrapperMain",
    "org.gradle.launcher.GradleMain",
    "org.gradle.launcher.daemon.bootstrap.GradleDaemon",
  };

  private RedisL1Agent() {}

  public static void premain(String args, Instrumentation inst) {
    start(args, inst, false);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst, true);
  }

  private static void start(String args, Instrumentation inst, boolean lateAttach) {
    if (isToolJvm(System.getProperty("sun.java.command"))) {
      return; // silently: the JVM's own "Picked up JAVA_TOOL_OPTIONS" line is all the tool prints
    }
    try {
      File jar = new File(RedisL1Agent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
      Class.forName(INSTALLER, true, null)
          .getMethod("install", String.class, Instrumentation.class, boolean.class)
          .invoke(null, args, inst, lateAttach);
    } catch (Throwable t) {
      System.err.println("[redis-l1] ERROR the agent could not start; the application runs without it: " + t);
    }
  }

  /**
   * Whether the launcher's {@code sun.java.command} names a JDK tool (jps, jcmd, keytool, jar,
   * javac...) or a build tool launcher: short-lived JVMs that pick up {@code JAVA_TOOL_OPTIONS}
   * meant for the application. JDK tools start as {@code <module>/<main class>} from a {@code
   * java.*} or {@code jdk.*} module; an application's {@code -jar app.jar} or main class does not.
   * The source launcher ({@code java App.java}) runs application code and is not skipped. Without
   * the property (a JVM created through JNI, e.g. jsvc, or {@code java -version}) nothing is
   * skipped.
   */
  static boolean isToolJvm(String javaCommand) {
    if (javaCommand == null || javaCommand.isBlank()) {
      return false;
    }
    String main = javaCommand.strip().split("\\s+", 2)[0];
    int slash = main.indexOf('/');
    if (slash > 0 && main.indexOf('/', slash + 1) < 0 && !main.endsWith(".jar")) {
      String module = main.substring(0, slash);
      String className = main.substring(slash + 1);
      return (module.startsWith("java.") || module.startsWith("jdk."))
          && !className.startsWith("com.sun.tools.javac.launcher.");
    }
    for (String launcher : BUILD_TOOL_MAIN_CLASSES) {
      if (main.equals(launcher)) {
        return true;
      }
    }
    return false;
  }
}
