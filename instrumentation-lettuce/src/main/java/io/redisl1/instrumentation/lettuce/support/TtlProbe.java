package io.redisl1.instrumentation.lettuce.support;

import io.redisl1.store.session.Pending;
import java.nio.ByteBuffer;

/**
 * The agent's own {@code PTTL}, written on the event loop right ahead of a GET that may fill, on
 * the same socket and in the same flush ({@link #forGet}). It sits in Lettuce's command stack as a
 * plain {@code Command} of its own, so its reply is decoded into its own output, before the GET's;
 * it carries no {@link CommandReply} of the application's kind, so the session, the metrics and
 * the application never see it.
 *
 * <p>The GET's fill is made when Lettuce writes the GET ({@link CommandReply#written}), after this
 * PTTL was written and before either can reach Redis; it is {@link #bind bound} here then. The
 * PTTL's reply arrives first and hands the fill its TTL half, so the fill lands as the GET's own
 * reply is decoded, before the application's GET completes.
 *
 * <p>Written once: if the socket breaks, Lettuce replays the PTTL, but the GET is then written
 * again with a fresh probe ahead of it, and the fill this one was bound to is already abandoned.
 * Both calls come from the connection's event loop.
 */
public final class TtlProbe {
  private final byte[] key;
  private volatile Pending ttl;

  private TtlProbe(byte[] key) {
    this.key = key;
  }

  /**
   * A PTTL to write ahead of {@code get} (a GET about to be written, whose key as encoded is
   * {@code key}) if its reply may fill, or null when none should go: a rule caches the key and the
   * session knows where the GET runs (not inside MULTI, no scope change unanswered, not detached;
   * every command ahead of it on the socket has been written, so that is the wire's truth).
   */
  public static TtlProbe forGet(CommandReply get, ByteBuffer key) {
    if (get == null || !get.isGet() || key == null) {
      return null;
    }
    byte[] bytes = LettuceConnectionL1.bytesOf(key);
    return get.connection().mayFill(bytes) ? new TtlProbe(bytes) : null;
  }

  /** The key to send PTTL for. */
  public byte[] key() {
    return key;
  }

  /** What the PTTL's output carries so that its reply finds this probe ({@link CommandReply#pttl}). */
  public CommandReply shell() {
    return CommandReply.hiddenPttl(this);
  }

  /** The GET behind this PTTL was written; {@code ttl} is where the reply goes (null: nowhere). */
  void bind(Pending ttl) {
    this.ttl = ttl;
  }

  /**
   * The PTTL's reply was decoded: {@code value} (a {@code Long}) or, for an error reply, {@code
   * error}. A reply that is neither fills nothing.
   */
  public void replied(Object value, String error) {
    Pending target = ttl;
    ttl = null;
    if (target == null) {
      return;
    }
    if (error != null) {
      target.replied(error, true); // refused: an ACL without PTTL, a renamed command
    } else if (value instanceof Long) {
      target.replied(value, false);
    } else {
      target.abandoned();
    }
  }
}
