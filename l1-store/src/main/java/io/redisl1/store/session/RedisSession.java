package io.redisl1.store.session;

import io.redisl1.store.Keyspace;
import io.redisl1.store.KeyRule;
import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Log;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Store;
import io.redisl1.store.Scope;
import io.redisl1.store.command.CommandEffect;
import io.redisl1.store.command.CommandEffects;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the L1 knows about one client connection: which server, database and user its commands
 * run as, whether it is inside MULTI, and whether it can still be trusted.
 *
 * <p>A client tells the session about every command as it is sent ({@link #sent}) and hands the
 * returned {@link Pending} the reply. Writes invalidate their keys when sent and again when the
 * reply arrives: the second time fences off GETs from other connections that read the old value
 * while the write was on its way. State changes (SELECT, AUTH, RESET) take effect only when Redis
 * accepted them.
 *
 * <p>A session that loses track of request/reply pairing (pub/sub, MONITOR, CLIENT REPLY, a failed
 * read) is detached: it answers nothing from the L1 and fills nothing, but its writes still
 * invalidate, in every database of the server since its database is no longer known for sure.
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
  private final List<Runnable> onExec = new ArrayList<>();

  public RedisSession(String endpoint, int db) {
    this.endpoint = endpoint;
    this.db = db;
    rescope();
  }

  /** The cached reply {@code key} may be answered with, or null to go to Redis. */
  public L1Entry lookup(L1Runtime runtime, byte[] key) {
    Scope s = scope;
    if (s == null || inMulti || detached || runtime.cachingRule(key) == null) {
      return null;
    }
    return runtime.store().get(s, key);
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
    CommandEffect effect = CommandEffects.classify(argv);
    L1Runtime runtime = L1Runtime.current();
    L1Store store = runtime == null ? null : runtime.store();
    switch (effect.kind()) {
      case NONE:
        return Pending.NONE;
      case CACHEABLE_READ:
        return store == null ? Pending.NONE : fillFor(runtime, effect.key(0), readToken);
      case WRITE:
        return store == null ? Pending.NONE : invalidate(store, keysOf(effect), -1);
      case WRITE_OTHER_DB:
        return store == null ? Pending.NONE : invalidate(store, keysOf(effect), effect.db());
      case FLUSH_DB:
        return store == null ? Pending.NONE : flush(store, db, -1);
      case SWAP_DB:
        return store == null ? Pending.NONE : flush(store, effect.db(), effect.otherDb());
      case FLUSH_ALL:
        return store == null ? Pending.NONE : flushAll(store);
      case SELECT:
        return inMulti ? detach("SELECT inside MULTI") : new Select(effect.db());
      case AUTH:
        return inMulti ? detach("AUTH inside MULTI") : new Auth(effect.user());
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
   */
  public synchronized void connected(String endpoint, int db, String user) {
    this.endpoint = endpoint;
    this.db = db;
    this.user = user;
    this.inMulti = false;
    this.detached = false;
    onExec.clear();
    rescope();
  }

  /** Stops answering and filling for this connection; see the class comment. */
  public synchronized Pending detach(String why) {
    if (!detached) {
      detached = true;
      L1Log.infoOnce("detach:" + why, "a connection stopped using the L1 after " + why);
    }
    return Pending.NONE;
  }

  public boolean isDetached() {
    return detached;
  }

  public boolean inMulti() {
    return inMulti;
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

  /** A token for a read about to be sent; see {@link io.redisl1.store.L1Store#beginRead}. */
  public static long readToken() {
    L1Runtime runtime = L1Runtime.current();
    return runtime == null ? Long.MIN_VALUE : runtime.store().beginRead();
  }

  private Pending fillFor(L1Runtime runtime, byte[] key, long readToken) {
    Scope s = scope;
    KeyRule rule = runtime.cachingRule(key);
    if (s == null || inMulti || detached || rule == null) {
      return Pending.NONE;
    }
    return new Fill(runtime.store(), s, key, readToken, rule);
  }

  private Pending invalidate(L1Store store, byte[][] keys, int otherDb) {
    Runnable invalidation = keysInvalidation(store, keys, otherDb);
    invalidation.run();
    return afterReply(invalidation);
  }

  private Pending flush(L1Store store, int db1, int db2) {
    String ep = endpoint;
    Runnable flush =
        detached
            ? () -> store.flushEndpoint(ep)
            : () -> {
              store.flush(store.keyspace(ep, db1));
              if (db2 >= 0) {
                store.flush(store.keyspace(ep, db2));
              }
            };
    flush.run();
    return afterReply(flush);
  }

  private Pending flushAll(L1Store store) {
    String ep = endpoint;
    Runnable flush = () -> store.flushEndpoint(ep);
    flush.run();
    return afterReply(flush);
  }

  private Runnable keysInvalidation(L1Store store, byte[][] keys, int otherDb) {
    String ep = endpoint;
    if (detached) {
      return () -> {
        for (Keyspace ks : store.keyspacesOf(ep)) {
          invalidateAll(store, ks, keys);
        }
      };
    }
    Keyspace current = store.keyspace(ep, db);
    Keyspace other = otherDb >= 0 ? store.keyspace(ep, otherDb) : null;
    return () -> {
      invalidateAll(store, current, keys);
      if (other != null) {
        invalidateAll(store, other, keys);
      }
    };
  }

  private static void invalidateAll(L1Store store, Keyspace keyspace, byte[][] keys) {
    for (byte[] key : keys) {
      store.invalidate(keyspace, key);
    }
  }

  /** Inside MULTI the write happens at EXEC, so the second invalidation waits for EXEC's reply. */
  private Pending afterReply(Runnable invalidation) {
    if (inMulti) {
      onExec.add(invalidation);
    }
    return new AfterReply(invalidation);
  }

  private static byte[][] keysOf(CommandEffect effect) {
    byte[][] keys = new byte[effect.keyCount()][];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = effect.key(i);
    }
    return keys;
  }

  private void rescope() {
    L1Runtime runtime = L1Runtime.current();
    scope = runtime == null ? null : runtime.store().scope(endpoint, db, user);
  }

  private static final class Fill extends Pending {
    private final L1Store store;
    private final Scope scope;
    private final byte[] key;
    private final long readToken;
    private final KeyRule rule;

    Fill(L1Store store, Scope scope, byte[] key, long readToken, KeyRule rule) {
      this.store = store;
      this.scope = scope;
      this.key = key;
      this.readToken = readToken;
      this.rule = rule;
    }

    @Override
    public void replied(Object reply, boolean error) {
      if (error) {
        return;
      }
      if (reply instanceof byte[]) {
        store.fill(scope, key, readToken, ((byte[]) reply).clone(), rule.ttlNanos());
      } else if (reply == null && rule.cacheNil()) {
        store.fill(scope, key, readToken, null, rule.ttlNanos());
      }
    }
  }

  private static final class AfterReply extends Pending {
    private final Runnable invalidation;

    AfterReply(Runnable invalidation) {
      this.invalidation = invalidation;
    }

    @Override
    public void replied(Object reply, boolean error) {
      invalidation.run();
    }
  }

  private final class Select extends Pending {
    private final int target;

    Select(int target) {
      this.target = target;
    }

    @Override
    public void replied(Object reply, boolean error) {
      synchronized (RedisSession.this) {
        if (!error) {
          db = target;
          rescope();
        }
      }
    }
  }

  private final class Auth extends Pending {
    private final String newUser;

    Auth(String newUser) {
      this.newUser = newUser;
    }

    @Override
    public void replied(Object reply, boolean error) {
      synchronized (RedisSession.this) {
        if (!error && newUser != null) {
          user = newUser;
          rescope();
        }
      }
    }
  }

  private final class Reset extends Pending {
    @Override
    public void replied(Object reply, boolean error) {
      synchronized (RedisSession.this) {
        if (!error) {
          db = 0;
          user = DEFAULT_USER;
          inMulti = false;
          onExec.clear();
          rescope();
        }
      }
    }
  }

  private final class Multi extends Pending {
    @Override
    public void replied(Object reply, boolean error) {
      synchronized (RedisSession.this) {
        if (error) {
          inMulti = false;
        }
      }
    }
  }

  /** EXEC or DISCARD: the transaction is over either way; its writes are invalidated again. */
  private final class Exec extends Pending {
    @Override
    public void replied(Object reply, boolean error) {
      synchronized (RedisSession.this) {
        inMulti = false;
        for (Runnable invalidation : onExec) {
          invalidation.run();
        }
        onExec.clear();
      }
    }
  }
}
