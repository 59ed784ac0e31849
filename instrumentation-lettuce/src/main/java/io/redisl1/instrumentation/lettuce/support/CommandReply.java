package io.redisl1.instrumentation.lettuce.support;

import io.redisl1.store.session.Pending;
import io.redisl1.store.session.RedisSession;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.BiConsumer;

/**
 * One dispatched command, from {@code dispatch} until Lettuce is done with it.
 *
 * <p>The session learns what the command does when Lettuce writes it ({@link #written}, from the
 * bytes {@code Command#encode} just produced), not at dispatch: encoding runs the codec, and a
 * second encode of ours could drain a value buffer the application's codec hands out. Lettuce
 * writes a command again after a reconnect (commands that were on the wire when the socket broke
 * are replayed); each write gets its own {@link Pending}, and the one of the lost socket is
 * abandoned before the new socket's session starts ({@link #socketLost}).
 *
 * <p>Lettuce can finish a command along several paths: the reply is decoded ({@code
 * CommandHandler#complete}, or for EXEC {@code MultiOutput#complete} as its reply starts completing
 * the queued commands; both run before the application can see the reply), or the command is
 * cancelled, times out, fails on a broken connection, or is completed by its transaction's EXEC
 * (the command's own completion callback). Whichever comes first hands the current {@link Pending}
 * its outcome; the rest do nothing. A command not known to be read-only keeps the connection from
 * answering GETs from the L1 from dispatch until then.
 *
 * <p>A GET that may fill has the agent's PTTL written right ahead of it ({@link TtlProbe}); the
 * fill is made only with that PTTL's reply, which arrives first.
 *
 * <p>A cacheable read captures the raw bulk reply as it reaches the output, before the
 * connection's codec decodes it: the L1 keeps bytes, never decoded values.
 */
public final class CommandReply implements BiConsumer<Object, Throwable> {
  private static final AtomicIntegerFieldUpdater<CommandReply> DONE =
      AtomicIntegerFieldUpdater.newUpdater(CommandReply.class, "done");
  private static final AtomicReferenceFieldUpdater<CommandReply, Pending> ON_WIRE =
      AtomicReferenceFieldUpdater.newUpdater(CommandReply.class, Pending.class, "onWire");

  private final LettuceConnectionL1 connection;
  /** Holds the session's L1 answers until finished. */
  private final boolean write;
  private final boolean wantsBytes;
  /** Only on the agent's own PTTL (whose output carries this), the probe its reply goes to. */
  private final TtlProbe pttl;
  /** On a GET: the agent's PTTL written right ahead of its latest write, or null. */
  private volatile TtlProbe ttlAhead;
  /** What waits for the reply to the latest write of this command; null when nothing does. */
  private volatile Pending onWire;
  /** The raw bulk reply, null for nil; meaningful once {@link #captured}. */
  private volatile byte[] raw;
  private volatile boolean captured;

  private volatile int done;

  CommandReply(LettuceConnectionL1 connection, boolean write, boolean wantsBytes) {
    this(connection, write, wantsBytes, null);
  }

  private CommandReply(LettuceConnectionL1 connection, boolean write, boolean wantsBytes, TtlProbe pttl) {
    this.connection = connection;
    this.write = write;
    this.wantsBytes = wantsBytes;
    this.pttl = pttl;
  }

  /** What the agent's own PTTL carries on its output: marks it hidden and routes its reply. */
  static CommandReply hiddenPttl(TtlProbe probe) {
    return new CommandReply(null, false, false, probe);
  }

  /** The probe whose PTTL this is, or null for every command of the application. */
  public TtlProbe pttl() {
    return pttl;
  }

  /**
   * This GET is about to be written with {@code probe}'s PTTL right ahead of it, or (null) with
   * none; called on every write, before the GET's bytes are produced.
   */
  public void ttlAhead(TtlProbe probe) {
    ttlAhead = probe;
  }

  boolean isGet() {
    return wantsBytes && pttl == null;
  }

  LettuceConnectionL1 connection() {
    return connection;
  }

  /**
   * The command was just encoded for the socket: {@code argv} as written (null if its bytes could
   * not be read), {@code readToken} taken before any of them could reach Redis.
   */
  public void written(byte[][] argv, long readToken) {
    RedisSession session = connection.session();
    Pending pending;
    if (argv == null) {
      session.detach("a Lettuce command that could not be read back");
      pending = session.sent(new byte[0][], readToken); // unknown: invalidates conservatively
    } else {
      pending = session.sent(argv, readToken);
    }
    raw = null;
    captured = false;
    TtlProbe probe = ttlAhead;
    if (probe != null) {
      ttlAhead = null;
      probe.bind(pending.expectTtl()); // null when this write fills nothing
    }
    Pending previous = ON_WIRE.getAndSet(this, pending == Pending.NONE ? null : pending);
    if (previous != null) {
      previous.abandoned(); // written twice with no reconnect seen in between: the first is lost
    }
    if (pending == Pending.NONE) {
      return;
    }
    connection.onWire(this);
    if (done != 0) {
      socketLost(); // finished while being written (a timeout, a cancel): nobody will reply
    }
  }

  /** The socket this command was last written to is gone: no reply to that write will come. */
  void socketLost() {
    connection.offWire(this);
    Pending pending = ON_WIRE.getAndSet(this, null);
    if (pending != null) {
      pending.abandoned();
    }
  }

  /** The bulk reply as it reaches the command's {@code ValueOutput}; null for nil. */
  public static void capture(CommandReply reply, ByteBuffer bytes) {
    if (!reply.wantsBytes || reply.done != 0 || reply.onWire == null) {
      return;
    }
    byte[] b = null;
    if (bytes != null) {
      ByteBuffer copy = bytes.duplicate();
      b = new byte[copy.remaining()];
      copy.get(b);
    }
    reply.raw = b;
    reply.captured = true;
  }

  /** The reply was decoded into the output; {@code error} for an error reply. */
  public static void replied(CommandReply reply, boolean error) {
    reply.finish(error, false);
  }

  /** The command's own completion callback: after a reply, a cancellation or a failure. */
  @Override
  public void accept(Object value, Throwable failure) {
    finish(failure != null, failure != null);
  }

  /** No reply will be seen (the dispatch failed before the command was queued). */
  public void abandoned() {
    finish(true, true);
  }

  private void finish(boolean error, boolean abandoned) {
    if (!DONE.compareAndSet(this, 0, 1)) {
      return;
    }
    try {
      Pending pending = ON_WIRE.getAndSet(this, null);
      if (pending == null) {
        return;
      }
      connection.offWire(this);
      if (abandoned) {
        pending.abandoned();
      } else if (error) {
        pending.replied(null, true);
      } else if (wantsBytes && !captured) {
        pending.abandoned(); // a read whose bulk reply never reached a ValueOutput: fill nothing
      } else {
        pending.replied(raw, false);
      }
    } finally {
      if (write) {
        connection.writeDone();
      }
    }
  }
}
