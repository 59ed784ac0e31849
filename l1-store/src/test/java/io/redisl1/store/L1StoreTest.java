package io.redisl1.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class L1StoreTest {
  private static final long TTL = Duration.ofSeconds(60).toNanos();

  private final AtomicLong now = new AtomicLong();
  private final L1Store store = L1Store.create(L1Settings.of(1 << 20, 1024).withTicker(now::get));
  private final Scope scope = store.scope("127.0.0.1:6379", 0, "default");

  @Test
  void aFilledValueIsServedUntilItsTtlRunsOut() {
    assertTrue(store.fill(scope, bytes("k"), store.beginRead(), bytes("v"), TTL));

    assertArrayEquals(bytes("v"), store.get(scope, bytes("k")).value());
    now.addAndGet(TTL - 1);
    assertNotNull(store.get(scope, bytes("k")));
    now.addAndGet(1);
    assertNull(store.get(scope, bytes("k")));
  }

  @Test
  void hitsStopWhenTheEndpointsLeaseRunsOutAndResumeWhenItIsRenewed() {
    assertTrue(store.fill(scope, bytes("k"), store.beginRead(), bytes("v"), TTL));
    EndpointState endpoint = scope.keyspace().endpointState();
    long maxStaleness = Duration.ofMillis(40).toNanos();

    endpoint.provenFreshAt(System.nanoTime() - maxStaleness, maxStaleness); // the last proof is too old
    assertNull(store.get(scope, bytes("k")));
    assertFalse(endpoint.serving());

    endpoint.provenFreshAt(System.nanoTime(), Duration.ofSeconds(10).toNanos());
    assertNotNull(store.get(scope, bytes("k")), "a lapsed lease drops nothing: the next proof covers the entry again");
    assertTrue(endpoint.serving());
  }

  @Test
  void entriesOfOneTtlDoNotShortenOthers() {
    store.fill(scope, bytes("short"), store.beginRead(), bytes("v"), Duration.ofSeconds(1).toNanos());
    store.fill(scope, bytes("long"), store.beginRead(), bytes("v"), TTL);

    now.addAndGet(Duration.ofSeconds(2).toNanos());

    assertNull(store.get(scope, bytes("short")));
    assertNotNull(store.get(scope, bytes("long")));
  }

  @Test
  void sweepingRemovesExpiredEntriesOnly() {
    store.fill(scope, bytes("short"), store.beginRead(), bytes("v"), Duration.ofSeconds(1).toNanos());
    store.fill(scope, bytes("long"), store.beginRead(), bytes("v"), TTL);
    now.addAndGet(Duration.ofSeconds(2).toNanos());

    store.sweepExpired();

    assertEquals(1, store.estimatedEntries());
    assertNotNull(store.get(scope, bytes("long")));
  }

  @Test
  void aReadThatStartedBeforeAnInvalidationDoesNotFill() {
    long token = store.beginRead(); // GET sent, reply still on the wire
    store.invalidate(scope.keyspace(), bytes("k")); // a SET of k completes meanwhile

    assertFalse(store.fill(scope, bytes("k"), token, bytes("old"), TTL));
    assertNull(store.get(scope, bytes("k")));
    assertEquals(1, store.stats().staleFillsRejected());
  }

  @Test
  void aReadThatStartedAfterTheInvalidationFills() {
    store.invalidate(scope.keyspace(), bytes("k"));
    long token = store.beginRead();

    assertTrue(store.fill(scope, bytes("k"), token, bytes("new"), TTL));
    assertArrayEquals(bytes("new"), store.get(scope, bytes("k")).value());
  }

  @Test
  void anInvalidationOfAnotherKeyspaceDoesNotBlockAFill() {
    Scope db1 = store.scope("127.0.0.1:6379", 1, "default");
    long token = store.beginRead();
    store.invalidate(db1.keyspace(), bytes("unrelated-" + 1));

    // Stripes may collide, but a different keyspace and key make a rejection here a real bug.
    assertTrue(store.fill(scope, bytes("k"), token, bytes("v"), TTL));
  }

  @Test
  void aReadThatStartedBeforeAFlushDoesNotFill() {
    long token = store.beginRead();
    store.flush(scope.keyspace());

    assertFalse(store.fill(scope, bytes("k"), token, bytes("old"), TTL));
  }

  @Test
  void flushDropsOneDatabaseOnly() {
    Scope db1 = store.scope("127.0.0.1:6379", 1, "default");
    store.fill(scope, bytes("k"), store.beginRead(), bytes("db0"), TTL);
    store.fill(db1, bytes("k"), store.beginRead(), bytes("db1"), TTL);

    store.flush(scope.keyspace());

    assertNull(store.get(scope, bytes("k")));
    assertArrayEquals(bytes("db1"), store.get(db1, bytes("k")).value());
  }

  @Test
  void sweepingReclaimsTheEntriesOfAFlushedDatabase() {
    Scope db1 = store.scope("127.0.0.1:6379", 1, "default");
    store.fill(scope, bytes("k"), store.beginRead(), bytes("db0"), TTL);
    store.fill(db1, bytes("k"), store.beginRead(), bytes("db1"), TTL);
    store.flush(scope.keyspace());
    assertEquals(2, store.estimatedEntries(), "a flush only marks; memory comes back at the sweep");

    store.sweepExpired();

    assertEquals(1, store.estimatedEntries());
    assertNotNull(store.get(db1, bytes("k")));
  }

  @Test
  void anEntryFilledAfterAFlushSurvivesTheSweep() {
    store.flush(scope.keyspace());
    store.fill(scope, bytes("k"), store.beginRead(), bytes("new"), TTL);

    store.sweepExpired();

    assertArrayEquals(bytes("new"), store.get(scope, bytes("k")).value());
  }

  @Test
  void flushEndpointDropsEveryDatabaseOfThatServerOnly() {
    Scope db1 = store.scope("127.0.0.1:6379", 1, "default");
    Scope other = store.scope("127.0.0.1:6380", 0, "default");
    for (Scope s : new Scope[] {scope, db1, other}) {
      store.fill(s, bytes("k"), store.beginRead(), bytes("v"), TTL);
    }

    store.flushEndpoint("127.0.0.1:6379");

    assertNull(store.get(scope, bytes("k")));
    assertNull(store.get(db1, bytes("k")));
    assertNotNull(store.get(other, bytes("k")));
  }

  @Test
  void scopesNeverSeeEachOthersEntries() {
    Scope db1 = store.scope("127.0.0.1:6379", 1, "default");
    Scope otherServer = store.scope("127.0.0.1:6380", 0, "default");
    Scope otherUser = store.scope("127.0.0.1:6379", 0, "alice");
    store.fill(scope, bytes("k"), store.beginRead(), bytes("v"), TTL);

    assertNull(store.get(db1, bytes("k")));
    assertNull(store.get(otherServer, bytes("k")));
    assertNull(store.get(otherUser, bytes("k")));
    assertNotNull(store.get(scope, bytes("k")));
  }

  @Test
  void aWriteByOneUserInvalidatesTheKeyForAllUsers() {
    Scope alice = store.scope("127.0.0.1:6379", 0, "alice");
    store.fill(alice, bytes("k"), store.beginRead(), bytes("v"), TTL);

    store.invalidate(scope.keyspace(), bytes("k"));

    assertNull(store.get(alice, bytes("k")));
  }

  @Test
  void scopesAreInterned() {
    assertSame(scope, store.scope("127.0.0.1:6379", 0, "default"));
  }

  @Test
  void valuesOverTheSizeLimitAreNotCached() {
    assertFalse(store.fill(scope, bytes("big"), store.beginRead(), new byte[1025], TTL));
    assertTrue(store.fill(scope, bytes("fits"), store.beginRead(), new byte[1024], TTL));

    assertNull(store.get(scope, bytes("big")));
    assertEquals(1, store.stats().tooLarge());
  }

  @Test
  void mutatingTheKeyArrayAfterAFillChangesNothing() {
    byte[] key = bytes("k");
    store.fill(scope, key, store.beginRead(), bytes("v"), TTL);
    key[0] = 'x';

    assertNotNull(store.get(scope, bytes("k")));
    assertNull(store.get(scope, bytes("x")));
  }

  @Test
  void nilIsCachedAsNil() {
    store.fill(scope, bytes("absent"), store.beginRead(), null, TTL);

    L1Entry entry = store.get(scope, bytes("absent"));
    assertNotNull(entry);
    assertTrue(entry.isNil());
  }

  @Test
  void memoryStaysWithinTheByteBudget() {
    long budget = 64 * 1024;
    L1Store small = L1Store.create(L1Settings.of(budget, 4096));
    Scope s = small.scope("h:1", 0, "default");
    for (int i = 0; i < 1000; i++) {
      small.fill(s, bytes("key:" + i), small.beginRead(), new byte[1000], TTL);
    }
    small.cleanUp();

    assertTrue(small.weightedSize() <= budget, "weighted size " + small.weightedSize());
    assertTrue(small.weightedSize() > budget / 2, "the budget is used: " + small.weightedSize());
  }

  @Test
  void aDecodedFormIsRememberedPerDecoderAndWeighedInTheBudget() {
    store.fill(scope, bytes("k"), store.beginRead(), bytes("value"), TTL);
    L1Entry entry = store.get(scope, bytes("k"));
    store.cleanUp(); // Caffeine applies weights in its maintenance, shortly after a write
    long before = store.weightedSize();
    Object utf8 = new Object();

    store.rememberDecoded(entry, utf8, "value");
    store.cleanUp();

    L1Entry now = store.get(scope, bytes("k"));
    assertEquals("value", now.decodedBy(utf8));
    assertNull(now.decodedBy(new Object()), "one decoder's string is not another's");
    assertEquals(before + L1Entry.DECODED_OVERHEAD + 2 * "value".length(), store.weightedSize(),
        "the decoded string counts against the byte budget");

    store.rememberDecoded(entry, new Object(), "value"); // the entry it was given is gone
    assertEquals("value", store.get(scope, bytes("k")).decodedBy(utf8), "an entry is replaced once");
  }

  @Test
  void decodedStringsNeverTakeTheStoreOverItsBudget() {
    long budget = 64 * 1024;
    L1Store small = L1Store.create(L1Settings.of(budget, 1024));
    Scope s = small.scope("h:1", 0, "default");
    Object decoder = new Object();
    for (int i = 0; i < 2_000; i++) {
      byte[] key = bytes("key:" + i);
      small.fill(s, key, small.beginRead(), bytes("x".repeat(100)), TTL);
      L1Entry e = small.get(s, key);
      if (e != null) {
        small.rememberDecoded(e, decoder, "x".repeat(100));
      }
      small.cleanUp();
    }
    assertTrue(small.weightedSize() <= budget, "weighted size " + small.weightedSize());
  }

  @Test
  void hitsAndMissesAreCounted() {
    store.get(scope, bytes("k"));
    store.fill(scope, bytes("k"), store.beginRead(), bytes("v"), TTL);
    store.get(scope, bytes("k"));
    store.get(scope, bytes("k"));

    assertEquals(2, store.stats().hits());
    assertEquals(1, store.stats().misses());
  }

  @Test
  void figuresAreCountedPerRuleAndAddUpToTheTotals() throws InterruptedException {
    KeyRule users = KeyRule.cached("user:", Duration.ofMinutes(1), false);
    KeyRule flags = KeyRule.cached("flag:", Duration.ofMinutes(1), false);
    store.countBy(KeyRules.of(java.util.List.of(users, flags)));

    store.get(scope, bytes("user:1"));
    store.fill(scope, bytes("user:1"), store.beginRead(), bytes("alice"), TTL);
    store.get(scope, bytes("user:1"));
    store.get(scope, bytes("user:1"));
    store.fill(scope, bytes("flag:a"), store.beginRead(), bytes("on"), TTL);
    store.get(scope, bytes("flag:a"));
    store.invalidate(scope.keyspace(), bytes("flag:a"));

    assertEquals(2, users.stats().hits());
    assertEquals(1, users.stats().misses());
    assertEquals(1, users.stats().puts());
    assertEquals(1, flags.stats().hits());
    assertEquals(3, store.stats().hits());
    assertEquals(1, store.stats().misses());
    assertEquals(1, store.stats().entriesInvalidated());
    // Sizes follow Caffeine's removal notifications, delivered on its executor.
    awaitEquals(1, users.stats()::entries);
    awaitEquals(0, flags.stats()::entries);
    assertEquals(5 + 6 + L1Settings.DEFAULT_ENTRY_OVERHEAD, users.stats().bytes());
  }

  @Test
  void evictionsAreCountedWithTheirWeight() throws InterruptedException {
    KeyRule rule = KeyRule.cached("key:", Duration.ofMinutes(1), false);
    L1Store small = L1Store.create(L1Settings.of(64 * 1024, 4096));
    small.countBy(KeyRules.of(java.util.List.of(rule)));
    Scope s = small.scope("h:1", 0, "default");
    for (int i = 0; i < 1000; i++) {
      small.fill(s, bytes("key:" + i), small.beginRead(), new byte[1000], TTL);
    }
    small.cleanUp();

    awaitEquals(small.estimatedEntries(), rule.stats()::entries);
    assertEquals(1000, rule.stats().puts());
    assertEquals(1000 - small.estimatedEntries(), rule.stats().evictions());
    assertTrue(rule.stats().evictionWeight() >= rule.stats().evictions() * 1000, rule.stats()::toString);
    assertEquals(small.weightedSize(), rule.stats().bytes());
  }

  private static void awaitEquals(long expected, java.util.function.LongSupplier actual) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (actual.getAsLong() != expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(expected, actual.getAsLong());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  /** The String lookup the Jedis early hits use finds the entry of the key's UTF-8 bytes, and only it. */
  @Test
  void aStringKeyFindsTheEntryOfItsUtf8Bytes() {
    for (String key : java.util.List.of("k", "user:42", "", "caf\u00e9", "\u20ac", "\ud83d\ude00")) {
      assertTrue(store.fill(scope, bytes(key), store.beginRead(), bytes("v-" + key), TTL));
      assertArrayEquals(bytes("v-" + key), store.peek(scope, key).value(), key);
    }
    assertNull(store.peek(scope, "K"));
    assertNull(store.peek(scope, "user:4"));
    assertNull(store.peek(scope, "caf\u00e8"));
    assertNull(store.peek(store.scope("127.0.0.1:6379", 1, "default"), "k"), "another database");
    L1Key ascii = new L1Key();
    assertTrue(ascii.setAscii(scope.keyspace(), "user:42"));
    L1Key stored = new L1Key(scope.keyspace(), bytes("user:42"));
    assertEquals(stored.hashCode(), ascii.hashCode());
    assertTrue(ascii.equals(stored) && stored.equals(ascii));
    assertFalse(ascii.setAscii(scope.keyspace(), "caf\u00e9"), "not ASCII: the caller encodes it");
  }
}
