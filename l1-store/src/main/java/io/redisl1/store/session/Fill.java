package io.redisl1.store.session;

import io.redisl1.store.KeyRule;
import io.redisl1.store.L1Log;
import io.redisl1.store.L1Store;
import io.redisl1.store.Scope;
import io.redisl1.store.TtlClamp;

/**
 * A GET whose reply may fill, together with the {@code PTTL} of its key sent in the same write (right
 * behind it on Jedis, right ahead of it on Lettuce): the entry is made only once both replies are
 * in, with the lifetime {@link TtlClamp} allows. Without a PTTL ({@link #expectTtl} never called) on
 * a session that probes TTLs, or if either reply is an error or lost, nothing is filled; a session
 * that cannot probe fills with the rule's TTL. The two replies may be handed in from different
 * threads and in either order.
 */
final class Fill extends Pending {
  private final L1Store store;
  private final Scope scope;
  private final byte[] key;
  private final long readToken;
  private final KeyRule rule;
  /**
   * When the GET was handed to the session, on the store's clock: before Redis can have run the
   * PTTL, which leaves in the same write, whether behind or ahead of the GET.
   */
  private final long sentAt;
  /** False for a client that sends no PTTL: the rule's TTL alone bounds the entry. */
  private final boolean clamped;

  // Guarded by this.
  private TtlReply ttlReply;
  private boolean finished;
  private boolean haveValue;
  private byte[] value;
  private boolean haveTtl;
  private long pttlMillis;

  Fill(L1Store store, Scope scope, byte[] key, long readToken, KeyRule rule, boolean clamped) {
    this.clamped = clamped;
    this.store = store;
    this.scope = scope;
    this.key = key;
    this.readToken = readToken;
    this.rule = rule;
    this.sentAt = store.nanoTime();
  }

  @Override
  public synchronized Pending expectTtl() {
    if (ttlReply == null && !finished) {
      ttlReply = new TtlReply();
    }
    return ttlReply;
  }

  @Override
  public void replied(Object reply, boolean error) {
    // The miss's round trip: the GET's reply, whatever it says (off the hit path: a hit sends nothing).
    store.stats().missLatency().record(store.nanoTime() - sentAt);
    synchronized (this) {
      if (finished) {
        return;
      }
      if (error || (clamped && ttlReply == null) || (reply != null && !(reply instanceof byte[]))) {
        finished = true; // an error, or a lifetime that cannot be bounded: fill nothing
        return;
      }
      if (reply == null && !rule.cacheNil()) {
        finished = true;
        return;
      }
      value = reply == null ? null : ((byte[]) reply).clone();
      haveValue = true;
      if (!clamped) {
        haveTtl = true;
        // As if Redis had said the key has no expiry (or, for a nil, does not exist): the rule's TTL.
        pttlMillis = reply == null ? TtlClamp.NO_KEY : TtlClamp.NO_EXPIRY;
      }
    }
    fillIfComplete();
  }

  private void ttlReplied(Object reply, boolean error) {
    synchronized (this) {
      if (finished) {
        return;
      }
      if (error || !(reply instanceof Long)) {
        finished = true;
        if (error && reply != null) {
          // The server answered PTTL with an error (an ACL without it, a renamed command).
          L1Log.warnOnce(
              "pttl-refused",
              "Redis refused PTTL (" + reply + "); keys it is refused for are not cached");
        }
        return;
      }
      pttlMillis = (Long) reply;
      haveTtl = true;
    }
    fillIfComplete();
  }

  private void fillIfComplete() {
    byte[] v;
    long ttl;
    synchronized (this) {
      if (finished || !haveValue || !haveTtl) {
        return;
      }
      finished = true;
      v = value;
      value = null;
      ttl =
          TtlClamp.lifetimeNanos(
              rule.ttlNanos(), pttlMillis, v == null, store.ttlMarginNanos(), store.nanoTime() - sentAt);
    }
    if (ttl > 0) {
      store.fill(scope, key, readToken, v, ttl);
    }
  }

  /** Where the PTTL's reply goes: a {@code Long}, or an error (its message, if known). */
  private final class TtlReply extends Pending {
    @Override
    public void replied(Object reply, boolean error) {
      ttlReplied(reply, error);
    }

    @Override
    public void abandoned() {
      ttlReplied(null, true);
    }
  }
}
