package io.redisl1.metrics.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.redisl1.metrics.HttpEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@link HttpEndpoint} on the JDK's built-in HTTP server, one daemon thread answering. Loaded by
 * {@code HttpEndpointLoader}: refers to no class outside the JDK but {@link HttpEndpoint}.
 */
public final class JdkHttpEndpoint implements HttpEndpoint {
  @Override
  public int start(String host, int port, Map<String, Page> pages) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    ExecutorService answering =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread t = new Thread(task, "redis-l1-metrics-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(answering);
    pages.forEach((path, page) -> server.createContext(path, ex -> answer(ex, page)));
    server.start();
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, Page page) throws IOException {
    try {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      String contentType = page.contentType();
      byte[] bytes;
      int status;
      try {
        bytes = page.body().getBytes(StandardCharsets.UTF_8);
        status = page.status();
      } catch (RuntimeException e) {
        status = 500;
        contentType = "text/plain; charset=utf-8";
        bytes = ("redis-l1 could not produce this page: " + e).getBytes(StandardCharsets.UTF_8);
      }
      exchange.getResponseHeaders().set("Content-Type", contentType);
      boolean head = method.equals("HEAD");
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
