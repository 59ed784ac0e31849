package io.redisl1.agent.internal;

/**
 * How long each step of the agent's start took, wall clock, for the {@code debug} log: the time
 * the agent adds before the application's {@code main} is the sum of these.
 */
final class StartupPhases {
  private final long start = System.nanoTime();
  private long last = start;
  private final StringBuilder phases = new StringBuilder();

  /** Ends the step running since the previous mark. */
  void mark(String phase) {
    long now = System.nanoTime();
    phases.append(phases.length() == 0 ? "" : ", ").append(phase).append(' ').append(millis(now - last)).append(" ms");
    last = now;
  }

  /** The steps and their total, e.g. {@code config 31.2 ms, store 4.0 ms; 35.2 ms in all}. */
  String summary() {
    return phases + "; " + millis(last - start) + " ms in all";
  }

  private static String millis(long nanos) {
    return String.valueOf(Math.round(nanos / 100_000.0) / 10.0);
  }
}
