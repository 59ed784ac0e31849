package io.redisl1.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The simulated pod's app container as a running process: started with its environment, its
 * streams in files (a pipe nobody reads would block it), scraped over HTTP while it runs, and
 * stopped with SIGTERM as the kubelet stops a container. Only its own process tree is ever killed.
 */
final class SimulatedApp implements AutoCloseable {
  /** The last line of one report of the sample. */
  private static final String REPORT_END = "read after own write:";

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private SimulatedApp(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  static SimulatedApp start(List<String> command, Map<String, String> env, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    return new SimulatedApp(process, out, err);
  }

  /** Waits for the sample's first report to be complete. */
  Report awaitReport(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!stdout().contains(REPORT_END)) {
      if (!process.isAlive()) {
        throw new AssertionError("the app exited (" + process.exitValue() + ") before its report:\n" + stdout() + "\n" + stderr());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no report within " + timeout + ":\n" + stdout() + "\n" + stderr());
      }
      Thread.sleep(200);
    }
    Thread.sleep(200); // the rest of the report's last line
    return new Report();
  }

  /** GET {@code path} on the agent's endpoint; retried while it is not listening yet. */
  String scrape(int port, String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build();
    IOException last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new AssertionError(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
      } catch (IOException e) {
        last = e;
        Thread.sleep(200);
      }
    }
    throw new AssertionError("nothing listening on 127.0.0.1:" + port + path + ":\n" + stderr(), last);
  }

  /** SIGTERM, as a pod is stopped; its exit code, or -1 if it had to be killed after {@code grace}. */
  int stop(Duration grace) throws InterruptedException {
    process.destroy();
    if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      return process.exitValue();
    }
    close();
    return -1;
  }

  String stdout() throws IOException {
    return Files.readString(stdout);
  }

  String stderr() throws IOException {
    return Files.readString(stderr);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** What one run showed. */
  static final class Report {
    String scraped;
    String health;
    String ready;
    int exitAfterSigterm;
    String stdout;
    String stderr;

    String stdout() {
      return stdout;
    }

    String stderr() {
      return stderr;
    }

    @Override
    public String toString() {
      return "exit after SIGTERM " + exitAfterSigterm + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }
}
