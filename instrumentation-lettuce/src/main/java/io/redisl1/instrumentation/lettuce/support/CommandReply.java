package io.redisl1.instrumentation.lettuce.support;

import io.redisl1.store.session.Pending;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BiConsumer;

/**
 * One sent command waiting for its reply. Lettuce can finish a command along several paths: the
 * reply is decoded ({@code CommandHandler#complete}, which runs before the application can see the
 * reply), or the command is cancelled, times out, fails on a broken connection, or is completed by
 * its transaction's EXEC (the command's own completion callback). Whichever comes first hands the
 * {@link Pending} its outcome; the rest do nothing.
 *
 * <p>A cacheable read captures the raw bulk reply as it reaches the output, before the
 * connection's codec decodes it: the L1 keeps bytes, never decoded values.
 */
public final class CommandReply implements BiConsumer<Object, Throwable> {
  private static final AtomicIntegerFieldUpdater<CommandReply> DONE =
      AtomicIntegerFieldUpdater.newUpdater(CommandReply.class, "done");

  private final Pending pending;
  private final LettuceConnectionL1 connection;
  private final long generation;
  /** Counted in the connection's writes in flight until finished. */
  private final boolean write;
  private final boolean wantsBytes;
  /** The raw bulk reply, null for nil; meaningful once {@link #captured}. */
  private volatile byte[] raw;
  private volatile boolean captured;

  private volatile int done;

  CommandReply(
      Pending pending, LettuceConnectionL1 connection, long generation, boolean write, boolean wantsBytes) {
    this.pending = pending;
    this.connection = connection;
    this.generation = generation;
    this.write = write;
    this.wantsBytes = wantsBytes;
  }

  /** The bulk reply as it reaches the command's {@code ValueOutput}; null for nil. */
  public static void capture(CommandReply reply, ByteBuffer bytes) {
    if (!reply.wantsBytes || reply.done != 0) {
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

  /** No reply will be seen (the write to Redis failed before the command was queued). */
  public void abandoned() {
    finish(true, true);
  }

  private void finish(boolean error, boolean abandoned) {
    if (!DONE.compareAndSet(this, 0, 1)) {
      return;
    }
    try {
      if (abandoned) {
        pending.abandoned();
      } else if (error) {
        pending.replied(null, true);
      } else {
        if (wantsBytes && !captured) {
          // A read whose bulk reply never reached a ValueOutput: fill nothing.
          pending.abandoned();
        } else {
          pending.replied(raw, false);
        }
      }
    } finally {
      if (write) {
        connection.writeDone(generation);
      }
    }
  }
}
