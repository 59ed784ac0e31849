package io.redisl1.store;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's few log lines, on stderr with one recognisable prefix. The agent must not depend on
 * (or initialise) whatever logging framework the application brings.
 */
public final class L1Log {
  private static final String PREFIX = "[redis-l1] ";
  private static final Set<String> said = ConcurrentHashMap.newKeySet();

  private L1Log() {}

  public static void info(String message) {
    System.err.println(PREFIX + message);
  }

  public static void warn(String message) {
    System.err.println(PREFIX + "WARN " + message);
  }

  public static void error(String message) {
    System.err.println(PREFIX + "ERROR " + message);
  }

  /** Logs a line only the first time {@code topic} comes up. */
  public static void infoOnce(String topic, String message) {
    if (said.add(topic)) {
      info(message);
    }
  }

  /** Logs a warning only the first time {@code topic} comes up, so a hot path cannot flood. */
  public static void warnOnce(String topic, String message) {
    if (said.add(topic)) {
      warn(message);
    }
  }
}
