package io.redisl1.instrumentation.lettuce.support;

import io.redisl1.store.session.Pending;
import java.util.function.BiConsumer;

/**
 * The agent's own {@code PTTL}, dispatched right behind a GET that may fill, as the completion of
 * the Lettuce command that carries it. Its reply goes to the PTTL half of the GET's fill ({@link
 * Pending#expectTtl}), bound when the GET is written; the application never sees it.
 *
 * <p>Lettuce writes a command again after a reconnect, and the PTTL right behind its GET, so each
 * write of the GET rebinds; the PTTL completes once, with its last outcome.
 */
public final class TtlProbe implements BiConsumer<Object, Throwable> {
  private static final String SERVER_ERROR = "io.lettuce.core.RedisCommandExecutionException";

  private final byte[] key;
  // Guarded by this.
  private Pending target;
  private boolean completed;

  TtlProbe(byte[] key) {
    this.key = key;
  }

  /** The key to send PTTL for: a copy, since the application may reuse its key array. */
  public byte[] key() {
    return key;
  }

  /** The GET was written; {@code ttl} is where its PTTL's reply goes (null: it fills nothing). */
  void bind(Pending ttl) {
    Pending previous;
    synchronized (this) {
      previous = target;
      if (completed) {
        target = null; // the PTTL is already over: nothing will answer this write of the GET
      } else {
        target = ttl;
        ttl = null;
      }
    }
    if (previous != null) {
      previous.abandoned(); // the GET's earlier write was lost with its socket
    }
    if (ttl != null) {
      ttl.abandoned();
    }
  }

  /** The PTTL command completed: a {@code Long}, an error reply, or a failure to be sent. */
  @Override
  public void accept(Object value, Throwable failure) {
    Pending ttl;
    synchronized (this) {
      completed = true;
      ttl = target;
      target = null;
    }
    if (ttl == null) {
      return;
    }
    if (failure == null && value instanceof Long) {
      ttl.replied(value, false);
    } else if (failure != null && failure.getClass().getName().equals(SERVER_ERROR)) {
      ttl.replied(failure.getMessage(), true); // refused: an ACL, a renamed command
    } else {
      ttl.abandoned();
    }
  }
}
