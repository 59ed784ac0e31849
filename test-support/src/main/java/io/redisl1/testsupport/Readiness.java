package io.redisl1.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for PONG rather than for a log line: only a reply proves clients can use the server. */
final class Readiness {
  private static final long POLL_MILLIS = 50;

  private Readiness() {}

  /**
   * Polls PING until PONG, the timeout, or {@code alive} turning false (a crashed server fails
   * at once instead of after the full timeout). {@code diagnostics} is read only on failure.
   */
  static void awaitPing(
      RedisEndpoint endpoint, Duration timeout, BooleanSupplier alive, Supplier<String> diagnostics) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (true) {
      try (RespClient client = endpoint.connect()) {
        if ("PONG".equals(client.call("PING"))) {
          return;
        }
      } catch (RespErrorException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("NOAUTH")) {
          return; // a server started with requirepass: up, and refusing as it should
        }
        last = e; // -LOADING: "not yet"
      } catch (RuntimeException e) {
        last = e; // refused while starting: "not yet"
      }
      if (!alive.getAsBoolean()) {
        throw new IllegalStateException(
            "Redis at " + endpoint + " exited before answering PING\n" + diagnostics.get(), last);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Redis at " + endpoint + " did not answer PING within " + timeout.toSeconds() + "s\n"
                + diagnostics.get(),
            last);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Redis at " + endpoint, e);
      }
    }
  }
}
