package io.redisl1.testsupport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deliberately tiny RESP2 client over a plain socket. Tests use it to watch the server from
 * outside the instrumented Jedis/Lettuce clients, so it must share no code with them: if the agent
 * answered a GET from its L1 cache, this client still sees what Redis really holds and counts.
 *
 * <p>Replies map to: simple string and bulk string to {@code String} (UTF-8), nil bulk and nil
 * array to {@code null}, integer to {@code Long}, array to {@code List<Object>}. A top-level error
 * reply throws {@link RespErrorException}; an error nested inside an array (EXEC results) is
 * returned as a {@code RespErrorException} element instead, so the rest of the reply is still read
 * and the connection stays in step. Calls are synchronized, one request and reply at a time.
 */
public final class RespClient implements AutoCloseable {
  /** Long enough for a slow CI machine, short enough that a stuck test fails instead of hanging. */
  private static final int TIMEOUT_MILLIS = 10_000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public RespClient(String host, int port) {
    try {
      socket = new Socket();
      socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream());
      out = new BufferedOutputStream(socket.getOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to redis://" + host + ":" + port, e);
    }
  }

  public Object call(String... argv) {
    byte[][] raw = new byte[argv.length][];
    for (int i = 0; i < argv.length; i++) {
      raw[i] = argv[i].getBytes(StandardCharsets.UTF_8);
    }
    return call(raw);
  }

  public synchronized Object call(byte[]... argv) {
    try {
      out.write(('*' + Integer.toString(argv.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      for (byte[] arg : argv) {
        out.write(('$' + Integer.toString(arg.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(arg);
        out.write('\r');
        out.write('\n');
      }
      out.flush();
      Object reply = read();
      if (reply instanceof RespErrorException) {
        throw (RespErrorException) reply;
      }
      return reply;
    } catch (IOException e) {
      throw new UncheckedIOException("RESP call failed on " + socket.getRemoteSocketAddress(), e);
    }
  }

  /** How often the server ran {@code command} since start or the last {@link #resetStats()}. */
  public long commandCalls(String command) {
    // INFO names commands in lower case: "cmdstat_get:calls=3,usec=12,...".
    String prefix = "cmdstat_" + command.toLowerCase(Locale.ROOT) + ":";
    for (String line : ((String) call("INFO", "commandstats")).split("\r?\n")) {
      if (line.startsWith(prefix)) {
        int start = line.indexOf("calls=") + "calls=".length();
        int end = line.indexOf(',', start);
        return Long.parseLong(line.substring(start, end < 0 ? line.length() : end));
      }
    }
    return 0;
  }

  public void resetStats() {
    call("CONFIG", "RESETSTAT");
  }

  public void flushAll() {
    call("FLUSHALL");
  }

  public void select(int db) {
    call("SELECT", Integer.toString(db));
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Nothing useful to do: the socket is gone either way.
    }
  }

  /** Reads one reply; errors are returned, not thrown, so arrays can hold them. */
  private Object read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection closed by server");
    }
    String line = readLine();
    switch (type) {
      case '+':
        return line;
      case '-':
        return new RespErrorException(line);
      case ':':
        return Long.parseLong(line);
      case '$':
        return readBulk(Integer.parseInt(line));
      case '*':
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(read());
        }
        return items;
      default:
        throw new IOException("not RESP2: type byte '" + (char) type + "' followed by " + line);
    }
  }

  private String readBulk(int length) throws IOException {
    if (length < 0) {
      return null;
    }
    byte[] data = in.readNBytes(length);
    if (data.length < length || in.read() != '\r' || in.read() != '\n') {
      throw new EOFException("truncated bulk string");
    }
    return new String(data, StandardCharsets.UTF_8);
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\r'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("connection closed mid-reply");
      }
      line.write(b);
    }
    if (in.read() != '\n') {
      throw new IOException("RESP line not terminated by CRLF");
    }
    return line.toString(StandardCharsets.UTF_8);
  }
}
