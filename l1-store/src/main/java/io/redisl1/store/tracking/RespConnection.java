package io.redisl1.store.tracking;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal RESP2/RESP3 connection over a plain JDK socket (or TLS on it), for the agent's own invalidation
 * channel. It is not Jedis or Lettuce, so nothing it sends is seen by the instrumentation: its
 * traffic is never cached, counted or classified.
 *
 * <p>Replies map to: simple and verbatim strings to {@code String}, bulk strings to {@code
 * byte[]}, integers to {@code Long}, nulls to {@code null}, arrays, sets and maps to {@code
 * List<Object>} (maps flattened), pushes to {@link Push}, errors to {@link Error}. Attributes are
 * skipped. Writes are synchronized; reads belong to one thread.
 */
final class RespConnection implements AutoCloseable {
  /** A RESP3 push frame ({@code >}): out-of-band data such as an invalidation. */
  static final class Push {
    final List<Object> items;

    Push(List<Object> items) {
      this.items = items;
    }
  }

  /** An error reply; its text may quote the command, so it is never logged with secrets in it. */
  static final class Error {
    final String message;

    Error(String message) {
      this.message = message;
    }

    boolean startsWith(String code) {
      return message.startsWith(code);
    }

    @Override
    public String toString() {
      return message;
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RespConnection(String host, int port, int connectTimeoutMillis) throws IOException {
    this(host, port, connectTimeoutMillis, null);
  }

  /**
   * Over TLS when {@code tls} is given: the server's certificate must be trusted by it and name
   * {@code host} (HTTPS-style identification), so the channel never sends the application's
   * credentials to a server the JVM's trust settings would not vouch for.
   */
  RespConnection(String host, int port, int connectTimeoutMillis, SSLSocketFactory tls) throws IOException {
    Socket plain = new Socket();
    Socket s = plain;
    try {
      plain.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
      plain.setTcpNoDelay(true);
      plain.setKeepAlive(true);
      if (tls != null) {
        SSLSocket secure = (SSLSocket) tls.createSocket(plain, host, port, true);
        s = secure;
        SSLParameters parameters = secure.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        secure.setSSLParameters(parameters);
        secure.setSoTimeout(connectTimeoutMillis);
        secure.startHandshake();
      }
      socket = s;
      in = new BufferedInputStream(s.getInputStream());
      out = new BufferedOutputStream(s.getOutputStream());
    } catch (IOException | RuntimeException e) {
      s.close();
      plain.close();
      throw e;
    }
  }

  /** Bounds blocking reads; 0 waits forever. */
  void readTimeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  synchronized void send(byte[]... argv) throws IOException {
    out.write(header('*', argv.length));
    for (byte[] arg : argv) {
      out.write(header('$', arg.length));
      out.write(arg);
      out.write('\r');
      out.write('\n');
    }
    out.flush();
  }

  /** Sends and reads the reply, skipping nothing: only for handshakes, before pushes can come. */
  Object call(byte[]... argv) throws IOException {
    send(argv);
    return read();
  }

  Object read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection closed by the server");
    }
    switch (type) {
      case '+':
        return line();
      case '-':
      case '!':
        return type == '-' ? new Error(line()) : new Error(new String(bulk(), StandardCharsets.UTF_8));
      case ':':
        return Long.parseLong(line());
      case '$':
      case '=':
        byte[] data = bulk();
        return type == '=' && data != null ? new String(data, 4, data.length - 4, StandardCharsets.UTF_8) : data;
      case '_':
        line();
        return null;
      case '#':
        return "t".equals(line());
      case ',':
      case '(':
        return line();
      case '*':
      case '~':
        return items(count());
      case '%':
        return items(count() * 2);
      case '>':
        return new Push(items(count()));
      case '|':
        items(count() * 2); // attributes describe the next reply; we do not need them
        return read();
      default:
        throw new IOException("not RESP: type byte " + type);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closed either way
    }
  }

  private int count() throws IOException {
    return Integer.parseInt(line());
  }

  private List<Object> items(int count) throws IOException {
    if (count < 0) {
      return null;
    }
    List<Object> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      items.add(read());
    }
    return items;
  }

  private byte[] bulk() throws IOException {
    int length = Integer.parseInt(line());
    if (length < 0) {
      return null;
    }
    byte[] data = in.readNBytes(length);
    if (data.length < length || in.read() != '\r' || in.read() != '\n') {
      throw new EOFException("truncated bulk string");
    }
    return data;
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(16);
    for (int b = in.read(); b != '\r'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("connection closed mid-reply");
      }
      line.write(b);
    }
    if (in.read() != '\n') {
      throw new IOException("RESP line not terminated by CRLF");
    }
    return new String(line.toByteArray(), StandardCharsets.UTF_8);
  }

  private static byte[] header(char type, int n) {
    return (type + Integer.toString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }
}
