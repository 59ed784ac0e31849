package io.redisl1.agent.internal;

import io.redisl1.store.L1Log;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Stats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Re-reads the configuration file every {@code reload-interval} and puts a changed, valid one in
 * force; also writes the periodic report line ({@code report-interval}). Both run on one daemon
 * thread, started once and never more.
 *
 * <p>It polls the path rather than watching the directory: a Kubernetes ConfigMap volume updates
 * by renaming a {@code ..data} symlink onto a new timestamped directory, which a watch on the
 * file's own directory does not report as a change of the file. Re-reading the path through the
 * links every time sees whatever is current. Only the file's bytes decide whether to reload; the
 * environment and system properties are resolved again with it.
 *
 * <p>A file that cannot be read or used keeps the configuration in force, with one error line per
 * distinct problem (not one per poll); a good reload logs one line naming what changed.
 */
final class ConfigReloader {
  interface Resolver {
    AgentConfig resolve(byte[] content) throws ConfigException;
  }

  private final Path file;
  private final Resolver resolver;
  private final Consumer<AgentConfig> apply;
  private final ScheduledExecutorService thread;
  private AgentConfig current;
  private byte[] lastContent;
  private String lastProblem;
  private ScheduledFuture<?> polling;
  private ScheduledFuture<?> reporting;

  /**
   * @param file null to only report
   * @param current the configuration in force
   * @param content the bytes {@code current} was read from (null if none could be used)
   * @param apply puts a new configuration in force; called on the reloader's thread
   * @param problem what was wrong with the file at start (already logged), or null
   */
  ConfigReloader(Path file, Resolver resolver, Consumer<AgentConfig> apply, AgentConfig current, byte[] content, String problem) {
    this.file = file;
    this.resolver = resolver;
    this.apply = apply;
    this.current = current;
    this.lastContent = content;
    this.lastProblem = problem;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread t = new Thread(task, "redis-l1-config");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts polling and reporting as {@code current} says. */
  synchronized void start() {
    schedule(current);
  }

  /** Stops the thread (tests). */
  void stop() {
    thread.shutdownNow();
  }

  private synchronized void schedule(AgentConfig config) {
    Duration poll = config.get(Settings.RELOAD_INTERVAL);
    if (polling != null) {
      polling.cancel(false);
      polling = null;
    }
    if (file != null && !poll.isZero()) {
      polling = thread.scheduleWithFixedDelay(this::pollQuietly, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }
    Duration report = config.get(Settings.REPORT_INTERVAL);
    if (reporting != null) {
      reporting.cancel(false);
      reporting = null;
    }
    if (!report.isZero()) {
      reporting = thread.scheduleAtFixedRate(ConfigReloader::reportQuietly, report.toMillis(), report.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** One poll; public to tests through {@link #poll}. An exception would cancel the schedule. */
  private void pollQuietly() {
    try {
      poll();
    } catch (Throwable t) {
      problem("config " + file + " could not be reloaded: " + t);
    }
  }

  synchronized void poll() {
    byte[] content;
    try {
      content = ConfigResolver.read(file);
    } catch (ConfigException e) {
      lastContent = null; // whatever comes back is read afresh
      problem(e.getMessage());
      return;
    }
    if (Arrays.equals(content, lastContent)) {
      return;
    }
    lastContent = content;
    AgentConfig next;
    try {
      next = resolver.resolve(content);
    } catch (ConfigException e) {
      problem(e.getMessage());
      return;
    }
    String changes = next.changesFrom(current);
    apply.accept(next);
    boolean rescheduled =
        !next.get(Settings.RELOAD_INTERVAL).equals(current.get(Settings.RELOAD_INTERVAL))
            || !next.get(Settings.REPORT_INTERVAL).equals(current.get(Settings.REPORT_INTERVAL));
    current = next;
    lastProblem = null;
    count(L1Stats.ReloadResult.APPLIED);
    L1Log.info("config " + file + " reloaded: " + (changes.isEmpty() ? "nothing changed" : changes));
    if (rescheduled) {
      schedule(next);
    }
  }

  synchronized AgentConfig current() {
    return current;
  }

  private void problem(String message) {
    if (!message.equals(lastProblem)) {
      lastProblem = message;
      count(L1Stats.ReloadResult.REJECTED);
      L1Log.error(message + "; keeping the configuration in force");
    }
  }

  /** Counted on the L1 in force, if any: a file may change while the L1 is off after a failure. */
  private static void count(L1Stats.ReloadResult result) {
    L1Runtime runtime = L1Runtime.current();
    if (runtime != null) {
      runtime.store().stats().reloaded(result);
    }
  }

  private static void reportQuietly() {
    try {
      L1Runtime runtime = L1Runtime.current();
      if (runtime != null) {
        L1Log.info(runtime.report());
      }
    } catch (Throwable t) {
      L1Log.warnOnce("report", "the periodic report failed: " + t);
    }
  }
}
