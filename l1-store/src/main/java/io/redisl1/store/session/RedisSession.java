package io.redisl1.store.session;

import io.redisl1.store.KeyRule;
import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Log;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Stats.Bypass;
import io.redisl1.store.L1Store;
import io.redisl1.store.Scope;
import io.redisl1.store.command.CommandEffect;
import io.redisl1.store.command.CommandEffects;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the L1 knows about one client connection: which server, database and user its commands
 * run as, whether it is inside MULTI, what it has sent that is not answered yet, and whether it can
 * still be trusted.
 *
 * <p>A client tells the session about every command as it is sent ({@link #sent}) and hands the
 * returned {@link Pending} the reply. Writes invalidate their keys when sent and again when the
 * reply arrives: the second time fences off GETs from other connections that read the old value
 * while the write was on its way.
 *
 * <p><b>Commands in flight.</b> A GET answered from the L1 must return what Redis would have
 * returned at that point of the connection's command stream, so nothing is answered while any
 * command that may change that answer (a write, a scope change, anything not known to be
 * read-only) is unanswered. Clients that learn a command's arguments only after it has left the
 * caller (Lettuce) also {@link #holdAnswers} from the moment it is issued.
 *
 * <p><b>Scope changes in flight.</b> SELECT, AUTH, HELLO AUTH and RESET change the scope only once
 * Redis accepted them, but clients pipeline: commands sent between a scope change and its reply
 * run in a scope the session cannot be sure of (the change may yet be refused). While any scope
 * change is unanswered, a read fills nothing and a write invalidates its keys in every database of
 * the server, as a detached session does. A scope change whose reply is lost (timeout, broken
 * connection) leaves the session detached until the client reconnects.
 *
 * <p>A session that loses track of request/reply pairing (pub/sub, MONITOR, CLIENT REPLY, a failed
 * read) is detached: it answers nothing from the L1 and fills nothing, but its writes still
 * invalidate, in every database of the server since its database is no longer known for sure.
 *
 * <p>On a session whose client {@link #probesTtl probes TTLs}, a GET fills only together with the
 * key's remaining TTL in Redis, from a PTTL the client sends in the same write ({@link
 * Pending#expectTtl}); see {@link Fill}. Clients send that PTTL only for GETs that would fill
 * ({@link #mayFill}), never inside MULTI (nor, on Jedis, in pipelines), so those never fill. A
 * client that cannot probe fills with the rule's TTL alone.
 *
 * <p>{@link #lookup} is the hit path and reads volatile fields only. Other methods are
 * synchronized: a client may send from one thread and read replies on another.
 */
public final class RedisSession {
  private static final String DEFAULT_USER = "default";

  private volatile String endpoint;
  private volatile int db;
  private volatile String user = DEFAULT_USER;
  private volatile boolean inMulti;
  private volatile boolean detached;
  /** Null while the L1 is off; recomputed whenever endpoint, db or user change. */
  private volatile Scope scope;
  /** Whether the client sends a PTTL with each GET that may fill; see the class comment. */
  private volatile boolean probesTtl;
  /** Issued commands that may change what a GET returns and are not finished. */
  private final AtomicInteger unsettled = new AtomicInteger();
  /** Scope changes sent on the current socket and not answered. Guarded by this. */
  private int scopeChanges;
  /** Counts sockets, so a scope change of a lost socket cannot settle the next one's count. */
  private int socketEpoch;
  private final List<Runnable> onExec = new ArrayList<>();
  /** The pool the connection belongs to, if any; guarded by this. */
  private PoolScope pool;
  /** Whether this session counts as settled in {@link #pool}'s scope; guarded by this. */
  private boolean settledInPool;

  public RedisSession(String endpoint, int db) {
    this.endpoint = endpoint;
    this.db = db;
    rescope();
  }

  /** The cached reply {@code key} may be answered with, or null to go to Redis. */
  public L1Entry lookup(L1Runtime runtime, byte[] key) {
    if (runtime.observing()) {
      observe(runtime, key);
      return null;
    }
    Scope s = answeringScope();
    return s == null || runtime.cachingRule(key) == null ? null : runtime.store().get(s, key);
  }

  /** As {@link #lookup(L1Runtime, byte[])} for a {@code String} key the client sends as UTF-8. */
  public L1Entry lookup(L1Runtime runtime, String key) {
    if (runtime.observing()) {
      return lookup(runtime, key.getBytes(StandardCharsets.UTF_8)); // observe mode counts; rare, not the hit path
    }
    Scope s = answeringScope();
    return s == null || runtime.cachingRule(key) == null ? null : runtime.store().get(s, key);
  }

  /**
   * As {@link #lookup}, for a lookup ahead of the client's own on this connection: a hit is
   * counted, a miss is not (the lookup that follows it counts it), and observe mode answers nothing
   * here (the lookup that follows counts the would-be hit).
   */
  public L1Entry peek(L1Runtime runtime, byte[] key) {
    if (runtime.observing()) {
      return null;
    }
    Scope s = answeringScope();
    return s == null || runtime.cachingRule(key) == null ? null : runtime.store().peek(s, key);
  }

  /** As {@link #peek(L1Runtime, byte[])} for a {@code String} key the client sends as UTF-8. */
  public L1Entry peek(L1Runtime runtime, String key) {
    Scope s = peekScope(runtime, key);
    return s == null ? null : runtime.store().peek(s, key);
  }

  /** As {@link #peek(L1Runtime, String)}, but null for a key that is not all ASCII ({@link L1Store#peekAscii}). */
  public L1Entry peekAscii(L1Runtime runtime, String key) {
    Scope s = peekScope(runtime, key);
    return s == null ? null : runtime.store().peekAscii(s, key);
  }

  private Scope peekScope(L1Runtime runtime, String key) {
    if (runtime.observing()) {
      return null;
    }
    Scope s = answeringScope();
    return s == null || runtime.cachingRule(key) == null ? null : s;
  }

  /** Observe mode: counts whether the L1 would have answered, exactly as {@link #lookup} decides. */
  private void observe(L1Runtime runtime, byte[] key) {
    KeyRule rule = runtime.cachingRule(key);
    if (rule == null) {
      return;
    }
    Scope s = answeringScope();
    rule.stats().looked(s != null && runtime.store().get(s, key) != null);
  }

  /**
   * The scope this connection may be answered in from the L1 now, or null: none known yet,
   * commands in flight that may change it or what a GET returns, a transaction, or detached.
   */
  private Scope answeringScope() {
    Scope s = scope;
    return s == null || unsettled.get() != 0 || inMulti || detached ? null : s;
  }

  /**
   * A command that may change what a GET returns was issued but the session will only see it
   * later, when it is written ({@link #sent}); answers nothing from the L1 until {@link
   * #releaseAnswers} is called for it, once the client is done with the command.
   */
  public void holdAnswers() {
    unsettled.incrementAndGet();
  }

  /** The command of a {@link #holdAnswers} is finished: answered, failed or cancelled. */
  public void releaseAnswers() {
    unsettled.decrementAndGet();
  }

  /** A command is about to be written to the socket. */
  public Pending sent(byte[][] argv) {
    return sent(argv, readToken());
  }

  /**
   * A command was written; {@code readToken} came from {@link #readToken()} before its first byte
   * could have reached Redis. For clients that only see a command's arguments after writing it.
   */
  public synchronized Pending sent(byte[][] argv, long readToken) {
    Pending pending = classified(argv, readToken);
    repool(); // MULTI and scope changes unsettle a pool member
    return pending;
  }

  private Pending classified(byte[][] argv, long readToken) {
    CommandEffect effect = CommandEffects.classify(argv);
    L1Runtime runtime = L1Runtime.current();
    L1Store store = runtime == null ? null : runtime.store();
    // Where the command runs is only known for sure while no scope change is unanswered.
    boolean scopeKnown = !detached && scopeChanges == 0;
    switch (effect.kind()) {
      case NONE:
        return Pending.NONE;
      case CACHEABLE_READ:
        if (store == null) {
          return Pending.NONE;
        }
        countBypass(runtime, effect.key(0), scopeKnown);
        return !scopeKnown ? Pending.NONE : fillFor(runtime, effect.key(0), readToken);
      case WRITE:
      case WRITE_OTHER_DB:
      case FLUSH_DB:
      case SWAP_DB:
      case FLUSH_ALL:
        return store == null ? Pending.NONE : afterReply(invalidation(store, effect, scopeKnown));
      case SELECT:
        return inMulti ? detach("SELECT inside MULTI") : new Select(effect.db());
      case AUTH:
        return inMulti ? detach("AUTH inside MULTI") : new Auth(effect.user(), Passwords.of(argv));
      case RESET:
        return new Reset();
      case MULTI:
        inMulti = true;
        return new Multi();
      case EXEC:
      case DISCARD:
        return new Exec();
      case LEAVES_REQUEST_REPLY:
      default:
        return detach(
            argv.length == 0 || argv[0] == null
                ? "an unreadable command"
                : new String(argv[0], StandardCharsets.UTF_8).toUpperCase(Locale.ROOT));
    }
  }

  /** A new socket: Redis starts it on database 0 as the default user, outside MULTI. */
  public void connected(String endpoint) {
    connected(endpoint, 0, DEFAULT_USER);
  }

  /**
   * A new socket on which the client's handshake already selected {@code db} and authenticated as
   * {@code user} ({@code "default"} without a user name), outside the commands the session sees.
   * The client must have abandoned whatever it had sent on the previous socket first.
   */
  public synchronized void connected(String endpoint, int db, String user) {
    this.endpoint = endpoint;
    this.db = db;
    this.user = user;
    this.inMulti = false;
    this.detached = false;
    scopeChanges = 0;
    socketEpoch++;
    onExec.clear();
    rescope();
    repool();
  }

  /** Stops answering and filling for this connection; see the class comment. */
  public synchronized Pending detach(String why) {
    if (!detached) {
      detached = true;
      L1Log.infoOnce("detach:" + why, "a connection stopped using the L1 after " + why);
      repool();
    }
    return Pending.NONE;
  }

  /**
   * The connection belongs to {@code pool} (a client-side connection pool), which may answer GETs
   * before borrowing a connection while all its members are settled in one scope; see {@link
   * PoolScope}. A connection moved to another pool leaves the first one unsettled for good.
   */
  public synchronized void joinPool(PoolScope pool) {
    if (this.pool == pool) {
      return;
    }
    if (this.pool != null && settledInPool) {
      this.pool.changed(false);
    }
    this.pool = pool;
    settledInPool = false;
    pool.joined();
    repool();
  }

  /** Tells the pool, if any, whether this session is settled in its scope. Holding this. */
  private void repool() {
    PoolScope p = pool;
    if (p == null) {
      return;
    }
    Scope s = scope;
    boolean settled = s != null && !detached && !inMulti && scopeChanges == 0 && p.settles(s);
    if (settled != settledInPool) {
      settledInPool = settled;
      p.changed(settled);
    }
  }

  public boolean isDetached() {
    return detached;
  }

  public boolean inMulti() {
    return inMulti;
  }

  /** Whether a scope change (SELECT, AUTH, RESET) was sent and not answered yet. */
  public synchronized boolean scopeChanging() {
    return scopeChanges != 0;
  }

  /** Whether commands that hold off L1 answers are in flight. */
  public boolean holdingAnswers() {
    return unsettled.get() != 0;
  }

  public Scope scope() {
    return scope;
  }

  public int db() {
    return db;
  }

  public String user() {
    return user;
  }

  /**
   * Whether a GET of {@code key} sent now would fill (and so wants a PTTL with it): a caching
   * rule matches and the session knows where the GET runs (not detached, not in MULTI, no scope
   * change unanswered). For clients that decide on the PTTL before the GET is written; the
   * session's answer when it is written ({@link Pending#expectTtl}) is the one that counts.
   */
  public boolean mayFill(L1Runtime runtime, byte[] key) {
    return scope != null && !detached && !inMulti && !scopeChanging() && runtime.cachingRule(key) != null;
  }

  /** The client sends a PTTL with every GET that may fill: fills without one are refused. */
  public void probesTtl() {
    probesTtl = true;
  }

  /** A token for a read about to be sent; see {@link io.redisl1.store.L1Store#beginRead}. */
  public static long readToken() {
    L1Runtime runtime = L1Runtime.current();
    return runtime == null ? Long.MIN_VALUE : runtime.store().beginRead();
  }

  private Pending fillFor(L1Runtime runtime, byte[] key, long readToken) {
    Scope s = scope;
    KeyRule rule = runtime.cachingRule(key);
    if (s == null || inMulti || rule == null) {
      return Pending.NONE;
    }
    return new Fill(runtime.store(), s, key, readToken, rule, probesTtl);
  }

  /**
   * A GET is on its way to Redis: if {@link #lookup} would not have asked the L1 for it, counts why.
   * Off the hit path (a hit sends nothing), one striped increment at most. Counted as the GET is
   * written: on a client that writes a command after dispatching it (Lettuce), a write dispatched
   * in between can label a plain miss {@code commands_in_flight}.
   */
  private void countBypass(L1Runtime runtime, byte[] key, boolean scopeKnown) {
    if (runtime.observing()) {
      return; // observe mode answers nothing by design; its figures are the would-be hits
    }
    KeyRule rule = runtime.rules().matchingRule(key);
    Bypass reason;
    if (rule == null) {
      reason = Bypass.NO_RULE;
    } else if (!rule.cache()) {
      reason = Bypass.RULE_OFF;
    } else if (inMulti) {
      reason = Bypass.TRANSACTION;
    } else if (detached) {
      reason = Bypass.CONNECTION_DETACHED;
    } else if (!scopeKnown) {
      reason = Bypass.SCOPE_CHANGING;
    } else if (unsettled.get() != 0) {
      reason = Bypass.COMMANDS_IN_FLIGHT;
    } else {
      Scope s = scope;
      if (s == null || s.keyspace().endpointState().serving()) {
        return; // a plain miss, counted by the store
      }
      reason = Bypass.ENDPOINT_NOT_SERVING;
    }
    runtime.store().stats().countBypass(reason);
  }

  /** What a write must drop, wherever it may run; see the class comment on scope changes. */
  private Runnable invalidation(L1Store store, CommandEffect effect, boolean scopeKnown) {
    Invalidations on = new Invalidations(store, endpoint);
    switch (effect.kind()) {
      case WRITE:
        return scopeKnown ? on.keys(effect, db, -1) : on.keysEverywhere(effect);
      case WRITE_OTHER_DB:
        return scopeKnown ? on.keys(effect, db, effect.db()) : on.keysEverywhere(effect);
      case FLUSH_DB:
        return scopeKnown ? on.databases(db, -1) : on.server();
      case SWAP_DB:
        return on.databases(effect.db(), effect.otherDb());
      default:
        return on.server();
    }
  }

  /**
   * Runs {@code invalidation} now and again when the reply arrives. Inside MULTI the write happens
   * at EXEC, so the second run waits for EXEC's reply.
   */
  private Pending afterReply(Runnable invalidation) {
    invalidation.run();
    if (inMulti) {
      onExec.add(invalidation);
    }
    return new AfterReply(invalidation);
  }

  private void rescope() {
    L1Runtime runtime = L1Runtime.current();
    scope = runtime == null ? null : runtime.store().scope(endpoint, db, user);
  }

  /**
   * A command that may change what a GET returns: holds off L1 answers from when it is sent until
   * its outcome has been applied, exactly once whether it is answered or lost.
   */
  private abstract class Unsettled extends Pending {
    private boolean settled;

    Unsettled() {
      unsettled.incrementAndGet();
    }

    /** What the reply (or {@code error}) means for the session. */
    abstract void onReply(Object reply, boolean error);

    /** No reply will be seen. */
    void onLost() {
      onReply(null, true);
    }

    @Override
    public final void replied(Object reply, boolean error) {
      settle(false, reply, error);
    }

    @Override
    public final void abandoned() {
      settle(true, null, true);
    }

    private void settle(boolean lost, Object reply, boolean error) {
      synchronized (RedisSession.this) {
        if (settled) {
          return;
        }
        settled = true;
      }
      try {
        if (lost) {
          onLost();
        } else {
          onReply(reply, error);
        }
      } finally {
        unsettled.decrementAndGet();
      }
    }
  }

  private final class AfterReply extends Unsettled {
    private final Runnable invalidation;

    AfterReply(Runnable invalidation) {
      this.invalidation = invalidation;
    }

    @Override
    void onReply(Object reply, boolean error) {
      invalidation.run();
    }
  }

  /** SELECT, AUTH, RESET: until answered, the session cannot be sure where its commands run. */
  private abstract class ScopeChange extends Unsettled {
    private final int epoch;
    private final String what;

    ScopeChange(String what) {
      this.what = what;
      this.epoch = socketEpoch;
      scopeChanges++;
    }

    /** Redis accepted the change. Called holding the session's lock. */
    abstract void apply();

    @Override
    final void onReply(Object reply, boolean error) {
      synchronized (RedisSession.this) {
        if (epoch != socketEpoch) {
          return; // answered on a socket that is gone; the new one started from its handshake
        }
        scopeChanges--;
        if (!error) {
          apply();
          rescope();
        }
        repool();
      }
    }

    @Override
    final void onLost() {
      synchronized (RedisSession.this) {
        if (epoch != socketEpoch) {
          return;
        }
        scopeChanges--;
        // Redis may or may not have applied it: nothing this connection reads can be placed.
        detach("a " + what + " whose reply was lost");
        repool();
      }
    }
  }

  private final class Select extends ScopeChange {
    private final int target;

    Select(int target) {
      super("SELECT");
      this.target = target;
    }

    @Override
    void apply() {
      db = target;
    }
  }

  private final class Auth extends ScopeChange {
    private final String newUser;
    /** For the invalidation channel to this server, which authenticates as the application. */
    private final byte[] password;

    Auth(String newUser, byte[] password) {
      super("AUTH");
      this.newUser = newUser;
      this.password = password;
    }

    @Override
    void apply() {
      if (newUser != null) {
        user = newUser;
      }
      L1Runtime runtime = L1Runtime.current();
      if (runtime != null) {
        runtime.authenticated(endpoint, user, password);
      }
    }
  }

  private final class Reset extends ScopeChange {
    Reset() {
      super("RESET");
    }

    @Override
    void apply() {
      db = 0;
      user = DEFAULT_USER;
      inMulti = false;
      onExec.clear();
    }
  }

  private final class Multi extends Unsettled {
    @Override
    void onReply(Object reply, boolean error) {
      synchronized (RedisSession.this) {
        if (error) {
          inMulti = false;
        }
        repool();
      }
    }
  }

  /** EXEC or DISCARD: the transaction is over either way; its writes are invalidated again. */
  private final class Exec extends Unsettled {
    @Override
    void onReply(Object reply, boolean error) {
      synchronized (RedisSession.this) {
        inMulti = false;
        for (Runnable invalidation : onExec) {
          invalidation.run();
        }
        onExec.clear();
        repool();
      }
    }
  }
}
