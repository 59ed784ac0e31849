package io.redisl1.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP forwarder on loopback for fault injection between a client and Redis: it can delay every
 * chunk, stall (hold all bytes in both directions while keeping the connections open, as a dead
 * network path does) and cut (close every connection it carries). Threads are daemons; {@link
 * #close()} stops everything.
 */
public final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private volatile InetSocketAddress target;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private volatile boolean stalled;
  private volatile long delayNanos;
  private volatile boolean closed;

  private TcpProxy(InetSocketAddress target) {
    this.target = target;
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::accept, "tcp-proxy-accept " + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy in front of {@code redis}. */
  public static TcpProxy to(RedisEndpoint redis) {
    return new TcpProxy(new InetSocketAddress(redis.host(), redis.port()));
  }

  /** Where clients connect instead of Redis. */
  public RedisEndpoint endpoint() {
    return new RedisEndpoint(server.getInetAddress().getHostAddress(), server.getLocalPort());
  }

  /** Holds every byte in both directions until {@link #resume()}; connections stay open. */
  public void stall() {
    stalled = true;
  }

  public void resume() {
    synchronized (gate) {
      stalled = false;
      gate.notifyAll();
    }
  }

  /**
   * New connections go to {@code redis} from now on; with {@link #cut()} this looks to clients like
   * a server restarting at the same address.
   */
  public void retarget(RedisEndpoint redis) {
    target = new InetSocketAddress(redis.host(), redis.port());
  }

  /** Every chunk waits this long before it is forwarded. */
  public void delay(long millis) {
    delayNanos = TimeUnit.MILLISECONDS.toNanos(millis);
  }

  /**
   * Every chunk waits this long before it is forwarded, in each direction, e.g. 250 µs each way for
   * a 500 µs pod-network round trip. Sub-millisecond waits park rather than sleep; on a loaded
   * machine they can only come out longer, never shorter.
   */
  public void delayMicros(long micros) {
    delayNanos = TimeUnit.MICROSECONDS.toNanos(micros);
  }

  /** Closes every connection it carries now; new ones are accepted as before. */
  public void cut() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }

  @Override
  public void close() {
    closed = true;
    resume();
    try {
      server.close();
    } catch (IOException ignored) {
      // closed either way
    }
    cut();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        try {
          upstream.connect(target, 5_000);
        } catch (IOException e) {
          client.close(); // the server is down: the client sees a refused connection, as without us
          continue;
        }
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        if (!closed) {
          continue; // one failed connection; keep serving others
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                  awaitPassage();
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // the other side or a cut closed it
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
              }
            },
            "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private void awaitPassage() throws InterruptedException {
    long delay = delayNanos;
    if (delay > 0) {
      long until = System.nanoTime() + delay;
      for (long left = delay; left > 0; left = until - System.nanoTime()) {
        LockSupport.parkNanos(left);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    }
    synchronized (gate) {
      while (stalled && !closed) {
        gate.wait();
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closed either way
    }
  }
}
