package io.redisl1.store.stress;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.redisl1.store.Keyspace;
import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Settings;
import io.redisl1.store.L1Store;
import io.redisl1.store.Scope;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/**
 * Clients of one {@link L1Store} doing what the instrumentations do around each command, with the
 * promise checked on every {@link #get}: a value is never served after a write or flush that
 * replaced it was acknowledged. Each operation follows the protocol of {@code RedisSession}: a read
 * takes its token before the request, a write invalidates before it is sent and again once its
 * reply arrived, FLUSHDB flushes before and after.
 *
 * <p>Every operation returns nothing, so any interleaving is linearizable; a violation is the
 * exception {@link #get} throws, which the checker reports with the interleaving that led to it.
 */
public class StaleFillModel {
  static final String ENDPOINT = "127.0.0.1:6379";
  static final int KEYS = 2;
  private static final long NEVER_EXPIRES = Long.MAX_VALUE / 4;
  private static final byte[][] KEY_BYTES = {"k0".getBytes(US_ASCII), "k1".getBytes(US_ASCII)};

  private final L1Store store = L1Store.create(L1Settings.of(1 << 20, 1024).withTicker(() -> 0L));
  /** Two ACL users of the same database: a write by either must drop the other's entry too. */
  private final Scope[] users = {store.scope(ENDPOINT, 0, "default"), store.scope(ENDPOINT, 0, "alice")};
  /** Another database of the same server, flushed only by FLUSHALL. */
  private final Scope otherDb = store.scope(ENDPOINT, 1, "default");
  private final Keyspace db = users[0].keyspace();
  private final ServerOrder server = new ServerOrder(KEYS);
  /** Per key, the newest version whose write or flush has returned to its caller. */
  private final AtomicLongArray acknowledged = new AtomicLongArray(KEYS);

  /** A GET that missed: token, request, reply, fill; then the same GET again, which may hit. */
  @Operation
  public void read(@Param(gen = IntGen.class, conf = "0:1") int key, @Param(gen = IntGen.class, conf = "0:1") int user) {
    long token = store.beginRead();
    long version = server.get(key);
    store.fill(users[user], KEY_BYTES[key], token, encode(version), NEVER_EXPIRES);
    get(key, user);
  }

  /** A SET: invalidated when sent and again when its reply arrives, then acknowledged. */
  @Operation
  public void write(@Param(gen = IntGen.class, conf = "0:1") int key) {
    store.invalidate(db, KEY_BYTES[key]);
    long version = server.set(key);
    store.invalidate(db, KEY_BYTES[key]);
    acknowledged.accumulateAndGet(key, version, Math::max);
  }

  /** FLUSHDB: flushed when sent and again when its reply arrives. */
  @Operation
  public void flushDb() {
    store.flush(db);
    long version = server.flush();
    store.flush(db);
    acknowledge(version);
  }

  /** FLUSHALL: every keyspace of the server, ours and the other database. */
  @Operation
  public void flushAll() {
    store.flushEndpoint(ENDPOINT);
    long version = server.flush();
    store.flushEndpoint(ENDPOINT);
    acknowledge(version);
  }

  /** The background sweeper reclaiming flushed entries while everything else goes on. */
  @Operation
  public void sweep() {
    store.sweepExpired();
  }

  /** A GET answered from the L1, if it can be: it must be at least as new as what was acknowledged. */
  @Operation
  public void get(@Param(gen = IntGen.class, conf = "0:1") int key, @Param(gen = IntGen.class, conf = "0:1") int user) {
    long floor = acknowledged.get(key);
    L1Entry entry = store.get(users[user], KEY_BYTES[key]);
    if (entry != null && decode(entry.value()) < floor) {
      throw new IllegalStateException(
          "stale hit: k" + key + " version " + decode(entry.value()) + " served after version " + floor
              + " was acknowledged");
    }
  }

  private void acknowledge(long version) {
    for (int key = 0; key < KEYS; key++) {
      acknowledged.accumulateAndGet(key, version, Math::max);
    }
  }

  private static byte[] encode(long version) {
    return Long.toString(version).getBytes(US_ASCII);
  }

  private static long decode(byte[] value) {
    return Long.parseLong(new String(value, US_ASCII));
  }
}
