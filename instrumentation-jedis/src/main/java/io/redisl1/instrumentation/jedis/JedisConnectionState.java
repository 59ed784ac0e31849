package io.redisl1.instrumentation.jedis;

import io.redisl1.store.Endpoints;
import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.session.Pending;
import io.redisl1.store.session.RedisSession;
import java.net.Socket;
import java.util.ArrayDeque;

/**
 * The L1's view of one Jedis {@code Connection}, kept in a field the agent adds to it.
 *
 * <p>Jedis writes commands and later reads their replies strictly in order, one reply per command
 * (pipelines and MULTI included), so a FIFO of {@link Pending}s pairs every reply with its command.
 * If pairing can no longer be trusted (a read failed, the connection broke) the session detaches.
 * Whether a GET may be answered while commands are in flight is the session's decision.
 *
 * <p>A Jedis connection is used by one thread at a time, so nothing here is synchronized. Uses JDK
 * types only: this class is loaded from the bootstrap class path, where Jedis is not visible.
 */
public final class JedisConnectionState {
  private final ArrayDeque<Pending> awaitingReply = new ArrayDeque<>();
  private RedisSession session;
  private Socket socket;
  private long readToken;
  /** Made for a JedisCluster: stays off the L1 across reconnects. */
  private boolean clusterNode;

  /** Called with the connection's socket whenever it may have (re)connected. */
  public void connected(Socket current, boolean jedisOwnCache, boolean forCluster) {
    if (current == socket || current == null) {
      return;
    }
    clusterNode |= forCluster;
    socket = current;
    // Nothing sent on the old socket will be answered; its writes still get their second
    // invalidation, since Redis may have applied them.
    for (Pending p; (p = awaitingReply.poll()) != null; ) {
      p.abandoned();
    }
    String endpoint = Endpoints.of(current.getRemoteSocketAddress());
    if (session == null) {
      session = new RedisSession(endpoint == null ? "unknown" : endpoint, 0);
    } else {
      session.connected(endpoint == null ? "unknown" : endpoint);
    }
    if (endpoint == null) {
      session.detach("a connection whose server address is unknown");
    } else if (jedisOwnCache) {
      session.detach("Jedis's own client-side cache is enabled on the connection");
    } else if (clusterNode) {
      session.detach("a JedisCluster connection (Redis Cluster is not supported yet)");
    }
  }

  /** The entry a GET of {@code key} may be answered with, or null. The hit path. */
  public L1Entry lookup(byte[] key) {
    L1Runtime runtime = L1Runtime.current();
    if (runtime == null || session == null) {
      return null;
    }
    return session.lookup(runtime, key);
  }

  /** Before the command's first byte is written. */
  public void beforeSend() {
    readToken = RedisSession.readToken();
  }

  /** The command was written (to Jedis's buffer), or writing it failed. */
  public void afterSend(byte[][] argv, boolean failed) {
    if (session == null) {
      return; // never connected: nothing was sent
    }
    Pending pending = session.sent(argv, readToken);
    if (failed) {
      // The connection is broken; whether Redis saw the command is unknown.
      pending.abandoned();
      abandonAll("a failed write to Redis");
      return;
    }
    awaitingReply.add(pending);
  }

  /** A reply was read; {@code dataError} when Redis answered with an error reply. */
  public void replyRead(Object reply, Throwable thrown, boolean dataError) {
    Pending pending = awaitingReply.poll();
    if (pending == null) {
      if (session != null && thrown == null) {
        session.detach("a reply Jedis read without a command (push or out-of-band data)");
      }
      return;
    }
    if (thrown == null) {
      pending.replied(reply, false);
    } else if (dataError) {
      pending.replied(null, true);
    } else {
      pending.abandoned();
      abandonAll("a failed read from Redis");
    }
  }

  private void abandonAll(String why) {
    for (Pending p; (p = awaitingReply.poll()) != null; ) {
      p.abandoned();
    }
    session.detach(why);
  }
}
