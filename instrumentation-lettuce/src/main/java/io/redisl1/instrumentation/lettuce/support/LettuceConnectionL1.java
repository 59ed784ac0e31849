package io.redisl1.instrumentation.lettuce.support;

import io.redisl1.store.Endpoints;
import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.command.CommandEffect;
import io.redisl1.store.command.CommandEffects;
import io.redisl1.store.session.RedisSession;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The L1's view of one standalone Lettuce connection ({@code StatefulRedisConnectionImpl}), kept
 * in a field the agent adds to it.
 *
 * <p>Lettuce connections are shared by many threads and pipeline freely: a command is written
 * before earlier ones have been answered. A GET answered from the L1 must return what Redis would
 * have returned at that point of the connection's command stream; the session sees a command only
 * when Lettuce writes it, so a command not known to be read-only (a write, SELECT, AUTH, MULTI...)
 * holds the session's answers ({@link RedisSession#holdAnswers}) from its dispatch until Lettuce
 * is done with it. Nothing is answered while commands are held back by {@code
 * setAutoFlushCommands(false)} either.
 * Dispatch knows only the command's type, so that is all this decision uses; what the command
 * does to the L1 is decided from its bytes once Lettuce writes them ({@link CommandReply}).
 *
 * <p>Uses JDK types only: it is loaded from the bootstrap class path, where Lettuce is not visible.
 */
public final class LettuceConnectionL1 {
  /** What an early hit of a cached nil returns, since null means "not answered". */
  public static final Object NIL_HIT = new Object();

  private static final byte[] GET = {'G', 'E', 'T'};
  /** Read-only by name, yet {@code HELLO 3 AUTH user pass} changes the connection's user. */
  private static final byte[] HELLO = {'H', 'E', 'L', 'L', 'O'};

  private final RedisSession session;
  /** Commands written to the current socket whose reply something still waits for. */
  private final Set<CommandReply> onWire = ConcurrentHashMap.newKeySet();
  private volatile boolean buffering;

  private LettuceConnectionL1(RedisSession session) {
    this.session = session;
  }

  /**
   * The connection's socket is up and Lettuce's handshake (HELLO/AUTH, SELECT) is done, before any
   * queued or replayed command is written; {@code db} and {@code user} are what that handshake
   * applied, or -1 / null when they cannot be known.
   */
  public static LettuceConnectionL1 activated(
      LettuceConnectionL1 current, SocketAddress remote, int db, String user, boolean userKnown) {
    String endpoint = Endpoints.of(remote);
    String ep = endpoint == null ? "unknown" : endpoint;
    LettuceConnectionL1 l1 = current;
    if (l1 == null) {
      l1 = new LettuceConnectionL1(new RedisSession(ep, 0));
      // A GET that may fill is written with a PTTL ahead of it (TtlProbe); fills without one are refused.
      l1.session.probesTtl();
    }
    synchronized (l1.session) {
      // Nothing written to the old socket will be answered; its replays get fresh Pendings.
      for (CommandReply reply : l1.onWire) {
        reply.socketLost();
      }
      boolean known = endpoint != null && db >= 0 && userKnown;
      l1.session.connected(ep, known ? db : 0, known && user != null ? user : "default");
    }
    if (endpoint == null) {
      l1.session.detach("a Lettuce connection whose server address is unknown");
    } else if (db < 0 || !userKnown) {
      l1.session.detach(
          "a Lettuce connection whose " + (db < 0 ? "database" : "user") + " could not be read");
    }
    return l1;
  }

  /** The entry a GET of {@code key} may be answered with, or null. The hit path. */
  public L1Entry lookup(L1Runtime runtime, ByteBuffer key) {
    if (buffering || key == null) {
      return null;
    }
    return session.lookup(runtime, bytesOf(key));
  }

  /**
   * As {@link #lookup(L1Runtime, ByteBuffer)} for an ASCII key that StringCodec.UTF8 would encode
   * (other keys go through the codec: only it says what Lettuce sends for them).
   */
  public L1Entry lookup(L1Runtime runtime, String key) {
    if (buffering) {
      return null;
    }
    return session.lookup(runtime, key);
  }

  /**
   * As {@link #lookup(L1Runtime, String)} ahead of the command: a miss is not counted, and a key
   * that is not all ASCII is not looked up (null), since {@code StringCodec} may encode it otherwise
   * than the JDK; the caller then encodes it with the codec.
   */
  public L1Entry peekAscii(L1Runtime runtime, String key) {
    return buffering ? null : session.peekAscii(runtime, key);
  }

  /** As {@link #lookup(L1Runtime, ByteBuffer)} ahead of the command: a miss is not counted. */
  public L1Entry peek(L1Runtime runtime, ByteBuffer key) {
    return buffering || key == null ? null : session.peek(runtime, bytesOf(key));
  }


  /**
   * The bytes of an encoded key, for a lookup that only reads them. A buffer that is exactly all
   * of its array ({@code ByteArrayCodec}'s wrap of the application's key, ASCII {@code
   * StringCodec}'s fresh buffer) hands over that array; any other is copied, without moving it.
   * UTF-8 {@code StringCodec} sizes its array for three bytes a character, so its keys are copied.
   */
  static byte[] bytesOf(ByteBuffer key) {
    if (key.hasArray() && key.arrayOffset() == 0 && key.position() == 0) { // never a read-only one
      byte[] array = key.array();
      if (array.length == key.limit()) {
        return array;
      }
    }
    ByteBuffer k = key.duplicate();
    byte[] bytes = new byte[k.remaining()];
    k.get(bytes);
    return bytes;
  }

  /**
   * A command of {@code type} (its name as written, e.g. {@code GET}) is being dispatched and not
   * answered from the L1; returns what follows it until Lettuce is done with it. Called before
   * the command can be written, on the dispatching thread.
   */
  public CommandReply dispatched(byte[] type) {
    boolean get = equalsIgnoreCase(type, GET);
    boolean write = !get && !readOnly(type);
    if (write) {
      session.holdAnswers();
    }
    return new CommandReply(this, write, get);
  }

  /**
   * Known read-only whatever its arguments. Anything else, unknown commands included, may write or
   * change the connection, so it holds off L1 answers until its reply.
   */
  static boolean readOnly(byte[] type) {
    if (type == null || equalsIgnoreCase(type, HELLO)) {
      return false;
    }
    CommandEffect.Kind kind = CommandEffects.classify(new byte[][] {type}).kind();
    return kind == CommandEffect.Kind.NONE || kind == CommandEffect.Kind.CACHEABLE_READ;
  }

  /** Whether a GET of {@code key} written now would fill; see {@link RedisSession#mayFill}. */
  boolean mayFill(byte[] key) {
    L1Runtime runtime = L1Runtime.current();
    return runtime != null && session.mayFill(runtime, key);
  }

  void writeDone() {
    session.releaseAnswers();
  }

  void onWire(CommandReply reply) {
    onWire.add(reply);
  }

  void offWire(CommandReply reply) {
    onWire.remove(reply);
  }

  public void autoFlush(boolean autoFlush) {
    buffering = !autoFlush;
  }

  public RedisSession session() {
    return session;
  }

  private static boolean equalsIgnoreCase(byte[] a, byte[] upper) {
    if (a == null || a.length != upper.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if ((a[i] & 0xDF) != upper[i]) {
        return false;
      }
    }
    return true;
  }
}
