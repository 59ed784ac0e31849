package io.redisl1.it.spring;

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
 * The Spring Boot sample as a long-running process: its streams in files (a pipe nobody reads
 * would block it), its reports counted as they complete, scraped over HTTP between them. Only its
 * own process tree is ever killed.
 */
final class RunningSample implements AutoCloseable {
  /** The first line of one report of the sample, and the last. */
  static final String REPORT_START = "client: StringRedisTemplate";
  static final String REPORT_END = "read after own write:";

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private RunningSample(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  static RunningSample start(List<String> command, Map<String, String> env, Path dir) throws IOException {
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    return new RunningSample(process, out, err);
  }

  /** Waits until {@code n} reports are complete; returns the stdout of the last one. */
  String awaitReports(int n, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count(stdout(), REPORT_END) < n) {
      if (!process.isAlive()) {
        throw new AssertionError("the sample exited (" + process.exitValue() + ") before report " + n + ":\n" + this);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no report " + n + " within " + timeout + ":\n" + this);
      }
      Thread.sleep(200);
    }
    Thread.sleep(200); // the rest of the report's last line
    String out = stdout();
    int from = 0;
    for (int i = 1; i < n; i++) {
      from = out.indexOf(REPORT_START, from) + 1;
    }
    return out.substring(out.indexOf(REPORT_START, from));
  }

  /** How many reports began so far. */
  int reportsBegun() throws IOException {
    return count(stdout(), REPORT_START);
  }

  /** GET {@code path} on 127.0.0.1:{@code port}; retried while nothing listens there yet. */
  String get(int port, String path) throws IOException, InterruptedException {
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
    throw new AssertionError("nothing listening on 127.0.0.1:" + port + path + ":\n" + this, last);
  }

  String stdout() throws IOException {
    return Files.readString(stdout);
  }

  String stderr() throws IOException {
    return Files.readString(stderr);
  }

  private static int count(String text, String line) {
    int n = 0;
    for (int i = text.indexOf(line); i >= 0; i = text.indexOf(line, i + 1)) {
      n++;
    }
    return n;
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

  @Override
  public String toString() {
    try {
      return "--- stdout\n" + stdout() + "\n--- stderr\n" + stderr();
    } catch (IOException e) {
      return "(streams unreadable: " + e + ")";
    }
  }
}
