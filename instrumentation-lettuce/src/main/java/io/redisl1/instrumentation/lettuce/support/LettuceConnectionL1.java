package io.redisl1.instrumentation.lettuce.support;

import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.session.Pending;
import io.redisl1.store.session.RedisSession;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The L1's view of one standalone Lettuce connection ({@code StatefulRedisConnectionImpl}), kept
 * in a field the agent adds to it.
 *
 * <p>Lettuce connections are shared by many threads and pipeline freely: a command is written
 * before earlier ones have been answered. A GET answered from the L1 must return what Redis would
 * have returned at that point of the connection's command stream, so the L1 answers nothing while
 * one of this connection's writes (or SELECT, AUTH, MULTI...) is on its way, nor while commands
 * are held back by {@code setAutoFlushCommands(false)}.
 *
 * <p>Uses JDK types only: it is loaded from the bootstrap class path, where Lettuce is not visible.
 */
public final class LettuceConnectionL1 {
  private static final byte[] GET = {'G', 'E', 'T'};
  private static final byte[] OK = {'O', 'K'};

  private final RedisSession session;
  private final AtomicInteger writesInFlight = new AtomicInteger();
  /** Bumped on every (re)connect, so replies of an older socket do not count down the new one. */
  private volatile long generation;
  private volatile boolean buffering;

  private LettuceConnectionL1(RedisSession session) {
    this.session = session;
  }

  /**
   * The connection's socket is up and Lettuce's handshake (HELLO/AUTH, SELECT) is done; {@code db}
   * and {@code user} are what that handshake applied, or -1 / null when they cannot be known.
   */
  public static LettuceConnectionL1 activated(
      LettuceConnectionL1 current, SocketAddress remote, int db, String user, boolean userKnown) {
    String endpoint = endpointOf(remote);
    LettuceConnectionL1 l1 = current;
    if (l1 == null) {
      l1 = new LettuceConnectionL1(new RedisSession(endpoint == null ? "unknown" : endpoint, 0));
    }
    synchronized (l1.session) {
      l1.session.connected(endpoint == null ? "unknown" : endpoint);
      l1.generation++;
      l1.writesInFlight.set(0);
    }
    if (endpoint == null) {
      l1.session.detach("a Lettuce connection whose server address is unknown");
    } else if (db < 0 || !userKnown) {
      l1.session.detach(
          "a Lettuce connection whose " + (db < 0 ? "database" : "user") + " could not be read");
    } else {
      // The handshake ran outside dispatch; tell the session what it did, as if it had seen it.
      if (db > 0) {
        l1.session
            .sent(new byte[][] {ascii("SELECT"), ascii(Integer.toString(db))})
            .replied(OK, false);
      }
      if (user != null && !user.equals("default")) {
        l1.session
            .sent(new byte[][] {ascii("AUTH"), user.getBytes(StandardCharsets.UTF_8), ascii("-")})
            .replied(OK, false);
      }
    }
    return l1;
  }

  /** The entry a GET of {@code key} may be answered with, or null. The hit path. */
  public L1Entry lookup(L1Runtime runtime, ByteBuffer key) {
    if (buffering || writesInFlight.get() != 0 || key == null) {
      return null;
    }
    ByteBuffer k = key.duplicate();
    byte[] bytes = new byte[k.remaining()];
    k.get(bytes);
    return session.lookup(runtime, bytes);
  }

  /**
   * A command is about to be written; returns what waits for its reply, or null if nothing does.
   * {@code argv} is the command as it goes on the wire.
   */
  public CommandReply sent(byte[][] argv) {
    Pending pending = session.sent(argv);
    if (pending == Pending.NONE) {
      return null;
    }
    boolean read = argv.length == 2 && equalsIgnoreCase(argv[0], GET);
    if (!read) {
      writesInFlight.incrementAndGet();
    }
    return new CommandReply(pending, this, generation, !read, read);
  }

  void writeDone(long generation) {
    if (generation == this.generation) {
      writesInFlight.decrementAndGet();
    }
  }

  public void autoFlush(boolean autoFlush) {
    buffering = !autoFlush;
  }

  public RedisSession session() {
    return session;
  }

  /** Same form as the Jedis side, so both clients share one keyspace per server. */
  public static String endpointOf(SocketAddress address) {
    if (address instanceof InetSocketAddress) {
      InetSocketAddress inet = (InetSocketAddress) address;
      if (inet.getAddress() == null) {
        return null;
      }
      return inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
    return address == null ? null : address.toString();
  }

  private static boolean equalsIgnoreCase(byte[] a, byte[] upper) {
    if (a.length != upper.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if ((a[i] & 0xDF) != upper[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
