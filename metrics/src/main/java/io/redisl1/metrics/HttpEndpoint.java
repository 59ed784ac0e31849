package io.redisl1.metrics;

import java.io.IOException;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * An HTTP endpoint serving text pages, in JDK types only. The implementation, on the JDK's {@code
 * com.sun.net.httpserver}, lives in {@code io.redisl1.metrics.http} and is defined by {@link
 * HttpEndpointLoader}: that module belongs to the platform class loader, which the bootstrap path
 * the agent runs from cannot see.
 */
public interface HttpEndpoint {
  /**
   * Serves {@code pages} (path to content type and body) on {@code host:port} from daemon threads;
   * must be called on a daemon thread, whose flag the JDK's dispatcher thread inherits.
   *
   * @return the bound port
   * @throws IOException when the address cannot be bound (a port in use)
   */
  int start(String host, int port, Map<String, Page> pages) throws IOException;

  /** One page: its content type, and its status and body made afresh for each request. */
  final class Page {
    final String contentType;
    final Supplier<String> body;
    final IntSupplier status;

    public Page(String contentType, Supplier<String> body) {
      this(contentType, body, () -> 200);
    }

    public Page(String contentType, Supplier<String> body, IntSupplier status) {
      this.contentType = contentType;
      this.body = body;
      this.status = status;
    }

    public String contentType() {
      return contentType;
    }

    public String body() {
      return body.get();
    }

    /** The HTTP status to answer with, asked right after the body, on the same thread. */
    public int status() {
      return status.getAsInt();
    }
  }
}
