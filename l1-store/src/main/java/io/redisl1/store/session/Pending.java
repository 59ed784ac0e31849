package io.redisl1.store.session;

/**
 * What is left to do for a command once its reply arrives. A client calls exactly one of {@link
 * #replied} or {@link #abandoned} per command it sent.
 */
public abstract class Pending {
  /** Nothing to do: most commands. */
  public static final Pending NONE =
      new Pending() {
        @Override
        public void replied(Object reply, boolean error) {}
      };

  /**
   * The reply arrived. For a bulk string reply pass the raw {@code byte[]} (it is copied before it
   * is kept), null for nil; {@code error} is true for an error reply.
   */
  public abstract void replied(Object reply, boolean error);

  /**
   * For a GET whose reply may fill: the entry's lifetime is bounded by the key's remaining TTL in
   * Redis, so the fill waits for the reply to a {@code PTTL} of the same key that the client sends
   * in the same write as the GET on the same connection (right behind or right ahead of it),
   * without the application seeing it. Call it before either can reach Redis. Returns the
   * {@link Pending} that PTTL's reply goes to, or null when this command fills nothing and no PTTL
   * is to be sent. A read for which this is never called fills nothing: its lifetime could not be
   * bounded.
   */
  public Pending expectTtl() {
    return null;
  }

  /** No reply will be seen (the connection failed, the command was cancelled). */
  public void abandoned() {
    replied(null, true);
  }
}
