package io.redisl1.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A connection in RESP3 with {@code CLIENT TRACKING ON BCAST} and no prefix, as the agent's
 * invalidation channel tracks while its configuration file is polled, but no agent: a thread reads
 * and drops whatever Redis pushes. What a write costs while it is connected, against the same write
 * without it, is the client-side-caching protocol's own price, whoever the tracking client is.
 */
final class TrackingClient implements AutoCloseable {
  private final Socket socket;
  private final Thread reader;

  TrackingClient(String host, int port) throws IOException {
    socket = new Socket(host, port);
    socket.setTcpNoDelay(true);
    OutputStream out = socket.getOutputStream();
    out.write("HELLO 3\r\nCLIENT TRACKING ON BCAST\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    reader = new Thread(() -> drain(in), "tracking-client-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private static void drain(InputStream in) {
    byte[] buffer = new byte[64 * 1024];
    try {
      while (in.read(buffer) >= 0) {
        // dropped: only Redis's work for the pushes is measured
      }
    } catch (IOException closed) {
      // the benchmark closed the socket
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
