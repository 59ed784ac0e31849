package io.redisl1.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The in-process cache of Redis replies, shared by every client instrumentation in the JVM.
 *
 * <p>Bounded by an estimate of the bytes it holds (key + value + {@link
 * L1Settings#DEFAULT_ENTRY_OVERHEAD}), with a time-to-live per entry. Entries live in a {@link
 * Keyspace} (server and database) and are served only to the {@link Scope} (keyspace and user)
 * that filled them.
 *
 * <p>A read that misses takes a token with {@link #beginRead} before its request is sent and hands
 * it back to {@link #fill} with the reply; the fill is dropped if the key was invalidated in
 * between (see {@link StaleFillGuard}). Writers call {@link #invalidate} before sending and again
 * once the reply arrived.
 *
 * <p>The hit path, {@link #get}, takes no lock and allocates nothing: it probes the cache with a
 * per-thread key. Each entry's deadline is checked here rather than by Caffeine's per-entry
 * expiry, whose bookkeeping on every read cost about three times the lookup itself (measured:
 * ~88 ns against ~28 ns with a fixed policy, same machine and run). Expired entries are removed
 * by {@link #sweepExpired}, run periodically once {@link #startSweeper} was called, and otherwise
 * only age out under the byte budget; so are the entries of flushed keyspaces.
 *
 * <p>Counting: a hit increments the {@link RuleStats} its entry carries, one striped increment and
 * no rule matching. Hit latency is sampled, not measured on every hit: each thread counts its
 * lookups down in its probe, and only the one in {@link #HIT_TIMING_PERIOD} that reaches zero reads
 * the clock (twice) and records into {@link L1Stats#hitLatency()}; the others read no clock. Everything else (misses, fills, removals) is attributed to a rule by matching
 * the key against the rules given to {@link #countBy}, off the hit path. Keys no rule names (a
 * store used without rules) count under {@link L1Stats#unmatched()}.
 */
public final class L1Store {
  /** One lookup in this many, per thread, is timed for the hit-latency sample (when on). */
  public static final int HIT_TIMING_PERIOD = 256;
  /** The start of a lookup that is not timed (a ticker may well read 0). */
  private static final long NOT_TIMED = Long.MIN_VALUE;

  private final Cache<L1Key, L1Entry> cache;
  private final L1Settings settings;
  private final StaleFillGuard guard = new StaleFillGuard();
  private final L1Stats stats = new L1Stats();
  private final ConcurrentMap<String, Keyspace> keyspaces = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, EndpointState> endpoints = new ConcurrentHashMap<>();
  /** Told about each endpoint first seen; null: every endpoint serves from the start. */
  private volatile Consumer<EndpointState> endpointWatcher;
  private final ConcurrentMap<Keyspace, ConcurrentMap<String, Scope>> scopes =
      new ConcurrentHashMap<>();
  private final AtomicInteger nextSalt = new AtomicInteger();
  private final ThreadLocal<LookupProbe> probe = ThreadLocal.withInitial(LookupProbe::new);
  /** Whether the lookups due for timing are timed: something reads the hit histogram. */
  private volatile boolean timingHits;
  /** Checked by every fill and sweep; null (no check) until {@link #follow} is called. */
  private volatile KeyRules rules;
  /** Observe mode: a live entry is kept rather than refilled, as a hit would have kept it. */
  private volatile boolean observing;
  private volatile int maxValueBytes;
  /** The hit path's clock; null with a test ticker, whose time every check reads. */
  private final CoarseClock coarseClock;

  private L1Store(L1Settings settings) {
    this.settings = settings;
    this.coarseClock = settings.systemClock ? CoarseClock.get() : null;
    this.maxValueBytes = settings.maxValueBytes;
    int overhead = settings.entryOverhead;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(settings.maxMemoryBytes)
            .<L1Key, L1Entry>weigher((k, e) -> e.weight(k.key.length, overhead))
            .removalListener(this::removed)
            .build();
  }

  public static L1Store create(L1Settings settings) {
    return new L1Store(settings);
  }

  public L1Stats stats() {
    return stats;
  }

  /**
   * From now on, each endpoint first seen starts out not serving and is handed to {@code watcher}
   * (on the thread that first named it, outside any lock), which decides when it may serve: the
   * invalidation channels. Without a watcher endpoints serve at once (freshness bounded by TTLs).
   */
  public void watchEndpoints(Consumer<EndpointState> watcher) {
    this.endpointWatcher = watcher;
  }

  /** The state of {@code endpoint}, created (and handed to the watcher) when first named. */
  public EndpointState endpointState(String endpoint) {
    EndpointState known = endpoints.get(endpoint);
    if (known != null) {
      return known;
    }
    Consumer<EndpointState> watcher = endpointWatcher;
    EndpointState created = new EndpointState(endpoint, watcher == null);
    EndpointState raced = endpoints.putIfAbsent(endpoint, created);
    if (raced != null) {
      return raced;
    }
    if (watcher != null) {
      watcher.accept(created);
    }
    return created;
  }

  /** The store's clock, which entry deadlines are measured on. */
  public long nanoTime() {
    return settings.nanoTicker.getAsLong();
  }

  /** How long before Redis drops a key its entry must be gone; see {@link TtlClamp}. */
  public long ttlMarginNanos() {
    return settings.ttlMarginNanos;
  }

  public L1Settings settings() {
    return settings;
  }

  /** Attributes this store's figures to {@code rules} from now on (the rules the runtime serves). */
  public void countBy(KeyRules rules) {
    follow(rules, false);
  }

  /** The stats of the rule {@code key} is cached under, or {@link L1Stats#unmatched()}. */
  private RuleStats statsFor(byte[] key) {
    KeyRules r = rules;
    return statsOf(r == null ? null : r.cachingRule(key));
  }

  private RuleStats statsFor(String key) {
    KeyRules r = rules;
    return statsOf(r == null ? null : r.cachingRule(key));
  }

  private RuleStats statsOf(KeyRule rule) {
    return rule == null ? stats.unmatched : rule.stats();
  }

  /** The keyspace of database {@code db} on {@code endpoint} (host:port or socket path). */
  public Keyspace keyspace(String endpoint, int db) {
    Keyspace known = keyspaces.get(endpoint + '/' + db);
    if (known != null) {
      return known;
    }
    EndpointState state = endpointState(endpoint);
    return keyspaces.computeIfAbsent(
        endpoint + '/' + db,
        k -> {
          Keyspace created = new Keyspace(state, db, nextSalt.getAndIncrement() * 0x9E3779B9);
          state.keyspaces().add(created);
          return created;
        });
  }

  public Scope scope(String endpoint, int db, String user) {
    Keyspace keyspace = keyspace(endpoint, db);
    return scopes
        .computeIfAbsent(keyspace, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(user, u -> new Scope(keyspace, u));
  }

  /** The live entry for {@code key} that {@code scope} may read, or null; counts a hit or a miss. */
  public L1Entry get(Scope scope, byte[] key) {
    L1Entry entry = peek(scope, key);
    if (entry == null) {
      statsFor(key).misses.increment();
    }
    return entry;
  }

  /** As {@link #get(Scope, byte[])} for a client's {@code String} key, sent as its UTF-8 bytes. */
  public L1Entry get(Scope scope, String key) {
    L1Entry entry = peek(scope, key);
    if (entry == null) {
      statsFor(key).misses.increment();
    }
    return entry;
  }

  /**
   * As {@link #get}, counting a hit but never a miss: for a lookup ahead of the client's own
   * ({@code Jedis.get} before its command is built, a pooled GET before the borrow), whose miss is
   * followed by the lookup that counts it.
   */
  public L1Entry peek(Scope scope, byte[] key) {
    LookupProbe thread = probe.get();
    return peek(scope, thread, thread.key.set(scope.keyspace(), key));
  }

  /**
   * As {@link #peek(Scope, byte[])} for a client's {@code String} key, which it sends as its UTF-8
   * bytes: an ASCII key is looked up as it is, with nothing allocated.
   */
  public L1Entry peek(Scope scope, String key) {
    LookupProbe thread = probe.get();
    if (!thread.key.setAscii(scope.keyspace(), key)) {
      return peek(scope, key.getBytes(StandardCharsets.UTF_8));
    }
    return peek(scope, thread, thread.key);
  }

  /**
   * As {@link #peek(Scope, String)} for a client whose encoding of other characters may not be the
   * JDK's: a key that is not all ASCII is not looked up (null), and is left to the caller to encode.
   * The ASCII check is the lookup's own hashing pass.
   */
  public L1Entry peekAscii(Scope scope, String key) {
    LookupProbe thread = probe.get();
    return thread.key.setAscii(scope.keyspace(), key) ? peek(scope, thread, thread.key) : null;
  }

  private L1Entry peek(Scope scope, LookupProbe thread, L1Key lookup) {
    Keyspace keyspace = lookup.keyspace;
    EndpointState endpoint = keyspace.endpointState;
    long coarse = CoarseClock.get().now();
    if (!endpoint.serving || leaseLapsed(endpoint.servesUntil, coarse)) {
      lookup.clear();
      return null;
    }
    long timedFrom = --thread.untilTimed == 0 ? hitTimingStart(thread) : NOT_TIMED;
    L1Entry entry = cache.getIfPresent(lookup);
    lookup.clear();
    if (entry == null
        || entry.scope != scope
        || entry.readSeq < keyspace.flushedAt
        || expiredForHit(entry, coarse)) {
      return null;
    }
    entry.stats.hits.increment();
    if (timedFrom != NOT_TIMED) {
      stats.hitLatency().record(settings.nanoTicker.getAsLong() - timedFrom);
    }
    return entry;
  }

  /** Called on a thread's lookup due for timing: starts the next count-down, reads the clock if on. */
  private long hitTimingStart(LookupProbe thread) {
    thread.untilTimed = HIT_TIMING_PERIOD;
    return timingHits ? settings.nanoTicker.getAsLong() : NOT_TIMED;
  }

  /**
   * Turns the hit-latency sample on (the metrics do, once something can read it) or off. Off, a
   * lookup still counts down its thread's probe, and reads no clock.
   */
  public void timeHits(boolean on) {
    timingHits = on;
  }

  /**
   * Whether the endpoint's lease ({@link EndpointState#provenFreshAt}) ran out: on the coarse clock
   * while it is far from running out, on {@code System.nanoTime()} nearer to it, so that a clock
   * thread kept off the CPU for less than {@link CoarseClock#LEASE_TRUST_WINDOW_NANOS} cannot stretch it.
   */
  private static boolean leaseLapsed(long servesUntil, long coarse) {
    if (coarse != CoarseClock.EXACT && servesUntil - coarse > CoarseClock.LEASE_TRUST_WINDOW_NANOS) {
      return false;
    }
    return servesUntil - System.nanoTime() <= 0;
  }

  /**
   * The deadline check of a hit: on the coarse clock while the entry is far from its deadline,
   * exactly nearer to it; see {@link CoarseClock} for the bound. The store's own ticker stands in
   * for both in tests.
   */
  private boolean expiredForHit(L1Entry entry, long coarse) {
    if (coarseClock != null && coarse != CoarseClock.EXACT
        && entry.expiresAt - coarse > CoarseClock.TRUST_WINDOW_NANOS) {
      return false;
    }
    return entry.isExpired(settings.nanoTicker.getAsLong());
  }

  /**
   * Lets later hits of {@code entry} hand out {@code value}, the string {@code decoder} made of its
   * bytes, instead of decoding again: the entry is replaced by one that carries it and is weighed
   * with it, so decoded strings count against the byte budget. Does nothing if the entry was
   * replaced or removed meanwhile, or already carries a string. Called on an entry's first hit by
   * a decoder, not on every hit: it is a map write.
   */
  public void rememberDecoded(L1Entry entry, Object decoder, String value) {
    if (entry.hasDecoded()) {
      return;
    }
    L1Entry remembered = entry.withDecoded(decoder, value);
    if (cache.asMap().replace(entry.key, entry, remembered)) {
      // The replaced entry's removal is counted by the removal listener; count its successor.
      remembered.stats.entries.increment();
      remembered.stats.bytes.add(remembered.weight(entry.key.key.length, settings.entryOverhead));
    }
  }

  /** Call before sending a read whose reply may fill; pass the result to {@link #fill}. */
  public long beginRead() {
    return guard.beginRead();
  }

  /**
   * Caches a reply ({@code value} null for nil) unless the key was invalidated since {@code
   * readToken} was taken or the value is larger than the configured maximum. The array is stored
   * as is: pass a copy if anything else holds it.
   *
   * @return whether the value was cached
   */
  public boolean fill(Scope scope, byte[] key, long readToken, byte[] value, long ttlNanos) {
    if (value != null && value.length > maxValueBytes) {
      stats.tooLarge.increment();
      return false;
    }
    Keyspace keyspace = scope.keyspace();
    if (ttlNanos <= 0 || !keyspace.endpointState.serving) {
      // Not serving: an invalidation may be lost; a fill checked just before a stop is caught by
      // the flush that follows the stop (its token predates it).
      return false;
    }
    RuleStats ruleStats = statsFor(key);
    int[] outcome = new int[1];
    cache
        .asMap()
        .compute(
            // The key array may be the application's own (Jedis's byte[] API passes it through).
            new L1Key(keyspace, key.clone()),
            (k, old) -> {
              long ttl = ttlNanos;
              // Read here, inside the key's atomic compute, so that a GET sent before a reload
              // turned its rule off (or shortened its TTL) fills under the rules of now.
              KeyRules now = rules;
              if (now != null) {
                KeyRule rule = now.cachingRule(key);
                if (rule == null || (value == null && !rule.cacheNil())) {
                  outcome[0] = RULED_OUT;
                  return old;
                }
                // Never longer than the caller's lifetime, which may be clamped to the key's own TTL.
                ttl = Math.min(ttlNanos, rule.ttlNanos());
              }
              if (!guard.mayFill(keyspace, key, readToken)) {
                outcome[0] = STALE;
                return old;
              }
              long time = settings.nanoTicker.getAsLong();
              if (observing && old != null && old.scope == scope && !old.isExpired(time)
                  && old.readSeq >= keyspace.flushedAt) {
                outcome[0] = RULED_OUT;
                return old;
              }
              outcome[0] = FILLED;
              L1Entry entry = new L1Entry(k, scope, value, readToken, time + ttl, ruleStats);
              ruleStats.entries.increment();
              ruleStats.bytes.add(entry.weight(key.length, settings.entryOverhead));
              return entry;
            });
    if (outcome[0] == FILLED) {
      ruleStats.puts.increment();
    } else if (outcome[0] == STALE) {
      stats.staleFillsRejected.increment();
    }
    return outcome[0] == FILLED;
  }

  private static final int STALE = 0;
  private static final int FILLED = 1;
  private static final int RULED_OUT = 2;

  /**
   * From now on fills and sweeps follow {@code rules}; in {@code observe} mode a fill keeps a live
   * entry (the GET would have been a hit, which fills nothing). See {@link L1Runtime#reconfigure}.
   */
  void follow(KeyRules rules, boolean observe) {
    this.rules = rules;
    this.observing = observe;
    stats.rules = rules;
  }

  /**
   * Brings the cached entries in line with rules that replaced {@code before}: entries no rule
   * caches any more (and nils a rule no longer caches) are dropped, and a shorter TTL moves each
   * entry's deadline to its fill time plus the new TTL. A longer TTL applies to new fills only.
   *
   * <p>A fill racing this walk checks the new rules itself (see {@link #fill}); one that read them
   * just before they changed may leave an entry this walk missed. Lookups never serve it (they
   * match keys against the new rules first) and the next sweep drops it.
   */
  void reconcile(KeyRules before, KeyRules after) {
    if (unchanged(before, after)) {
      return;
    }
    long time = settings.nanoTicker.getAsLong();
    for (L1Key k : cache.asMap().keySet()) {
      cache.asMap().computeIfPresent(k, (key, e) -> {
        KeyRule rule = after.cachingRule(key.key);
        if (rule == null || (e.isNil() && !rule.cacheNil())) {
          return null;
        }
        KeyRule was = before.cachingRule(key.key);
        long deadline = was == null ? time + rule.ttlNanos() : e.expiresAt - was.ttlNanos() + rule.ttlNanos();
        if (deadline - e.expiresAt >= 0) {
          return e;
        }
        // The replaced entry's removal is counted by the removal listener; count its successor.
        e.stats.entries.increment();
        e.stats.bytes.add(e.weight(key.key.length, settings.entryOverhead));
        return e.withDeadline(deadline);
      });
    }
  }

  private static boolean unchanged(KeyRules before, KeyRules after) {
    List<KeyRule> a = before.rules();
    List<KeyRule> b = after.rules();
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).sameAs(b.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Changes the byte budget (Caffeine evicts down to a smaller one at once) and the largest value
   * cached; cached values above a lowered limit are dropped.
   */
  public void resize(long maxMemoryBytes, int maxValueBytes) {
    if (maxMemoryBytes <= 0 || maxValueBytes < 0) {
      throw new IllegalArgumentException("sizes must be positive: " + maxMemoryBytes + ", " + maxValueBytes);
    }
    cache.policy().eviction().ifPresent(e -> e.setMaximum(maxMemoryBytes));
    int before = this.maxValueBytes;
    this.maxValueBytes = maxValueBytes;
    if (maxValueBytes < before) {
      cache.asMap().values().removeIf(e -> e.value() != null && e.value().length > maxValueBytes);
    }
  }

  /** The byte budget in force. */
  public long maxMemoryBytes() {
    return cache.policy().eviction().map(e -> e.getMaximum()).orElse(settings.maxMemoryBytes);
  }

  public int maxValueBytes() {
    return maxValueBytes;
  }

  /** Drops {@code key} for every user of the keyspace and fences off reads already under way. */
  public void invalidate(Keyspace keyspace, byte[] key) {
    stats.invalidations.increment();
    if (drop(keyspace, key)) {
      stats.entriesInvalidated.increment();
    }
  }

  /** Fences off reads of {@code key} under way and drops its entry; whether there was one. */
  private boolean drop(Keyspace keyspace, byte[] key) {
    guard.invalidate(keyspace, key);
    L1Key lookup = probe.get().key.set(keyspace, key);
    L1Entry dropped = cache.asMap().remove(lookup);
    lookup.clear();
    return dropped != null;
  }

  /**
   * Every entry leaves the cache through here exactly once (Caffeine calls it shortly after the
   * removal, on its executor): replaced, invalidated, swept or evicted.
   */
  private void removed(L1Key key, L1Entry entry, RemovalCause cause) {
    if (key == null || entry == null) {
      return;
    }
    int weight = entry.weight(key.key.length, settings.entryOverhead);
    entry.stats.entries.decrement();
    entry.stats.bytes.add(-weight);
    if (cause == RemovalCause.SIZE) {
      entry.stats.evictions.increment();
      entry.stats.evictionWeight.add(weight);
    }
  }

  /**
   * Drops every entry of one database (FLUSHDB, or a write whose keys are unknown, such as every
   * EVAL). Constant time: the keyspace's flush number makes its older entries dead to {@link #get}
   * at once, and {@link #sweepExpired} reclaims their memory later.
   */
  public void flush(Keyspace keyspace) {
    guard.flush(keyspace);
    stats.flushes.increment();
  }

  /** Drops every entry of every database of a server (FLUSHALL). */
  public void flushEndpoint(String endpoint) {
    EndpointState state = endpoints.get(endpoint);
    if (state != null) {
      flushEndpoint(state);
    }
  }

  /** Drops every entry of every database of a server (FLUSHALL, seen or reported by Redis). */
  public void flushEndpoint(EndpointState state) {
    flushEndpoint(state, L1Stats.InvalidationSource.FLUSH);
  }

  /** Drops every entry of every database of a server, counting each database under {@code why}. */
  public void flushEndpoint(EndpointState state, L1Stats.InvalidationSource why) {
    for (Keyspace keyspace : state.keyspaces()) {
      guard.flush(keyspace);
      stats.invalidated(why, 1);
    }
  }

  /**
   * Drops {@code key} in every database and for every user of an endpoint: an invalidation from
   * Redis names the key only. Counted as {@link L1Stats.InvalidationSource#INVALIDATION_CHANNEL}.
   */
  public void invalidateEverywhere(EndpointState state, byte[] key) {
    for (Keyspace keyspace : state.keyspaces()) {
      if (drop(keyspace, key)) {
        stats.invalidated(L1Stats.InvalidationSource.INVALIDATION_CHANNEL, 1);
      }
    }
  }

  /** The keyspaces of {@code endpoint} this store has seen. */
  public List<Keyspace> keyspacesOf(String endpoint) {
    EndpointState state = endpoints.get(endpoint);
    return state == null ? List.of() : new ArrayList<>(state.keyspaces());
  }

  /** Estimated bytes held, as the weigher counts them. */
  public long weightedSize() {
    return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  public long estimatedEntries() {
    return cache.estimatedSize();
  }

  /**
   * Removes every entry past its deadline, filled before a flush of its keyspace, or no longer
   * cached by the rules in force.
   */
  public void sweepExpired() {
    long now = settings.nanoTicker.getAsLong();
    KeyRules ruling = rules;
    cache.asMap().entrySet().removeIf(en -> {
      L1Entry e = en.getValue();
      if (e.isExpired(now) || e.readSeq < e.scope.keyspace().flushedAt) {
        return true;
      }
      if (ruling == null) {
        return false;
      }
      // Left behind by a fill that raced a reload; see reconcile.
      KeyRule rule = ruling.cachingRule(en.getKey().key);
      return rule == null || (e.isNil() && !rule.cacheNil());
    });
  }

  /** Sweeps expired entries every {@code period} on a daemon thread, for as long as the JVM runs. */
  public void startSweeper(Duration period) {
    ScheduledExecutorService sweeper =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread t = new Thread(task, "redis-l1-sweeper");
              t.setDaemon(true);
              return t;
            });
    long millis = period.toMillis();
    sweeper.scheduleWithFixedDelay(this::sweepQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void sweepQuietly() {
    try {
      sweepExpired();
    } catch (Throwable t) {
      L1Log.warnOnce("sweeper", "expired L1 entries could not be swept: " + t);
    }
  }

  /** Runs pending maintenance (evictions); tests use it to observe a settled cache. */
  public void cleanUp() {
    cache.cleanUp();
  }

}
