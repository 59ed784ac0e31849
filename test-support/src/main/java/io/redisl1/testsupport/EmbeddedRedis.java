package io.redisl1.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.embedded.core.ExecutableProvider;

/**
 * A private {@code redis-server} from the embedded-redis jar, run as our own child process.
 *
 * <p>We only borrow the binary (embedded-redis picks the one for this OS and CPU); starting and
 * stopping stay here so that the server is bound to 127.0.0.1 on a free port, never persists
 * anything, is declared ready only once it answers PING, and is stopped through its own
 * {@link Process} handle rather than by name or port.
 */
final class EmbeddedRedis implements RedisHandle {
  private static final String HOST = "127.0.0.1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  /** The free port is found by closing a probe socket, so another process may grab it first. */
  private static final int START_ATTEMPTS = 3;

  private static File binary;

  private final Process process;
  private final Path dir;
  private final RedisEndpoint endpoint;
  private final Thread stopOnExit = new Thread(this::stop, "redis-l1-embedded-redis-stop");
  private boolean closed;

  private EmbeddedRedis(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.endpoint = new RedisEndpoint(HOST, port);
  }

  static EmbeddedRedis start(String... extraArgs) {
    IllegalStateException failure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      EmbeddedRedis redis = launch(freePort(), extraArgs);
      try {
        Readiness.awaitPing(redis.endpoint, START_TIMEOUT, redis.process::isAlive, redis::output);
        // A JVM that exits without close() (a sample app's main, a failed run) must not leave
        // a stray redis-server behind.
        Runtime.getRuntime().addShutdownHook(redis.stopOnExit);
        return redis;
      } catch (IllegalStateException e) {
        boolean portTaken = redis.output().contains("Address already in use");
        redis.stop();
        if (!portTaken) {
          throw e;
        }
        failure = e;
      }
    }
    throw failure;
  }

  private static EmbeddedRedis launch(int port, String... extraArgs) {
    try {
      Path dir = Files.createTempDirectory("redis-l1-test-");
      List<String> command = new java.util.ArrayList<>(List.of(
          binary().getAbsolutePath(),
          "--port", Integer.toString(port),
          "--bind", HOST,
          "--save", "", // no RDB snapshots: tests must not leave or load state
          "--appendonly", "no",
          "--dir", dir.toString(), // any file Redis still writes lands here and is deleted
          "--daemonize", "no",
          // Debian's packaged binary (REDIS_SERVER) starts in protected mode with its own logfile
          // unless told otherwise; the embedded one ignores neither option.
          "--protected-mode", "no",
          "--logfile", ""));
      command.addAll(List.of(extraArgs));
      // Output goes to a file, not a pipe: nothing to drain, and it is still there for errors.
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis-server.log").toFile())
          .start();
      return new EmbeddedRedis(process, dir, port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded redis-server", e);
    }
  }

  /**
   * The binary named by {@link RedisServers#REDIS_SERVER} (e.g. Debian's {@code /usr/bin/redis-server}),
   * else the one in the embedded-redis jar, extracted once per JVM: it is ~10 MB and every test
   * class starts a server.
   */
  private static synchronized File binary() throws IOException {
    if (binary == null) {
      String named = System.getenv(RedisServers.REDIS_SERVER);
      if (named != null && !named.isBlank()) {
        File file = new File(named);
        if (!file.canExecute()) {
          throw new IllegalStateException(RedisServers.REDIS_SERVER + "=" + named + " is not an executable file");
        }
        binary = file;
      } else {
        binary = ExecutableProvider.newJarResourceProvider().get();
      }
    }
    return binary;
  }

  static int freePort() {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }

  @Override
  public RedisEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public String description() {
    return "embedded redis-server (pid " + process.pid() + ") at " + endpoint;
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException | IllegalArgumentException alreadyExitingOrNeverAdded) {
      // The hook will run, or was never needed.
    }
    stop();
  }

  private synchronized void stop() {
    if (closed) {
      return;
    }
    closed = true;
    process.destroy(); // SIGTERM: with persistence off Redis exits at once without saving
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    deleteDir();
  }

  private String output() {
    try {
      return "redis-server output:\n" + Files.readString(dir.resolve("redis-server.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no redis-server output: " + e + ")";
    }
  }

  private void deleteDir() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A leftover empty temp dir is harmless.
    }
  }
}
