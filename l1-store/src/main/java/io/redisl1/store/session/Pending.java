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

  /** No reply will be seen (the connection failed, the command was cancelled). */
  public void abandoned() {
    replied(null, true);
  }
}
