package io.redisl1.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a process to completion, capturing both streams fully, and kills its tree on timeout. Public
 * for tests that run other programs than a JVM (kubectl, buildah, a JDK tool).
 */
public final class ProcessRunner {
  /** How long to wait for output after exit; a grandchild that kept our pipes open can't stall us. */
  private static final long DRAIN_MILLIS = 10_000;

  private ProcessRunner() {}

  /** Throws AssertionError on timeout; {@code env} is added to the inherited environment. */
  public static ForkedJvm.Result run(List<String> command, Map<String, String> env, Duration timeout) {
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(env);
      process = builder.start();
      process.getOutputStream().close(); // the child sees EOF on stdin instead of waiting forever
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0), e);
    }
    // One reader per stream: a child blocked on a full stderr pipe would never finish stdout.
    Drain stdout = new Drain(process.getInputStream(), "stdout");
    Drain stderr = new Drain(process.getErrorStream(), "stderr");
    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      killTree(process);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + command, e);
    }
    if (!finished) {
      killTree(process);
    }
    ForkedJvm.Result result =
        new ForkedJvm.Result(finished ? process.exitValue() : -1, stdout.text(), stderr.text());
    if (!finished) {
      throw new AssertionError(
          "forked JVM timed out after " + timeout.toSeconds() + "s and was killed: " + command
              + "\n" + result);
    }
    return result;
  }

  private static void killTree(Process process) {
    // Children first, and listed before the parent dies: once orphaned they can't be found.
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Drain extends Thread {
    private final InputStream in;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    Drain(InputStream in, String name) {
      super("forked-jvm-" + name);
      this.in = in;
      setDaemon(true);
      start();
    }

    @Override
    public void run() {
      byte[] chunk = new byte[8192];
      try (in) {
        for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
          buffer.write(chunk, 0, n); // ByteArrayOutputStream is synchronized
        }
      } catch (IOException ignored) {
        // Stream closed under us (process killed): keep what we have.
      }
    }

    String text() {
      try {
        join(DRAIN_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return buffer.toString(StandardCharsets.UTF_8);
    }
  }
}
