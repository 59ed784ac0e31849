package io.redisl1.store.session;

import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.Scope;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one scope every connection of a client-side pool is in, so that a pooled GET can be answered
 * from the L1 before a connection is borrowed: the answer is the one any idle connection of the
 * pool would have given, without the borrow and return around it.
 *
 * <p>Sessions {@link RedisSession#joinPool join} when the pool first hands their connection out.
 * The first one fixes the pool's scope; from then on the pool answers only while every member is
 * <em>settled in it</em>: in that scope, attached, outside MULTI and without a scope change
 * (SELECT, AUTH, RESET) unanswered. A member that leaves that state (a SELECT on a pooled
 * connection, a reconnect that lands on another address or database, a detach) stops the pool's
 * answers until it is settled in the scope again; one that never comes back (closed while
 * unsettled) stops them for the pool's life: never answering is the safe side. Members settled in
 * the scope that are later closed change nothing, since a new connection of the same pool starts
 * in the same scope, from the same configuration; one that does not (its host name now resolves
 * elsewhere) joins unsettled and stops the answers.
 *
 * <p>What a borrowed member is doing (a write in flight, a pipeline, a transaction) does not hold
 * the pool's answers, except MULTI and scope changes, which are counted: another thread's borrow
 * would get another, idle connection, whose answer the L1 gives. A write invalidates its keys in
 * the L1 before it is sent and again at its reply, as on any connection.
 *
 * <p>{@link #lookup} is the hit path: two volatile reads besides the session-free lookup itself.
 */
public final class PoolScope {
  /** Fixed by the first member settled in a scope; null until then. */
  private volatile Scope scope;
  /** Members not settled in {@link #scope}; the pool answers only at zero. */
  private final AtomicInteger unsettled = new AtomicInteger();

  /**
   * The entry a pooled GET of {@code key} may be answered with before any borrow, or null. A miss
   * is not counted here: the GET goes on to borrow, where the connection's own lookup counts it.
   */
  public L1Entry lookup(L1Runtime runtime, byte[] key) {
    Scope s = scope;
    if (s == null || unsettled.get() != 0 || runtime.observing() || runtime.cachingRule(key) == null) {
      // Observe mode counts on the connection's own lookup, after the borrow, exactly once.
      return null;
    }
    return runtime.store().peek(s, key);
  }

  /** As {@link #lookup(L1Runtime, byte[])} for a {@code String} key the client sends as UTF-8. */
  public L1Entry lookup(L1Runtime runtime, String key) {
    Scope s = scope;
    if (s == null || unsettled.get() != 0 || runtime.observing() || runtime.cachingRule(key) == null) {
      return null;
    }
    return runtime.store().peek(s, key);
  }

  /** Whether the pool answers from the L1 now (tests, diagnostics). */
  public boolean answering() {
    return scope != null && unsettled.get() == 0;
  }

  /** A member joins, not yet known to be settled; {@link #settled} follows. */
  void joined() {
    unsettled.incrementAndGet();
  }

  /** A member became settled in {@code memberScope} ({@code true}) or left it. */
  boolean settles(Scope memberScope) {
    Scope s = scope;
    if (s == null) {
      synchronized (this) {
        if (scope == null) {
          scope = memberScope;
        }
        s = scope;
      }
    }
    return s == memberScope;
  }

  void changed(boolean nowSettled) {
    if (nowSettled) {
      unsettled.decrementAndGet();
    } else {
      unsettled.incrementAndGet();
    }
  }
}
