package io.redisl1.store.tracking;

import io.redisl1.store.EndpointState;
import io.redisl1.store.L1Log;
import io.redisl1.store.L1Stats.InvalidationSource;
import io.redisl1.store.L1Store;
import io.redisl1.store.tracking.InvalidationChannels.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLHandshakeException;

/**
 * The agent's own invalidation channel to one Redis endpoint: {@code CLIENT TRACKING on BCAST}
 * with a {@code PREFIX} per cached rule prefix (and this JVM's canary prefix), so that Redis
 * reports every write to a cached key, whoever makes it.
 *
 * <p><b>Protocol.</b> RESP3 ({@code HELLO 3}) where the server speaks it: one connection, whose
 * invalidations arrive as push messages. Otherwise RESP2: one connection {@code SUBSCRIBE}d to
 * {@code __redis__:invalidate} and a second one that enables tracking with {@code REDIRECT} to it.
 *
 * <p><b>Serving.</b> The endpoint's {@link EndpointState} serves only while the channel is
 * confirmed: connected, tracking accepted and a first canary seen. When it is lost (the socket
 * fails, the server restarts, {@code CLIENT KILL}, or the canary stops arriving), the endpoint stops
 * serving and is flushed at once; after the channel is back it is flushed again and only then
 * serves. Reads that began before that flush can no longer fill (see the stale-fill guard).
 *
 * <p><b>Lease.</b> Each canary that comes back proves that every invalidation for a write Redis
 * applied before the canary's write has been applied here (they travel the same ordered path, ahead
 * of it). Hits of the endpoint are served only until {@code max-staleness} after that write was
 * sent ({@link EndpointState#provenFreshAt}), so a channel that stalls, or a thread reading it that
 * is starved of CPU, stops the hits within that bound even before the canary is declared lost.
 *
 * <p><b>Canary.</b> Redis numbers no invalidations, so a lost one leaves no trace; a channel can
 * also die silently (a broken {@code REDIRECT} gives a RESP2 client no signal, a proxy may drop
 * pushes). Every canary interval the channel writes a reserved key under this JVM's reserved
 * tracked prefix on its own tracking connection (BCAST without NOLOOP reports a client's own
 * writes) and requires that key's invalidation to come back through the same path as all others.
 * One canary is out at a time; it is declared lost once it is older than two intervals at a tick,
 * so a channel that goes silent is noticed within four intervals (plus however late the scheduler
 * thread runs on a starved machine). On a read-only replica the canary is written to its primary
 * ({@link PrimaryCanaryWriter}) and must come back through the replica's channel, replication
 * included. Where the canary cannot be written at all (ACL, a primary out of reach) the channel
 * falls back to a PING on the invalidation connection with the same deadline, which proves the
 * connection alive but not that it still tracks, and says so in one log line.
 */
final class InvalidationChannel {
  private static final byte[] NAME = bytes("redisl1-invalidation");
  private static final byte[] INVALIDATE_CHANNEL = bytes("__redis__:invalidate");
  private static final int HANDSHAKE_TIMEOUT_MILLIS = 2_000;
  private static final long FIRST_BACKOFF_MILLIS = 20;
  private static final long MAX_BACKOFF_MILLIS = 1_000;
  /** How long a channel waits quietly for the application's credentials before it warns. */
  private static final long CREDENTIALS_GRACE_NANOS = 5_000_000_000L;

  /** What a reply on a channel connection answers. */
  private enum Sent {
    CANARY,
    PING
  }

  private static final class CannotTrack extends Exception {
    CannotTrack(String why) {
      super(why, null, false, false);
    }
  }

  private static final class AuthFailed extends Exception {
    AuthFailed(String why) {
      super(why, null, false, false);
    }
  }

  private final InvalidationChannels owner;
  private final L1Store store;
  private final EndpointState state;
  private final String host;
  private final int port;
  private final long intervalNanos;
  private final long maxStalenessNanos;
  private final byte[] canaryKey;
  private final Thread supervisor;
  private final CountDownLatch firstOutcome = new CountDownLatch(1);
  private final Object wake = new Object();
  private final AtomicBoolean outageReported = new AtomicBoolean();
  private volatile boolean closed;
  private volatile Link link;
  private volatile boolean everUp;
  private volatile boolean weakSaid;
  private volatile boolean primarySaid;
  private ScheduledFuture<?> ticking;
  private long canarySeq;
  /** Supervisor thread only: when the channel first found it needs credentials not seen yet. */
  private long waitingForCredentialsSince;

