package io.redisl1.store.tracking;

import io.redisl1.store.tracking.InvalidationChannels.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;

/**
 * Where the canary of a channel to a read-only replica is written: its primary, as the replica's
 * {@code ROLE} names it. The replica reports the writes it applies from its primary to its own
 * tracking clients, so a canary written there and seen on the replica's channel proves the whole
 * path end to end (replication included) that a write elsewhere takes before it invalidates.
 *
 * <p>The connection sends with {@code CLIENT REPLY OFF}: nobody reads it, and a write that fails
 * there shows up as a canary that never arrives, which loses the channel as any other silence does.
 */
final class PrimaryCanaryWriter {
  private static final byte[] NAME = bytes("redisl1-canary");

  private PrimaryCanaryWriter() {}

  /** {@code host:port} of the primary from a replica's {@code ROLE} reply; null if it is no replica. */
  static String primaryOf(Object role) {
    if (!(role instanceof List) || ((List<?>) role).size() < 3) {
      return null;
    }
    List<?> items = (List<?>) role;
    if (!text(items.get(0)).equals("slave") || !(items.get(2) instanceof Long)) {
      return null;
    }
    return text(items.get(1)) + ":" + items.get(2);
  }

  /**
   * A connection to the primary, authenticated as the channel is (over TLS if the replica is
   * reached so), whose replies are switched off.
   */
  static RespConnection open(String hostPort, Credentials credentials, int timeoutMillis, SSLSocketFactory tls)
      throws IOException {
    int colon = hostPort.lastIndexOf(':');
    RespConnection conn = new RespConnection(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)), timeoutMillis, tls);
    boolean keep = false;
    try {
      conn.readTimeout(timeoutMillis);
      if (credentials != null) {
        if (credentials.authenticate(conn) instanceof RespConnection.Error) {
          throw new IOException("the primary " + hostPort + " refused the channel's credentials");
        }
      }
      Object named = conn.call(bytes("CLIENT"), bytes("SETNAME"), NAME);
      if (named instanceof RespConnection.Error) {
        throw new IOException("the primary " + hostPort + " refused CLIENT SETNAME");
      }
      conn.send(bytes("CLIENT"), bytes("REPLY"), bytes("OFF"));
      keep = true;
      return conn;
    } finally {
      if (!keep) {
        conn.close();
      }
    }
  }

  private static String text(Object item) {
    return item instanceof byte[] ? new String((byte[]) item, StandardCharsets.UTF_8) : String.valueOf(item);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
