package io.redisl1.store;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The one way every client names the server a connection talks to, so that Jedis and Lettuce
 * connections to the same server share one keyspace: the resolved {@code ip:port}, or the socket
 * path for a Unix domain socket.
 */
public final class Endpoints {
  private Endpoints() {}

  /** The endpoint of a connected socket's remote address, or null when it cannot be told. */
  public static String of(SocketAddress remote) {
    if (remote instanceof InetSocketAddress) {
      InetSocketAddress inet = (InetSocketAddress) remote;
      return inet.getAddress() == null ? null : inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
    return remote == null ? null : remote.toString();
  }
}