  /** For tests, diagnostics and the operator view ({@link ChannelStatus}). */
  final AtomicLong confirmations = new AtomicLong();
  final AtomicLong losses = new AtomicLong();
  final AtomicLong invalidationsReceived = new AtomicLong();
  /** Canary SETs answered, and their round trips (sent to answered) added up. */
  final AtomicLong canaryReplies = new AtomicLong();
  final AtomicLong canaryRoundTripNanos = new AtomicLong();
  /** Canary invalidations received, and the time from their write to them added up. */
  final AtomicLong canariesBack = new AtomicLong();
  final AtomicLong canaryStalenessNanos = new AtomicLong();
  volatile long lastRoundTripNanos = -1;
  volatile long lastStalenessNanos = -1;
  /** Why the endpoint has no channel; null while it has one. */
  volatile String withoutChannelBecause;

  InvalidationChannel(InvalidationChannels owner, EndpointState state, String host, int port) {
    this.owner = owner;
    this.store = owner.store();
    this.state = state;
    this.host = host;
    this.port = port;
    this.intervalNanos = owner.settings().canaryInterval.toNanos();
    this.maxStalenessNanos = owner.settings().maxStaleness.toNanos();
    byte[] prefix = owner.canaryPrefix;
    byte[] suffix = bytes(state.endpoint());
    this.canaryKey = Arrays.copyOf(prefix, prefix.length + suffix.length);
    System.arraycopy(suffix, 0, canaryKey, prefix.length, suffix.length);
    this.supervisor = new Thread(this::superviseQuietly, "redis-l1-invalidation " + state.endpoint());
    supervisor.setDaemon(true);
    supervisor.setContextClassLoader(null);
  }

