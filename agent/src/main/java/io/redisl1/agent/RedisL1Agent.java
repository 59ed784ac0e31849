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

  private RedisL1Agent() {}

  public static void premain(String args, Instrumentation inst) {
    start(args, inst, false);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst, true);
  }

  private static void start(String args, Instrumentation inst, boolean lateAttach) {
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
}
