package io.redisl1.instrumentation.jedis;

import io.redisl1.store.Endpoints;
import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.session.Pending;
import io.redisl1.store.session.PoolScope;
import io.redisl1.store.session.RedisSession;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The L1's view of one Jedis {@code Connection}, kept in a field the agent adds to it.
 *
 * <p>Jedis writes commands and later reads their replies strictly in order, one reply per command
 * (pipelines and MULTI included), so a FIFO of {@link Pending}s pairs every reply with its command.
 * If pairing can no longer be trusted (a read failed, the connection broke) the session detaches.
 * Whether a GET may be answered while commands are in flight is the session's decision.
 *
 * <p>A GET that may fill carries a PTTL of its key right behind it, written before Jedis flushes
 * the GET ({@link #missed}, {@link #afterSend}, {@link #ttlSent}); its reply is read right after the
 * GET's ({@link #ttlReplyNext}) and never reaches the application. Only GETs of {@code
 * executeCommand} get one: a pipelined GET, whose replies Jedis reads later and in bulk, fills
 * nothing.
 *
 * <p>A Jedis connection is used by one thread at a time, so nothing here is synchronized. Uses JDK
 * types only: this class is loaded from the bootstrap class path, where Jedis is not visible.
 */
public final class JedisConnectionState {
  private final ArrayDeque<Pending> awaitingReply = new ArrayDeque<>();
  private RedisSession session;
  private Socket socket;
  private long readToken;
  /** The key of a GET that missed in executeCommand and is about to be sent. */
  private byte[] missedKey;
  /** The PTTL pending of the GET just sent, until the PTTL is written. */
  private Pending ttlToSend;
  /** A PTTL written and not yet answered: its reply is read right after its GET's. */
  private Pending ttlOnWire;
  /** Made for a JedisCluster: stays off the L1 across reconnects. */
  private boolean clusterNode;
  /** The pool that hands this connection out, if any. */
  private PoolScope pool;

  /** Called with the connection's socket whenever it may have (re)connected. */
  public void connected(Object connection, Socket current, boolean jedisOwnCache, boolean forCluster) {
    if (current == socket || current == null) {
      return;
    }
    clusterNode |= forCluster;
    socket = current;
    missedKey = null;
    ttlToSend = null;
    ttlOnWire = null;
    // Nothing sent on the old socket will be answered; its writes still get their second
    // invalidation, since Redis may have applied them.
    for (Pending p; (p = awaitingReply.poll()) != null; ) {
      p.abandoned();
    }
    String endpoint = Endpoints.of(current.getRemoteSocketAddress());
    L1Runtime runtime = L1Runtime.current();
    if (runtime != null && current instanceof javax.net.ssl.SSLSocket) {
      // Before the session names the endpoint and its channel opens.
      runtime.usesTls(endpoint, JedisTls.socketFactoryOf(connection));
    }
    if (session == null) {
      session = new RedisSession(endpoint == null ? "unknown" : endpoint, 0);
      session.probesTtl();
      if (pool != null) {
        session.joinPool(pool);
      }
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

  /** A pool handed this connection out (on every borrow; joins the pool's scope once). */
  public void inPool(PoolScope handedOutBy) {
    if (pool == handedOutBy) {
      return;
    }
    pool = handedOutBy;
    if (session != null) {
      session.joinPool(handedOutBy);
    }
  }

  /**
   * As {@link #lookup}, ahead of the client's own command: a miss is not counted, since the GET
   * then goes on to {@link #lookup}.
   */
  public L1Entry peek(byte[] key) {
    L1Runtime runtime = L1Runtime.current();
    if (runtime == null || session == null) {
      return null;
    }
    return session.peek(runtime, key);
  }

  /** As {@link #peek(byte[])} for a {@code String} key, which Jedis sends as its UTF-8 bytes. */
  public L1Entry peek(String key) {
    L1Runtime runtime = L1Runtime.current();
    if (runtime == null || session == null) {
      return null;
    }
    return session.peek(runtime, key);
  }

  /** The entry a GET of {@code key} may be answered with, or null. The hit path. */
  public L1Entry lookup(byte[] key) {
    L1Runtime runtime = L1Runtime.current();
    if (runtime == null || session == null) {
      return null;
    }
    return session.lookup(runtime, key);
  }

  /**
   * A GET of {@code key} was not answered from the L1 and goes to Redis through {@code
   * executeCommand}, whose reply Jedis reads at once: if it may fill, a PTTL follows it.
   */
  public void missed(byte[] key) {
    missedKey = key;
  }

  /** Before the command's first byte is written. */
  public void beforeSend() {
    readToken = RedisSession.readToken();
  }

  /**
   * The command was written (to Jedis's buffer), or writing it failed. Returns the key whose PTTL
   * must be written right behind it, before the flush, or null; then {@link #ttlSent} follows.
   */
  public byte[] afterSend(byte[][] argv, boolean failed) {
    byte[] missed = missedKey;
    if (argv.length > 0 && isGet(argv[0])) {
      missedKey = null; // the GET that missed, or one that did not go through executeCommand
    }
    if (session == null) {
      return null; // never connected: nothing was sent
    }
    Pending pending = session.sent(argv, readToken);
    if (failed) {
      // The connection is broken; whether Redis saw the command is unknown.
      pending.abandoned();
      abandonAll("a failed write to Redis");
      return null;
    }
    awaitingReply.add(pending);
    if (missed == null || argv.length != 2 || !isGet(argv[0]) || !Arrays.equals(missed, argv[1])) {
      return null;
    }
    ttlToSend = pending.expectTtl();
    return ttlToSend == null ? null : argv[1];
  }

  /** The PTTL {@link #afterSend} asked for was written behind its GET, or writing it failed. */
  public void ttlSent(boolean failed) {
    Pending ttl = ttlToSend;
    ttlToSend = null;
    if (ttl == null) {
      return;
    }
    if (failed) {
      ttl.abandoned();
      abandonAll("a failed write to Redis");
      return;
    }
    awaitingReply.add(ttl);
    ttlOnWire = ttl;
  }

  /** Whether the next reply is the agent's own PTTL, to be read now, behind its GET's reply. */
  public boolean ttlReplyNext() {
    return ttlOnWire != null && awaitingReply.peek() == ttlOnWire;
  }

  /** A reply was read; {@code dataError} when Redis answered with an error reply. */
  public void replyRead(Object reply, Throwable thrown, boolean dataError) {
    Pending pending = awaitingReply.poll();
    if (pending != null && pending == ttlOnWire) {
      ttlOnWire = null;
    }
    if (pending == null) {
      if (session != null && thrown == null) {
        session.detach("a reply Jedis read without a command (push or out-of-band data)");
      }
      return;
    }
    if (thrown == null) {
      pending.replied(reply, false);
    } else if (dataError) {
      pending.replied(thrown.getMessage(), true);
    } else {
      pending.abandoned();
      abandonAll("a failed read from Redis");
    }
  }

  private void abandonAll(String why) {
    ttlOnWire = null;
    for (Pending p; (p = awaitingReply.poll()) != null; ) {
      p.abandoned();
    }
    session.detach(why);
  }

  private static boolean isGet(byte[] name) {
    return name.length == 3
        && (name[0] & 0xDF) == 'G'
        && (name[1] & 0xDF) == 'E'
        && (name[2] & 0xDF) == 'T';
  }
}
