package io.redisl1.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /metrics}, {@code /healthz} and {@code /readyz} on the JDK's built-in HTTP server, one
 * daemon thread answering. The JDK's dispatcher thread takes its daemon flag from the thread that
 * starts the server, so {@link #start} must run on a daemon thread: then nothing here can hold the
 * JVM up at exit.
 */
final class MetricsServer {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  /** @throws IOException when the address cannot be bound (a port in use) */
  static MetricsServer start(String host, int port, PrometheusMeterRegistry registry, Health health)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    ExecutorService answering =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread t = new Thread(task, "redis-l1-metrics-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(answering);
    server.createContext("/metrics", ex -> answer(ex, PROMETHEUS_TEXT, registry::scrape));
    server.createContext("/healthz", ex -> answer(ex, "application/json", health::healthJson));
    server.createContext("/readyz", ex -> answer(ex, "application/json", health::readyJson));
    server.start();
    return new MetricsServer(server);
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, String contentType, Supplier<String> body) throws IOException {
    try {
      if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes;
      int status = 200;
      try {
        bytes = body.get().getBytes(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        status = 500;
        contentType = "text/plain; charset=utf-8";
        bytes = ("redis-l1 could not produce this page: " + e).getBytes(StandardCharsets.UTF_8);
      }
      exchange.getResponseHeaders().set("Content-Type", contentType);
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    } finally {
      exchange.close();
    }
  }
}