  void start() {
    supervisor.start();
    long millis = Math.max(1, owner.settings().canaryInterval.toMillis());
    ticking = owner.canaries.scheduleAtFixedRate(this::tickQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  void awaitFirstOutcome(long millis) {
    try {
      firstOutcome.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** New credentials were seen on the application's connections: retry now if waiting. */
  void credentialsChanged() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /**
   * The tracked prefixes grew: stop serving and filling now (entries dropped), and register again
   * with them. Called under {@code owner.tracking}, so a link being confirmed either registered the
   * new prefixes or is dropped here. Not an outage: nothing is logged per channel.
   */
  void retrack() {
    state.stopServing(store, InvalidationSource.RECONNECT);
    Link l = link;
    if (l != null && l.lost.compareAndSet(false, true)) {
      l.closeSockets(); // the read loop ends and the supervisor connects again
    }
  }

  boolean confirmed() {
    Link l = link;
    return l != null && !l.lost.get();
  }

  /** Tests: what a silently dead channel looks like, without closing its socket. */
  void sendOnTrackingConnection(String... argv) throws IOException {
    Link l = link;
    if (l == null) {
      throw new IOException("no channel");
    }
    byte[][] raw = new byte[argv.length][];
    for (int i = 0; i < argv.length; i++) {
      raw[i] = bytes(argv[i]);
    }
    l.commandsAwait.add(Sent.PING); // its reply is read and ignored
    l.commands.send(raw);
  }

  void close() {
    closed = true;
    if (ticking != null) {
      ticking.cancel(false);
    }
    Link l = link;
    if (l != null) {
      l.closeSockets();
    }
    supervisor.interrupt();
  }

  private void superviseQuietly() {
    try {
      supervise();
    } catch (Throwable t) {
      // Should not happen; never serve from an endpoint nobody watches.
      state.stopServing(store, InvalidationSource.RECONNECT);
      L1Log.error("invalidation channel to " + state.endpoint() + " failed: " + t
          + "; nothing is served from that endpoint any more");
    } finally {
      firstOutcome.countDown();
    }
  }

  private void supervise() {
    long backoff = FIRST_BACKOFF_MILLIS;
    while (!closed) {
      Link l = null;
      String lostBecause;
      try {
        l = connect();
        synchronized (owner.tracking) {
          if (l.tracked != owner.prefixes) {
            l.closeSockets(); // a reload grew the prefixes during the handshake: register again
            continue;
          }
          link = l;
          state.startServing(store);
        }
        confirmations.incrementAndGet();
        reportUp(l);
        backoff = FIRST_BACKOFF_MILLIS;
        firstOutcome.countDown();
        if (l.commands != l.pushes) {
          Link replies = l;
          Thread t = new Thread(() -> readLoopQuietly(replies, replies.commands), supervisor.getName() + " replies");
          t.setDaemon(true);
          t.start();
        }
        readLoop(l, l.pushes);
        lostBecause = "the connection ended";
      } catch (CannotTrack e) {
        withoutChannelBecause = e.getMessage();
        owner.withoutChannel(state, e.getMessage());
        firstOutcome.countDown();
        return;
      } catch (AuthFailed e) {
        lostBecause = "it cannot authenticate (" + e.getMessage() + "; credentials are taken from the"
            + " application's own connections to it)";
        if (owner.credentials(state.endpoint()) == null) {
          // Jedis authenticates after connecting: its credentials usually arrive in a moment.
          if (waitingForCredentialsSince == 0) {
            waitingForCredentialsSince = System.nanoTime();
          }
          if (System.nanoTime() - waitingForCredentialsSince < CREDENTIALS_GRACE_NANOS) {
            lostBecause = null;
          }
        }
      } catch (IOException | RuntimeException e) {
        lostBecause = String.valueOf(e);
      }
      if (l != null) {
        l.lose(lostBecause);
      } else {
        state.stopServing(store, InvalidationSource.RECONNECT);
        if (lostBecause != null) {
          reportOutage(lostBecause);
        }
      }
      link = null;
      firstOutcome.countDown();
      pause(backoff);
      backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
    }
  }

  private void pause(long millis) {
    synchronized (wake) {
      try {
        if (!closed) {
          wake.wait(millis);
        }
      } catch (InterruptedException e) {
        closed = true;
      }
    }
  }

  // ---- connecting -------------------------------------------------------------------------

  private Link connect() throws IOException, CannotTrack, AuthFailed {
    Credentials credentials = owner.credentials(state.endpoint());
    if (!owner.settings().resp2Only) {
      RespConnection conn = open();
      boolean keep = false;
      try {
        Object hello = conn.call(hello(credentials));
        if (hello instanceof RespConnection.Error) {
          RespConnection.Error error = (RespConnection.Error) hello;
          if (isAuthError(error)) {
            throw new AuthFailed(codeOf(error));
          }
          // Not RESP3-capable (unknown command, NOPROTO): the RESP2 way below.
        } else {
          List<byte[]> tracked = owner.prefixes;
          expectOk(conn.call(tracking(-1, tracked)), "CLIENT TRACKING");
          Link l = new Link(conn, conn, tracked);
          confirm(l, credentials);
          keep = true;
          return l;
        }
      } finally {
        if (!keep) {
          conn.close();
        }
      }
    }
    return connectResp2(credentials);
  }

  private Link connectResp2(Credentials credentials) throws IOException, CannotTrack, AuthFailed {
    RespConnection subscriber = open();
    RespConnection tracker = null;
    boolean keep = false;
    try {
      auth(subscriber, credentials);
      expectOk(subscriber.call(bytes("CLIENT"), bytes("SETNAME"), NAME), "CLIENT SETNAME");
      Object id = subscriber.call(bytes("CLIENT"), bytes("ID"));
      if (!(id instanceof Long)) {
        throw new CannotTrack("CLIENT ID is not supported (" + id + ")");
      }
      subscriber.send(bytes("SUBSCRIBE"), INVALIDATE_CHANNEL);
      Object subscribed = subscriber.read();
      if (!(subscribed instanceof List)) {
        throw new CannotTrack("SUBSCRIBE " + new String(INVALIDATE_CHANNEL, StandardCharsets.UTF_8) + " was refused (" + subscribed + ")");
      }
      tracker = open();
      auth(tracker, credentials);
      expectOk(tracker.call(bytes("CLIENT"), bytes("SETNAME"), NAME), "CLIENT SETNAME");
      List<byte[]> tracked = owner.prefixes;
      expectOk(tracker.call(tracking((Long) id, tracked)), "CLIENT TRACKING");
      Link l = new Link(subscriber, tracker, tracked);
      confirm(l, credentials);
      keep = true;
      return l;
    } finally {
      if (!keep) {
        subscriber.close();
        if (tracker != null) {
          tracker.close();
        }
      }
    }
  }

  private RespConnection open() throws IOException, CannotTrack {
    RespConnection conn;
    try {
      conn = new RespConnection(host, port, HANDSHAKE_TIMEOUT_MILLIS, owner.tls(state.endpoint()));
    } catch (SSLHandshakeException e) {
      // Certificates and protocols do not fix themselves: run as a server that cannot track.
      throw new CannotTrack("its TLS handshake failed with the JVM's default trust settings (" + e.getMessage() + ")");
    }
    conn.readTimeout(HANDSHAKE_TIMEOUT_MILLIS);
    return conn;
  }

  /**
   * The first canary, synchronously: proves end to end that invalidations reach this channel
   * before the endpoint serves. Falls back to a PING where the canary cannot be written.
   */
  private void confirm(Link l, Credentials credentials) throws IOException {
    // Set before sending: on RESP3 the canary's invalidation may be read before the SET's reply.
    l.outstandingSince = System.nanoTime();
    l.canarySentAt = l.outstandingSince;
    l.commands.send(canaryCommand());
    Object reply = awaitReply(l, l.commands);
    if (!(reply instanceof RespConnection.Error)) {
      canaryAnswered(l);
    }
    if (reply instanceof RespConnection.Error && ((RespConnection.Error) reply).startsWith("READONLY")) {
      l.outstandingSince = 0;
      String why = writeCanaryOnPrimary(l, credentials);
      if (why == null) {
        l.outstandingSince = System.nanoTime();
        l.canarySentAt = l.outstandingSince;
        l.canaryWriter.send(canaryCommand());
        reply = null; // now awaited as an invalidation on the replica's channel, below
      } else {
        reply = new RespConnection.Error("READONLY replica whose primary " + why);
      }
    }
    if (reply instanceof RespConnection.Error) {
      l.outstandingSince = 0;
      useWeakCheck(l, (RespConnection.Error) reply);
      long pingSentAt = System.nanoTime();
      l.pushes.send(bytes("PING"));
      while (!isPong(awaitReply(l, l.pushes))) {
        // a subscribe confirmation or stray reply; keep reading until the PONG
      }
      state.provenFreshAt(pingSentAt, maxStalenessNanos);
    } else {
      while (l.outstandingSince != 0) {
        handle(l, l.pushes, l.pushes.read());
      }
    }
    l.pushes.readTimeout(0);
    l.commands.readTimeout(0);
  }

  /**
   * Points the link's canary at the primary of the read-only replica it tracks; null when done,
   * else why not (for the log line of the weaker check).
   */
  private String writeCanaryOnPrimary(Link l, Credentials credentials) throws IOException {
    l.commands.send(bytes("ROLE"));
    String primary = PrimaryCanaryWriter.primaryOf(awaitReply(l, l.commands));
    if (primary == null) {
      return "is unknown (ROLE names none)";
    }
    try {
      l.canaryWriter = PrimaryCanaryWriter.open(primary, credentials, HANDSHAKE_TIMEOUT_MILLIS, owner.tls(state.endpoint()));
    } catch (IOException | RuntimeException e) {
      return primary + " cannot be written to (" + e.getMessage() + ")";
    }
    if (!primarySaid) {
      primarySaid = true;
      L1Log.info("the invalidation channel to " + state.endpoint() + " (a read-only replica) writes its canary on"
          + " the primary " + primary + ", so replication is part of what the canary checks");
    }
    return null;
  }

  /** Reads frames on {@code conn}, applying invalidations, until a reply to a command. */
  private Object awaitReply(Link l, RespConnection conn) throws IOException {
    while (true) {
      Object frame = conn.read();
      if (!isInvalidation(frame)) {
        return frame;
      }
      handle(l, conn, frame);
    }
  }

  private void auth(RespConnection conn, Credentials c) throws IOException, AuthFailed {
    if (c == null) {
      return;
    }
    Object reply = c.authenticate(conn);
    if (reply instanceof RespConnection.Error) {
      throw new AuthFailed(codeOf((RespConnection.Error) reply));
    }
  }

  private void expectOk(Object reply, String what) throws CannotTrack, AuthFailed {
    if (reply instanceof RespConnection.Error) {
      RespConnection.Error error = (RespConnection.Error) reply;
      if (isAuthError(error)) {
        throw new AuthFailed(codeOf(error));
      }
      throw new CannotTrack(what + " was refused: " + error.message);
    }
  }

  private byte[][] hello(Credentials c) {
    return c == null
        ? new byte[][] {bytes("HELLO"), bytes("3"), bytes("SETNAME"), NAME}
        : new byte[][] {bytes("HELLO"), bytes("3"), bytes("AUTH"), bytes(c.user), c.password, bytes("SETNAME"), NAME};
  }

  /** {@code CLIENT TRACKING on [REDIRECT id] BCAST [PREFIX p]...}. */
  private static byte[][] tracking(long redirect, List<byte[]> prefixes) {
    List<byte[]> argv = new ArrayList<>();
    argv.add(bytes("CLIENT"));
    argv.add(bytes("TRACKING"));
    argv.add(bytes("on"));
    if (redirect >= 0) {
      argv.add(bytes("REDIRECT"));
      argv.add(bytes(Long.toString(redirect)));
    }
    argv.add(bytes("BCAST"));
    for (byte[] prefix : prefixes) {
      argv.add(bytes("PREFIX"));
      argv.add(prefix);
    }
    return argv.toArray(new byte[0][]);
  }

  private byte[][] canaryCommand() {
    long seq;
    synchronized (this) {
      seq = ++canarySeq;
    }
    // Expires on its own once this JVM stops writing it.
    return new byte[][] {bytes("SET"), canaryKey, bytes(Long.toString(seq)), bytes("PX"), bytes("60000")};
  }

  // ---- reading ----------------------------------------------------------------------------

  private void readLoopQuietly(Link l, RespConnection conn) {
    try {
      readLoop(l, conn);
      l.lose("the connection ended");
    } catch (Throwable t) {
      l.lose(String.valueOf(t));
    }
  }

  private void readLoop(Link l, RespConnection conn) throws IOException {
    while (!l.lost.get()) {
      handle(l, conn, conn.read());
    }
  }

  private void handle(Link l, RespConnection conn, Object frame) {
    if (isInvalidation(frame)) {
      invalidated(l, keysOf(frame));
      return;
    }
    if (frame instanceof RespConnection.Push || isSubscriptionNotice(frame)) {
      return; // tracking-redir-broken and the like come with a lost canary too
    }
    Sent sent = (conn == l.commands ? l.commandsAwait : l.pushesAwait).poll();
    if (sent == Sent.CANARY && frame instanceof RespConnection.Error) {
      useWeakCheck(l, (RespConnection.Error) frame);
      l.outstandingSince = 0;
    } else if (sent == Sent.CANARY) {
      canaryAnswered(l);
    } else if (sent == Sent.PING && l.weak) {
      // Proves the connection alive, not that it tracks: the weaker check the log line names.
      state.provenFreshAt(l.outstandingSince, maxStalenessNanos);
      l.outstandingSince = 0;
    }
  }

  private void invalidated(Link l, Object keys) {
    invalidationsReceived.incrementAndGet();
    if (!(keys instanceof List)) {
      store.flushEndpoint(state); // null: FLUSHALL, FLUSHDB or a server-side reset of tracking
      return;
    }
    for (Object key : (List<?>) keys) {
      if (!(key instanceof byte[])) {
        continue;
      }
      if (Arrays.equals((byte[]) key, canaryKey)) {
        canaryBack(l);
        l.outstandingSince = 0;
      } else {
        store.invalidateEverywhere(state, (byte[]) key);
      }
    }
  }

  /** RESP3 {@code >2 invalidate keys}, or RESP2 {@code message __redis__:invalidate keys}. */
  private static boolean isInvalidation(Object frame) {
    if (frame instanceof RespConnection.Push) {
      List<Object> items = ((RespConnection.Push) frame).items;
      return items.size() == 2 && is(items.get(0), "invalidate");
    }
    if (frame instanceof List) {
      List<?> items = (List<?>) frame;
      return items.size() == 3 && is(items.get(0), "message") && is(items.get(1), "__redis__:invalidate");
    }
    return false;
  }

  private static Object keysOf(Object frame) {
    if (frame instanceof RespConnection.Push) {
      return ((RespConnection.Push) frame).items.get(1);
    }
    return ((List<?>) frame).get(2);
  }

  private static boolean isSubscriptionNotice(Object frame) {
    return frame instanceof List
        && !((List<?>) frame).isEmpty()
        && (is(((List<?>) frame).get(0), "subscribe") || is(((List<?>) frame).get(0), "message"));
  }

  private static boolean isPong(Object reply) {
    return "PONG".equals(reply)
        || (reply instanceof List && !((List<?>) reply).isEmpty() && is(((List<?>) reply).get(0), "pong"));
  }

  // ---- the canary -------------------------------------------------------------------------

  /** The canary's SET was answered: one round trip to Redis and back. */
  private void canaryAnswered(Link l) {
    long sentAt = l.canarySentAt;
    if (sentAt != 0) {
      long nanos = System.nanoTime() - sentAt;
      lastRoundTripNanos = nanos;
      canaryRoundTripNanos.addAndGet(nanos);
      canaryReplies.incrementAndGet();
    }
  }

  /**
   * The canary's invalidation came back: how long after its write was sent, which bounds how long
   * an entry written elsewhere at that moment could still be served here.
   */
  private void canaryBack(Link l) {
    long sentAt = l.canarySentAt;
    if (sentAt != 0 && l.outstandingSince != 0) {
      state.provenFreshAt(sentAt, maxStalenessNanos);
      long nanos = System.nanoTime() - sentAt;
      lastStalenessNanos = nanos;
      canaryStalenessNanos.addAndGet(nanos);
      canariesBack.incrementAndGet();
    }
  }

  /** What an operator sees of this channel now. */
  ChannelStatus status() {
    Link l = link;
    String condition;
    if (closed) {
      condition = ChannelStatus.CLOSED;
    } else if (withoutChannelBecause != null) {
      condition = ChannelStatus.NO_CHANNEL;
    } else if (l != null && !l.lost.get()) {
      condition = l.weak ? ChannelStatus.CONFIRMED_PING_ONLY : ChannelStatus.CONFIRMED;
    } else {
      condition = everUp ? ChannelStatus.RECONNECTING : ChannelStatus.CONNECTING;
    }
    return new ChannelStatus(state.endpoint(), condition, everUp, withoutChannelBecause, confirmations.get(),
        losses.get(), invalidationsReceived.get(), canaryReplies.get(), canaryRoundTripNanos.get(),
        lastRoundTripNanos, canariesBack.get(), canaryStalenessNanos.get(), lastStalenessNanos);
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (Throwable t) {
      Link l = link;
      if (l != null) {
        l.lose("its canary failed: " + t, InvalidationSource.CANARY_FAILURE);
      }
    }
  }

  /**
   * One canary out at a time, lost once older than two intervals: a channel that dies just after
   * a canary came back sends the next one within an interval, which is found late at the fourth
   * tick at most.
   */
  private void tick() throws IOException {
    Link l = link;
    if (l == null || l.lost.get() || closed) {
      return;
    }
    long now = System.nanoTime();
    long since = l.outstandingSince;
    // No allowance for a late tick: a JVM starved of CPU may keep answering GETs from the L1 while
    // the thread that reads invalidations waits, which is exactly what the canary must catch. A
    // GC pause longer than two intervals therefore costs a flush and a reconnect (the safe side).
    if (since != 0 && now - since > 2 * intervalNanos) {
      l.lose((l.weak ? "its PING" : "its canary") + " was not answered within "
          + TimeUnit.NANOSECONDS.toMillis(now - since) + "ms", InvalidationSource.CANARY_FAILURE);
      return;
    }
    if (since != 0) {
      return;
    }
    l.outstandingSince = now;
    if (l.canaryWriter != null) {
      l.canarySentAt = now; // its staleness includes replication from the primary
      l.canaryWriter.send(canaryCommand()); // replies are off there
    } else if (l.weak) {
      l.pushesAwait.add(Sent.PING);
      l.pushes.send(bytes("PING"));
    } else {
      l.commandsAwait.add(Sent.CANARY);
      l.canarySentAt = now;
      l.commands.send(canaryCommand());
    }
  }

  private void useWeakCheck(Link l, RespConnection.Error why) {
    l.weak = true;
    if (!weakSaid) {
      weakSaid = true;
      L1Log.warn("the invalidation channel to " + state.endpoint() + " cannot write its canary key ("
          + (why.startsWith("READONLY replica") ? why.message : codeOf(why)) + "): lost invalidations there are detected only when the channel's"
          + " connection fails or stops answering PING within " + 2 * owner.settings().canaryInterval.toMillis() + "ms");
    }
  }

  // ---- reporting --------------------------------------------------------------------------

  private void reportUp(Link l) {
    boolean recovered = outageReported.getAndSet(false);
    if (!everUp) {
      everUp = true;
      L1Log.info("invalidation channel to " + state.endpoint() + " up ("
          + (l.pushes == l.commands ? "RESP3" : "RESP2 with REDIRECT") + ", BCAST on "
          + (owner.prefixes.isEmpty() ? "every key" : owner.prefixes.size() + " prefixes") + ", canary every "
          + owner.settings().canaryInterval.toMillis() + "ms)");
    } else if (recovered) {
      L1Log.info("invalidation channel to " + state.endpoint() + " is back; its L1 entries were dropped");
    }
  }

  private void reportOutage(String why) {
    if (!closed && outageReported.compareAndSet(false, true)) {
      L1Log.warn("invalidation channel to " + state.endpoint() + (everUp ? " lost: " : " not up: ") + why
          + "; nothing is served from that endpoint until the channel is back");
    }
  }

  private static boolean isAuthError(RespConnection.Error e) {
    return e.startsWith("NOAUTH") || e.startsWith("WRONGPASS") || e.message.contains("AUTH");
  }

  /** The error's code only: server messages are not logged in full, to keep secrets out of logs. */
  private static String codeOf(RespConnection.Error e) {
    int space = e.message.indexOf(' ');
    return space < 0 ? e.message : e.message.substring(0, space);
  }

  private static boolean is(Object item, String text) {
    return item instanceof byte[] ? text.equals(new String((byte[]) item, StandardCharsets.UTF_8)) : text.equals(item);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The connections of one confirmed channel; lost once, for good. */
  private final class Link {
    final RespConnection pushes;
    final RespConnection commands;
    /** The prefixes this link registered (the list itself: compared by identity with the owner's). */
    final List<byte[]> tracked;
    final Queue<Sent> pushesAwait = new ConcurrentLinkedQueue<>();
    final Queue<Sent> commandsAwait;
    final AtomicBoolean lost = new AtomicBoolean();
    volatile boolean weak;
    /** Where the canary is written when not on {@link #commands}: a replica's primary. */
    volatile RespConnection canaryWriter;
    /** When the canary (or PING) now out was sent; 0 when none is. */
    volatile long outstandingSince;
    /** When the last canary SET was sent; 0 before the first. */
    volatile long canarySentAt;

    Link(RespConnection pushes, RespConnection commands, List<byte[]> tracked) {
      this.pushes = pushes;
      this.commands = commands;
      this.tracked = tracked;
      this.commandsAwait = pushes == commands ? pushesAwait : new ConcurrentLinkedQueue<>();
    }

    /** Stops serving and flushes first, then closes: no entry outlives the channel's trust. */
    void lose(String why) {
      lose(why, InvalidationSource.RECONNECT);
    }

    void lose(String why, InvalidationSource counted) {
      if (!lost.compareAndSet(false, true)) {
        return;
      }
      state.stopServing(store, counted);
      losses.incrementAndGet();
      reportOutage(why);
      closeSockets();
    }

    void closeSockets() {
      pushes.close();
      commands.close();
      RespConnection writer = canaryWriter;
      if (writer != null) {
        writer.close();
      }
    }
  }
}
